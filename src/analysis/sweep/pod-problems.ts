import type { V1Pod } from '@kubernetes/client-node';
import { toDate } from '../../kube/format/time.js';

/** What is wrong with one pod, as its status shows it. */
export interface PodProblem {
  /** kubectl's STATUS word: CrashLoopBackOff, ImagePullBackOff, Unschedulable, NotReady… */
  reason: string;
  /** The kubelet's or scheduler's message, when it gave one. */
  message?: string;
  /** A container that never started (waiting, no earlier run): it has no logs. */
  neverStarted?: string;
  /** Failing outright (down) rather than only not ready. */
  severe: boolean;
  since?: number;
}

/** Waiting reasons of a container that is merely on its way. */
const starting = new Set(['ContainerCreating', 'PodInitializing']);
/** A pod may take this long to start before "ContainerCreating" counts as a problem. */
const startGraceMs = 5 * 60_000;

const ms = (value: Date | string | null | undefined): number | undefined => toDate(value)?.getTime();

/** The trouble of one pod, or undefined when it runs (or ran) as it should. Pure. */
export function podProblem(pod: V1Pod, now: number): PodProblem | undefined {
  if (pod.metadata?.deletionTimestamp) return undefined;
  const phase = pod.status?.phase;
  if (phase === 'Succeeded') return undefined;
  const created = ms(pod.metadata?.creationTimestamp);
  const readyCondition = pod.status?.conditions?.find((c) => c.type === 'Ready');
  const unreadySince = readyCondition?.status === 'False' ? (ms(readyCondition.lastTransitionTime) ?? created) : created;
  if (phase === 'Failed') {
    return withSince({ reason: pod.status?.reason ?? 'Failed', ...optional(pod.status?.message), severe: true }, unreadySince);
  }
  const scheduled = pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
  if (scheduled?.status === 'False') {
    return withSince({ reason: scheduled.reason ?? 'Unschedulable', ...optional(scheduled.message), severe: true }, ms(scheduled.lastTransitionTime) ?? created);
  }
  for (const status of [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])]) {
    const waiting = status.state?.waiting;
    const last = status.lastState?.terminated;
    if (waiting?.reason && !starting.has(waiting.reason)) {
      const reason = waiting.reason === 'CrashLoopBackOff' && last?.reason === 'OOMKilled' ? 'CrashLoopBackOff (OOMKilled)' : waiting.reason;
      const neverStarted = !last && status.restartCount === 0 ? { neverStarted: status.name } : {};
      return withSince({ reason, ...optional(waiting.message), ...neverStarted, severe: true }, unreadySince);
    }
    if (waiting?.reason && starting.has(waiting.reason) && created !== undefined && now - created > startGraceMs) {
      return withSince({ reason: waiting.reason, message: `container ${status.name} has been starting for over ${startGraceMs / 60_000} minutes`, severe: true }, created);
    }
  }
  const statuses = pod.status?.containerStatuses ?? [];
  const unready = statuses.find((s) => !s.ready && s.state?.running !== undefined);
  if (phase === 'Running' && unready) {
    return withSince({ reason: 'NotReady', message: `container ${unready.name} is running but not ready${readyCondition?.message ? ` (${readyCondition.message})` : ''}`, severe: false }, unreadySince);
  }
  if (phase === 'Pending' && created !== undefined && now - created > startGraceMs) {
    return withSince({ reason: 'Pending', ...optional(pod.status?.message), severe: true }, created);
  }
  return undefined;
}

/** Pods with a problem, most severe first, then the longest-running trouble. */
export function podProblems(pods: readonly V1Pod[], now: number): { pod: V1Pod; problem: PodProblem }[] {
  return pods
    .map((pod) => ({ pod, problem: podProblem(pod, now) }))
    .filter((p): p is { pod: V1Pod; problem: PodProblem } => p.problem !== undefined)
    .sort((a, b) => Number(b.problem.severe) - Number(a.problem.severe) || (a.problem.since ?? now) - (b.problem.since ?? now));
}

/**
 * "2 of 3 pods CrashLoopBackOff: back-off 5m0s restarting failed container…": the most
 * common reason among the problem pods, with the first message. Undefined when none.
 */
export function describePodProblems(problems: readonly { problem: PodProblem }[], total: number): string | undefined {
  const [first] = problems;
  if (!first) return undefined;
  const byReason = new Map<string, PodProblem[]>();
  for (const { problem } of problems) byReason.set(problem.reason, [...(byReason.get(problem.reason) ?? []), problem]);
  const [reason, group] = [...byReason.entries()].sort((a, b) => b[1].length - a[1].length || Number(b[1][0]?.severe) - Number(a[1][0]?.severe))[0] ?? [first.problem.reason, [first.problem]];
  const message = group.find((p) => p.message)?.message;
  const others = problems.length - group.length;
  return `${group.length} of ${total} pod${total === 1 ? '' : 's'} ${reason}${message ? `: ${message}` : ''}${others > 0 ? ` (and ${others} with another problem)` : ''}`;
}

function optional(message: string | undefined): { message?: string } {
  return message ? { message } : {};
}

function withSince(problem: PodProblem, since: number | undefined): PodProblem {
  return since === undefined ? problem : { ...problem, since };
}
