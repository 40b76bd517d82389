import type { V1DaemonSet, V1Pod, V1StatefulSet } from '@kubernetes/client-node';
import { readWorkload, type Workload } from '../../kube/read/workload.js';
import type { ClusterReader, WorkloadKind, WorkloadRef } from '../../kube/reader.js';
import { revisionOf } from '../../kube/selectors.js';
import { fail, pass, wait, type Look } from './poll.js';
import {
  daemonSetRolloutState,
  deploymentRolloutState,
  fatalReasonOf,
  isPodReady,
  progressDeadlineKey,
  isTerminating,
  ownerNameOf,
  restartsOf,
  statefulSetRolloutState,
  type RolloutState,
} from './rollout-status.js';


export function rolloutStateOf(kind: WorkloadKind, workload: Workload, staleDeadline?: string): RolloutState {
  if (kind === 'Deployment') return deploymentRolloutState(workload, { staleDeadline });
  if (kind === 'StatefulSet') return statefulSetRolloutState(workload as V1StatefulSet);
  return daemonSetRolloutState(workload as V1DaemonSet);
}

function observed(workload: Workload): boolean {
  return (workload.metadata?.generation ?? 0) <= (workload.status?.observedGeneration ?? 0);
}

/** Pods of the revision being rolled out: only their crashes count against the action. */
async function updatedPods(reader: ClusterReader, ref: WorkloadRef, workload: Workload, pods: V1Pod[]): Promise<V1Pod[]> {
  if (!observed(workload)) return [];
  if (ref.kind === 'Deployment') {
    const revision = revisionOf(workload.metadata);
    const replicaSets = await reader.listDeploymentReplicaSets(ref.namespace, ref.name);
    const current = replicaSets.find((rs) => revisionOf(rs.metadata) === revision)?.metadata?.name;
    return current ? pods.filter((p) => ownerNameOf(p) === current) : [];
  }
  if (ref.kind === 'StatefulSet') {
    const revision = (workload as V1StatefulSet).status?.updateRevision;
    return revision ? pods.filter((p) => p.metadata?.labels?.['controller-revision-hash'] === revision) : [];
  }
  const generation = String(workload.metadata?.generation ?? '');
  return pods.filter((p) => p.metadata?.labels?.['pod-template-generation'] === generation);
}

/**
 * Watches one workload's rollout: complete by kubectl's rules, every pod Ready, and no
 * crash of a pod of the new revision. Restart counts are remembered across looks so a
 * restart that happens while we watch is caught even when the pod is Ready again.
 */
export function createRolloutLook(reader: ClusterReader, ref: WorkloadRef) {
  const baseline = new Map<string, number>();
  let first = true;
  let pods: V1Pod[] = [];
  let culprit: string | undefined;
  // A progress-deadline failure already there at the first look belongs to the rollout before the action.
  let staleDeadline: string | undefined;
  const label = `${ref.kind} ${ref.namespace}/${ref.name}`;

  async function look(): Promise<Look> {
    const workload = await readWorkload(reader, ref);
    if (!workload) return fail(`${label} not found`);
    if (first && ref.kind === 'Deployment') staleDeadline = progressDeadlineKey(workload);
    const state = rolloutStateOf(ref.kind, workload, staleDeadline);
    pods = (await reader.listWorkloadPods(ref)).filter((p) => !isTerminating(p));
    for (const p of pods) {
      const uid = p.metadata?.uid ?? p.metadata?.name ?? '';
      if (!baseline.has(uid)) baseline.set(uid, first ? restartsOf(p) : 0);
    }
    first = false;
    if (state.failed) return fail(state.message);
    for (const p of await updatedPods(reader, ref, workload, pods)) {
      const fatal = fatalReasonOf(p);
      const before = baseline.get(p.metadata?.uid ?? p.metadata?.name ?? '') ?? 0;
      if (fatal || restartsOf(p) > before) culprit = p.metadata?.name;
      if (fatal) return fail(`new pod ${p.metadata?.name ?? '?'}: ${fatal}`);
      if (restartsOf(p) > before) return fail(`new pod ${p.metadata?.name ?? '?'} restarted (restarts ${before} → ${restartsOf(p)})`);
    }
    if (!state.done) return wait(state.message);
    const unready = pods.filter((p) => !isPodReady(p));
    if (unready.length > 0) return wait(`${unready.length} of ${pods.length} pods not Ready (${unready.map((p) => p.metadata?.name).join(', ')})`);
    return pass(`${state.message}; ${pods.length} pods Ready`);
  }

  /** During the settle window: any restart since the window opened, or any unready pod, is a failure. */
  function startSettling(): void {
    baseline.clear();
    for (const p of pods) baseline.set(p.metadata?.uid ?? p.metadata?.name ?? '', restartsOf(p));
  }

  async function settleLook(): Promise<Look> {
    const workload = await readWorkload(reader, ref);
    if (!workload) return fail(`${label} disappeared`);
    const current = (await reader.listWorkloadPods(ref)).filter((p) => !isTerminating(p));
    pods = current;
    for (const p of current) {
      const uid = p.metadata?.uid ?? p.metadata?.name ?? '';
      const before = baseline.get(uid) ?? 0;
      if (restartsOf(p) > before || fatalReasonOf(p) || !isPodReady(p)) culprit = p.metadata?.name;
      if (restartsOf(p) > before) return fail(`pod ${p.metadata?.name ?? '?'} restarted during the settle window (restarts ${before} → ${restartsOf(p)})`);
      const fatal = fatalReasonOf(p);
      if (fatal) return fail(`pod ${p.metadata?.name ?? '?'}: ${fatal} during the settle window`);
      if (!isPodReady(p)) return fail(`pod ${p.metadata?.name ?? '?'} became not Ready during the settle window`);
    }
    const state = rolloutStateOf(ref.kind, workload, staleDeadline);
    if (state.failed) return fail(state.message);
    return pass(state.message);
  }

  return { look, startSettling, settleLook, pods: () => pods, culprits: () => (culprit ? [culprit] : []) };
}
