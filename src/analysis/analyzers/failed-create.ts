import type { CoreV1Event } from '@kubernetes/client-node';
import type { Evidence } from '../types.js';
import { namespaceWide } from './objects.js';

/**
 * `FailedCreate` Warnings of the controllers that create the subject's pods: a Deployment's
 * ReplicaSets, a StatefulSet, DaemonSet or Job itself (or any of them, namespace-wide).
 * Admission refusals (quota, ServiceAccount) are only visible here: the pod never exists.
 */
export function failedCreateEvents(evidence: Evidence): CoreV1Event[] {
  const owners = new Set<string>();
  const ref = evidence.workload?.ref;
  if (ref) owners.add(`${ref.kind}/${ref.name}`);
  for (const rs of evidence.workload?.replicaSets ?? []) owners.add(`ReplicaSet/${rs.metadata?.name ?? ''}`);
  if (evidence.focus?.kind === 'Job') owners.add(`Job/${evidence.focus.name}`);
  const all = [...(evidence.workload?.events ?? []), ...(evidence.objects?.events ?? [])];
  const seen = new Set<string>();
  return all.filter((e) => {
    if (e.reason !== 'FailedCreate') return false;
    if (!namespaceWide(evidence) && !owners.has(`${e.involvedObject.kind ?? ''}/${e.involvedObject.name ?? ''}`)) return false;
    const key = `${e.involvedObject.name ?? ''}|${e.message ?? ''}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** `ReplicaSet web-5d9c7` for an event's object. */
export function ownerOf(e: CoreV1Event): string {
  return `${e.involvedObject.kind ?? '?'} ${e.involvedObject.name ?? '?'}`;
}
