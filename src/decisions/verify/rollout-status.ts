import type { V1DaemonSet, V1Deployment, V1Pod, V1StatefulSet } from '@kubernetes/client-node';
import { controllerOf } from '../../kube/selectors.js';

/** One look at a rollout: finished, failed for good, or still going (with kubectl's words). */
export interface RolloutState {
  done: boolean;
  failed: boolean;
  message: string;
}

const going = (message: string): RolloutState => ({ done: false, failed: false, message });

/** Identifies one ProgressDeadlineExceeded condition (undefined when the deployment has none). */
export function progressDeadlineKey(d: V1Deployment): string | undefined {
  const c = d.status?.conditions?.find((x) => x.type === 'Progressing' && x.reason === 'ProgressDeadlineExceeded');
  if (!c) return undefined;
  const updated = c.lastUpdateTime instanceof Date ? c.lastUpdateTime.toISOString() : String(c.lastUpdateTime ?? '');
  return `${c.message ?? ''}@${updated}`;
}

/**
 * kubectl's DeploymentStatusViewer, rule by rule (kubernetes-api.md §3). One difference:
 * a ProgressDeadlineExceeded condition identified by `staleDeadline` (seen before the
 * action took effect) is not a failure of this rollout. The deployment controller keeps
 * that condition until the new rollout makes progress, so kubectl would report the old
 * failure right after an undo of a timed-out rollout.
 */
export function deploymentRolloutState(d: V1Deployment, options: { staleDeadline?: string | undefined } = {}): RolloutState {
  const name = d.metadata?.name ?? '?';
  const generation = d.metadata?.generation ?? 0;
  const status = d.status ?? {};
  if (generation > (status.observedGeneration ?? 0)) return going('Waiting for deployment spec update to be observed...');
  const progressing = status.conditions?.find((c) => c.type === 'Progressing');
  const stale = options.staleDeadline !== undefined && progressDeadlineKey(d) === options.staleDeadline;
  if (progressing?.reason === 'ProgressDeadlineExceeded' && !stale) {
    return { done: false, failed: true, message: `deployment "${name}" exceeded its progress deadline` };
  }
  const desired = d.spec?.replicas ?? 1;
  const updated = status.updatedReplicas ?? 0;
  const total = status.replicas ?? 0;
  const available = status.availableReplicas ?? 0;
  if (updated < desired) return going(`Waiting for deployment "${name}" rollout to finish: ${updated} out of ${desired} new replicas have been updated...`);
  if (total > updated) return going(`Waiting for deployment "${name}" rollout to finish: ${total - updated} old replicas are pending termination...`);
  if (available < updated) return going(`Waiting for deployment "${name}" rollout to finish: ${available} of ${updated} updated replicas are available...`);
  return { done: true, failed: false, message: `deployment "${name}" successfully rolled out` };
}

/** kubectl's StatefulSetStatusViewer. */
export function statefulSetRolloutState(s: V1StatefulSet): RolloutState {
  const status = s.status ?? { replicas: 0 };
  const desired = s.spec?.replicas ?? 1;
  if ((s.metadata?.generation ?? 0) > (status.observedGeneration ?? 0)) return going('Waiting for statefulset spec update to be observed...');
  if (s.spec?.updateStrategy?.type === 'OnDelete') return { done: true, failed: false, message: 'statefulset uses OnDelete: rollout is not tracked' };
  if ((status.readyReplicas ?? 0) < desired) return going(`Waiting for ${desired - (status.readyReplicas ?? 0)} pods to be ready...`);
  const partition = s.spec?.updateStrategy?.rollingUpdate?.partition ?? 0;
  if (partition > 0) {
    if ((status.updatedReplicas ?? 0) < desired - partition) {
      return going(`Waiting for partitioned roll out to finish: ${status.updatedReplicas ?? 0} out of ${desired - partition} new pods have been updated...`);
    }
    return { done: true, failed: false, message: `partitioned roll out complete: ${status.updatedReplicas ?? 0} new pods have been updated...` };
  }
  if (status.updateRevision !== status.currentRevision) {
    return going(`waiting for statefulset rolling update to complete ${status.updatedReplicas ?? 0} pods at revision ${status.updateRevision ?? '?'}...`);
  }
  return { done: true, failed: false, message: `statefulset rolling update complete ${status.currentReplicas ?? 0} pods at revision ${status.currentRevision ?? '?'}...` };
}

/** kubectl's DaemonSetStatusViewer. */
export function daemonSetRolloutState(ds: V1DaemonSet): RolloutState {
  const name = ds.metadata?.name ?? '?';
  const status = ds.status;
  if ((ds.metadata?.generation ?? 0) > (status?.observedGeneration ?? 0)) return going('Waiting for daemon set spec update to be observed...');
  const desired = status?.desiredNumberScheduled ?? 0;
  const updated = status?.updatedNumberScheduled ?? 0;
  const available = status?.numberAvailable ?? 0;
  if (updated < desired) return going(`Waiting for daemon set "${name}" rollout to finish: ${updated} out of ${desired} new pods have been updated...`);
  if (available < desired) return going(`Waiting for daemon set "${name}" rollout to finish: ${available} of ${desired} updated pods are available...`);
  return { done: true, failed: false, message: `daemon set "${name}" successfully rolled out` };
}

export function isPodReady(pod: V1Pod): boolean {
  return pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true;
}

export function isTerminating(pod: V1Pod): boolean {
  return pod.metadata?.deletionTimestamp !== undefined && pod.metadata.deletionTimestamp !== null;
}

/** Waiting reasons that mean the new pods will not come up by themselves. */
const fatalWaitingReasons = new Set([
  'CrashLoopBackOff',
  'ImagePullBackOff',
  'ErrImagePull',
  'InvalidImageName',
  'CreateContainerConfigError',
  'CreateContainerError',
  'RunContainerError',
]);

/** Why this pod is failing for good (a fatal waiting reason), or undefined. */
export function fatalReasonOf(pod: V1Pod): string | undefined {
  for (const s of [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])]) {
    const reason = s.state?.waiting?.reason;
    if (reason && fatalWaitingReasons.has(reason)) return `container ${s.name} ${reason}`;
  }
  return undefined;
}

export function restartsOf(pod: V1Pod): number {
  return (pod.status?.containerStatuses ?? []).reduce((sum, s) => sum + s.restartCount, 0);
}

export function ownerNameOf(pod: V1Pod): string | undefined {
  return controllerOf(pod.metadata)?.name;
}
