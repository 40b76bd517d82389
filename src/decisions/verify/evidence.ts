import type { CoreV1Event, V1Pod } from '@kubernetes/client-node';
import type { ClusterReader } from '../../kube/reader.js';
import { clip } from '../../kube/format/bound.js';
import { formatEventLine } from '../../kube/format/events.js';
import { formatPodSummary } from '../../kube/format/pod.js';
import { sortEventsNewestFirst } from '../../kube/format/time.js';
import { fatalReasonOf, isPodReady, isTerminating, restartsOf } from './rollout-status.js';

export interface EvidenceInput {
  namespace: string;
  /** The object whose events matter besides the pods' (Deployment, StatefulSet, Node…). */
  kind?: string;
  name?: string;
  pods: readonly V1Pod[];
  /** Pods named in the failure: shown first, and their logs read first. */
  focus?: readonly string[];
  now?: Date;
}

const maxPods = 4;
const maxEvents = 6;

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Unready and crashing pods first: they are the ones that explain a failure. */
function rankPods(pods: readonly V1Pod[], focus: readonly string[]): V1Pod[] {
  const score = (p: V1Pod) => (focus.includes(p.metadata?.name ?? '') ? -1 : fatalReasonOf(p) ? 0 : !isPodReady(p) ? 1 : restartsOf(p) > 0 ? 2 : 3);
  return pods.filter((p) => !isTerminating(p)).sort((a, b) => score(a) - score(b));
}

/**
 * What a human needs to see when a verification fails: the pods' statuses (reasons,
 * exit codes), the latest events about the workload and the failing pods, and the last
 * lines of a crashed container's previous log. Reading evidence never fails the verdict.
 */
export async function gatherEvidence(reader: ClusterReader, input: EvidenceInput): Promise<string[]> {
  const now = input.now ?? new Date();
  const evidence: string[] = [];
  const ranked = rankPods(input.pods, input.focus ?? []);
  for (const pod of ranked.slice(0, maxPods)) evidence.push(formatPodSummary(pod, { now, maxChars: 600 }));
  if (ranked.length > maxPods) evidence.push(`… and ${ranked.length - maxPods} more pods`);

  const failing = ranked.filter((p) => !isPodReady(p)).slice(0, 2);
  try {
    const lists = await Promise.all([
      input.kind && input.name ? reader.listObjectEvents(input.namespace, input.kind, input.name) : Promise.resolve([] as CoreV1Event[]),
      ...failing.map((p) => reader.listObjectEvents(input.namespace, 'Pod', p.metadata?.name ?? '')),
    ]);
    const events = sortEventsNewestFirst(lists.flat()).slice(0, maxEvents);
    if (events.length > 0) evidence.push(`last events:\n${events.map((e) => `  ${formatEventLine(e, now)}`).join('\n')}`);
  } catch (err) {
    evidence.push(`could not read events: ${errorText(err)}`);
  }

  const crashed = failing.find((p) => (p.status?.containerStatuses ?? []).some((s) => s.lastState?.terminated));
  const container = crashed?.status?.containerStatuses?.find((s) => s.lastState?.terminated)?.name;
  if (crashed?.metadata?.name && container) {
    try {
      const logs = await reader.readLogs(input.namespace, crashed.metadata.name, { container, previous: true, tailLines: 3, limitBytes: 600 });
      if (logs.ok && logs.text.trim()) {
        const lines = logs.text.trimEnd().split('\n').map((l) => `  ${clip(l, 200)}`);
        evidence.push(`previous log of ${crashed.metadata.name} (${container}), last lines:\n${lines.join('\n')}`);
      }
    } catch (err) {
      evidence.push(`could not read logs: ${errorText(err)}`);
    }
  }
  return evidence;
}
