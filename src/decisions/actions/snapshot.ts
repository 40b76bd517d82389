import type { V1Pod } from '@kubernetes/client-node';
import type { Action } from './catalog.js';
import { currentKeys } from './risk.js';
import type { TargetSnapshot } from './proposal.js';
import type { ClusterReader, WorkloadRef } from '../../kube/reader.js';
import { controllerOf, revisionOf } from '../../kube/selectors.js';
import { readWorkload } from '../../kube/read/workload.js';

/**
 * The target of an action as it is now: identity, resourceVersion and generation (for
 * staleness checks at approval time) and the `current` values the risk rules compare with:
 * scale → replicas; set_resources → the container's limits.memory / limits.cpu /
 * requests.memory / requests.cpu; rollout_undo → revision; restart_pod → uid and owner
 * (so the verifier can tell the replacement from the original); nodes → unschedulable.
 * Undefined when the target does not exist.
 */
export async function snapshotTarget(reader: ClusterReader, action: Action): Promise<TargetSnapshot | undefined> {
  switch (action.type) {
    case 'restart_pod': {
      const pod = await reader.getPod(action.namespace, action.pod);
      if (!pod) return undefined;
      const owner = controllerOf(pod.metadata);
      const current: Record<string, string | number> = {};
      if (pod.metadata?.uid) current.uid = pod.metadata.uid;
      if (owner) current.owner = `${owner.kind}/${owner.name}`;
      if (pod.spec?.nodeName) current.node = pod.spec.nodeName;
      current.phase = pod.status?.phase ?? 'Unknown';
      const failing = failingReason(pod);
      if (failing !== undefined) current[currentKeys.failing] = failing;
      if (owner?.uid) {
        const siblings = (await reader.listPods(action.namespace)).filter((p) => p.metadata?.name !== action.pod && controllerOf(p.metadata)?.uid === owner.uid);
        current[currentKeys.readySiblings] = siblings.filter((p) => isReady(p) && !p.metadata?.deletionTimestamp).length;
      }
      return base('Pod', action.namespace, action.pod, pod.metadata, current);
    }
    case 'rollout_restart':
    case 'scale':
    case 'set_resources':
    case 'rollout_undo': {
      const ref: WorkloadRef = action.type === 'rollout_undo' ? { kind: 'Deployment', namespace: action.namespace, name: action.name } : { kind: action.kind, namespace: action.namespace, name: action.name };
      const workload = await readWorkload(reader, ref);
      if (!workload) return undefined;
      const current: Record<string, string | number> = {};
      const spec = workload.spec as { replicas?: number } | undefined;
      if (ref.kind !== 'DaemonSet') current.replicas = spec?.replicas ?? 1;
      if (ref.kind === 'Deployment') current.revision = revisionOf(workload.metadata);
      if (action.type === 'set_resources') {
        const container = workload.spec?.template.spec?.containers.find((c) => c.name === action.container);
        if (!container) return undefined;
        const resources = container.resources ?? {};
        for (const part of ['limits', 'requests'] as const) {
          for (const resource of ['memory', 'cpu'] as const) {
            const value = resources[part]?.[resource];
            if (value !== undefined) current[`${part}.${resource}`] = value;
          }
        }
      }
      return base(ref.kind, ref.namespace, ref.name, workload.metadata, current);
    }
    case 'cordon_node':
    case 'uncordon_node': {
      const node = await reader.getNode(action.node);
      if (!node) return undefined;
      const ready = node.status?.conditions?.find((c) => c.type === 'Ready')?.status ?? 'Unknown';
      return base('Node', undefined, action.node, node.metadata, { unschedulable: String(node.spec?.unschedulable === true), ready });
    }
  }
}

/** Why a pod is failing now (roughly kubectl's STATUS column); undefined when it runs or is starting. */
export function failingReason(pod: V1Pod): string | undefined {
  if (pod.status?.phase === 'Failed') return pod.status.reason ?? 'Failed';
  // A pod the scheduler cannot place serves nothing either.
  const scheduled = pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
  if (scheduled?.status === 'False') return scheduled.reason ?? 'Unschedulable';
  for (const cs of pod.status?.containerStatuses ?? []) {
    const waiting = cs.state?.waiting?.reason;
    if (waiting !== undefined && waiting !== 'ContainerCreating' && waiting !== 'PodInitializing') return waiting;
    const terminated = cs.state?.terminated;
    if (terminated && terminated.exitCode !== 0) return terminated.reason ?? `ExitCode:${terminated.exitCode}`;
  }
  return undefined;
}

function isReady(pod: V1Pod): boolean {
  return pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true;
}

function base(
  kind: string,
  namespace: string | undefined,
  name: string,
  metadata: { resourceVersion?: string; generation?: number } | undefined,
  current: Record<string, string | number>,
): TargetSnapshot {
  const snapshot: TargetSnapshot = { kind, name, current };
  if (namespace !== undefined) snapshot.namespace = namespace;
  if (metadata?.resourceVersion !== undefined) snapshot.resourceVersion = metadata.resourceVersion;
  if (metadata?.generation !== undefined) snapshot.generation = metadata.generation;
  return snapshot;
}
