import type { V1Pod } from '@kubernetes/client-node';
import { podProblem, type Evidence } from '../analysis/port.js';

/**
 * Why there are no logs to show: for each examined pod whose container never started (still
 * waiting with no earlier run: ImagePullBackOff, CreateContainerConfigError…) or that was never
 * scheduled, one plain line saying so and why, with the kubelet's or scheduler's words.
 */
export function describeNeverStarted(evidence: Evidence, now: number): string[] {
  const lines: string[] = [];
  for (const pod of evidence.pods) {
    const line = neverStartedLine(pod, evidence, now);
    if (line) lines.push(line);
  }
  return lines;
}

function neverStartedLine(pod: V1Pod, evidence: Evidence, now: number): string | undefined {
  const name = pod.metadata?.name ?? '?';
  const problem = podProblem(pod, now);
  const scheduled = pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
  if (scheduled?.status === 'False') {
    return `Pod ${name} was never scheduled to a node, so nothing in it ever ran: ${scheduled.reason ?? 'Unschedulable'}${scheduled.message ? `: ${scheduled.message}` : ''}`;
  }
  if (!problem?.neverStarted) return undefined;
  const container = problem.neverStarted;
  // The waiting message says what the kubelet does ("Back-off pulling image …"); the Failed event says why.
  const warnings = (evidence.podEvents[name] ?? []).filter((e) => e.type === 'Warning' && e.message);
  const event = warnings.find((e) => e.reason === 'Failed' && !/^Error: (ImagePullBackOff|ErrImagePull)$/.test(e.message ?? '')) ?? warnings[0];
  const said = event?.message && event.message !== problem.message ? `${event.reason ?? 'Warning'}: ${event.message}` : undefined;
  const why = [problem.message, said].filter((x): x is string => x !== undefined).join('; ') || undefined;
  return `Container ${container} of pod ${name} never started: ${problem.reason}${why ? ` — ${why}` : ''}. It has no logs until it starts.`;
}
