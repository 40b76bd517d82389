import type { V1Pod } from '@kubernetes/client-node';
import type { Analyzer } from '../types.js';
import { isPodReady, livePods, makeFinding, namespaceOf } from './objects.js';

const name = 'statefulset-stuck';

/** What the pod itself shows: a waiting container's reason, or why it is not scheduled. */
function whyNotReady(pod: V1Pod): string {
  const waiting = (pod.status?.containerStatuses ?? []).find((c) => !c.ready && c.state?.waiting?.reason)?.state?.waiting?.reason;
  if (waiting) return ` (${waiting})`;
  const scheduled = pod.status?.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'False');
  if (scheduled) return ` (${pod.status?.phase ?? 'Pending'}: ${scheduled.reason ?? 'Unschedulable'} ${scheduled.message ?? ''})`.replace(/ \)$/, ')');
  return '';
}

/** A container of the pod restarted after a failed run (its last termination exited non-zero). */
function crashedBefore(pod: V1Pod): boolean {
  return (pod.status?.containerStatuses ?? []).some((c) => (c.restartCount ?? 0) > 0 && (c.lastState?.terminated?.exitCode ?? 0) !== 0);
}

/** How a pod that is Ready right now keeps failing: its restarts and its last exit. */
function flapping(pod: V1Pod): string {
  const c = (pod.status?.containerStatuses ?? []).find((s) => (s.restartCount ?? 0) > 0 && (s.lastState?.terminated?.exitCode ?? 0) !== 0);
  const last = c?.lastState?.terminated;
  return c && last ? ` for long (container ${c.name} restarted ${String(c.restartCount ?? 0)} times, last exit code ${String(last.exitCode)}${last.reason ? ` ${last.reason}` : ''})` : '';
}

const ordinalOf = (pod: V1Pod, set: string): number => Number((pod.metadata?.name ?? '').slice(set.length + 1));

/**
 * A StatefulSet that stops progressing: with OrderedReady, the lowest pod that is not Ready
 * blocks the creation and the update of every pod after it. Names that pod; when a rollout
 * is stuck on it, says so (StatefulSets do not roll back by themselves).
 */
export const analyzeStatefulSetStuck: Analyzer = (evidence) => {
  const sts = evidence.workload?.statefulSet;
  if (!sts) return { findings: [], proposals: [] };
  const ns = namespaceOf(evidence);
  const set = sts.metadata?.name ?? '?';
  const replicas = sts.spec?.replicas ?? 1;
  const ready = sts.status?.readyReplicas ?? 0;
  const rolling = sts.status?.updateRevision !== undefined && sts.status.currentRevision !== sts.status.updateRevision;
  if (ready >= replicas && !rolling) return { findings: [], proposals: [] };
  const ordered = (sts.spec?.podManagementPolicy ?? 'OrderedReady') === 'OrderedReady';
  const pods = livePods(evidence).filter((p) => p.metadata?.ownerReferences?.some((o) => o.kind === 'StatefulSet' && o.name === set));
  const byOrdinal = new Map(pods.map((p) => [ordinalOf(p, set), p]));
  let blocker: number | undefined;
  for (let i = 0; i < replicas; i++) {
    const p = byOrdinal.get(i);
    // A pod Ready right now between two crashes is no steady pod: with OrderedReady the
    // controller, which counts only `ready` pods, still waits on it.
    if (!p || !isPodReady(p) || (ordered && i >= ready && crashedBefore(p))) {
      blocker = i;
      break;
    }
  }
  if (blocker === undefined) return { findings: [], proposals: [] };
  const pod = byOrdinal.get(blocker);
  const podName = `${set}-${blocker}`;
  const state = pod ? `phase ${pod.status?.phase ?? '?'}, Ready=${isPodReady(pod) ? 'True' : 'False'}${pod.metadata?.labels?.['controller-revision-hash'] ? `, revision ${pod.metadata.labels['controller-revision-hash']}` : ''}` : 'does not exist';
  return {
    findings: [
      makeFinding({
        analyzer: name,
        kind: 'statefulset-stuck',
        object: `Pod/${ns}/${podName}`,
        title: `StatefulSet ${set} is stuck at pod ${podName} (${ready}/${replicas} ready)`,
        summary:
          `Pod ${podName} ${pod ? (isPodReady(pod) ? `does not stay Ready${flapping(pod)}` : `is not Ready${whyNotReady(pod)}`) : 'was never created'}` +
          (ordered && blocker < replicas - 1 ? `; with podManagementPolicy OrderedReady the controller creates and updates no pod after it (${set}-${blocker + 1}…${set}-${replicas - 1}).` : '.') +
          (rolling ? ` A rollout from ${sts.status?.currentRevision ?? '?'} to ${sts.status?.updateRevision ?? '?'} is stuck on it.` : ''),
        evidence: [
          `status: replicas ${sts.status?.replicas ?? 0}, ready ${ready}, current revision ${sts.status?.currentRevision ?? '?'}, update revision ${sts.status?.updateRevision ?? '?'}`,
          `pod ${podName}: ${state}`,
          `spec.podManagementPolicy: ${sts.spec?.podManagementPolicy ?? 'OrderedReady'}, updateStrategy ${sts.spec?.updateStrategy?.type ?? 'RollingUpdate'}`,
        ],
        fix: rolling
          ? `Fix the template (or kubectl -n ${ns} rollout undo statefulset/${set}), then delete the stuck pod so it is re-created from the fixed revision: kubectl -n ${ns} delete pod ${podName}`
          : `Make ${podName} Ready (see its own findings: scheduling, volumes, crashes); the pods after it follow.`,
      }),
    ],
    proposals: [],
  };
};
