/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-return, @typescript-eslint/no-explicit-any -- nodes and pods are wire JSON */
import type { KubeObject } from '../types.js';
import type { ClusterContext } from './context.js';
import { deletePodGracefully } from './replicas.js';

/** The fault language's switch for a node's kubelet. */
export const kubeletAnnotation = 'sandbox.deckhand.dev/kubelet';
/** kube-controller-manager's --node-monitor-grace-period default. */
export const nodeMonitorGraceMs = 40_000;
/** The kubelet's nodeStatusReportFrequency default: an unchanged status is re-posted this often. */
export const nodeStatusReportMs = 5 * 60_000;
const notReadyTaint = 'node.kubernetes.io/not-ready';
const unreachableTaint = 'node.kubernetes.io/unreachable';
const component = 'node-controller';

export function isKubeletStopped(node: KubeObject | undefined): boolean {
  return node?.metadata.annotations?.[kubeletAnnotation] === 'stopped';
}

/** Per cluster, per node: when its kubelet was first seen stopped (sim ms). */
const stoppedSince = new WeakMap<ClusterContext, Map<string, number>>();

const healthy: Record<string, [string, string, string]> = {
  MemoryPressure: ['False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'],
  DiskPressure: ['False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'],
  PIDPressure: ['False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'],
  Ready: ['True', 'KubeletReady', 'kubelet is posting ready status'],
};

const readyOf = (node: KubeObject): any => (node.status?.conditions ?? []).find((c: any) => c.type === 'Ready');

/** The node lifecycle controller's taints for a NotReady node, unless it carries them (or the unreachable ones) already. */
function withNotReadyTaints(taints: any[], at: string): any[] {
  const has = (effect: string) => taints.some((t) => (t.key === notReadyTaint || t.key === unreachableTaint) && t.effect === effect);
  return [...taints, ...['NoSchedule', 'NoExecute'].filter((e) => !has(e)).map((effect) => ({ key: notReadyTaint, effect, timeAdded: at }))];
}

function markNotReady(ctx: ClusterContext, node: KubeObject, lastHeartbeat: string): void {
  const at = ctx.clock.iso();
  const conditions = (node.status?.conditions ?? []).map((c: any) =>
    healthy[c.type] ? { ...c, status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.', lastHeartbeatTime: lastHeartbeat, lastTransitionTime: at } : c,
  );
  ctx.store.update('nodes', { ...node, spec: { ...node.spec, taints: withNotReadyTaints(node.spec?.taints ?? [], at) }, status: { ...node.status, conditions } });
  ctx.events.record({ involved: node, reason: 'NodeNotReady', message: `Node ${node.metadata.name} status is now: NodeNotReady`, type: 'Normal', component });
  // MarkPodsNotReady: the node's pods stop being Ready (and leave their Services' endpoints).
  for (const pod of ctx.store.scan('pods')) {
    if (pod.spec?.nodeName !== node.metadata.name || pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') continue;
    const podConditions = (pod.status?.conditions ?? []).map((c: any) => (c.type === 'Ready' && c.status !== 'False' ? { ...c, status: 'False', lastTransitionTime: at } : c));
    const containerStatuses = (pod.status?.containerStatuses ?? []).map((c: any) => ({ ...c, ready: false }));
    ctx.store.update('pods', { ...pod, status: { ...pod.status, conditions: podConditions, containerStatuses } });
    ctx.events.record({ involved: pod, reason: 'NodeNotReady', message: 'Node is not ready', type: 'Warning', component });
  }
}

function markReady(ctx: ClusterContext, node: KubeObject): void {
  const at = ctx.clock.iso();
  const conditions = (node.status?.conditions ?? []).map((c: any) => {
    const h = healthy[c.type];
    return h ? { ...c, status: h[0], reason: h[1], message: h[2], lastHeartbeatTime: at, lastTransitionTime: at } : c;
  });
  const taints = (node.spec?.taints ?? []).filter((t: any) => t.key !== notReadyTaint && t.key !== unreachableTaint);
  const spec = { ...node.spec, taints };
  if (!taints.length) delete spec.taints;
  ctx.store.update('nodes', { ...node, spec, status: { ...node.status, conditions } });
  ctx.events.record({ involved: node, reason: 'NodeReady', message: `Node ${node.metadata.name} status is now: NodeReady`, type: 'Normal', component });
}

/**
 * A running kubelet re-posts its node's conditions at least every nodeStatusReportFrequency:
 * their lastHeartbeatTime is never older than that (a seeded node's would otherwise read as
 * its creation time, days ago). True when it posted.
 */
function heartbeat(ctx: ClusterContext, node: KubeObject, now: number): boolean {
  const conditions: any[] = node.status?.conditions ?? [];
  const last = Math.max(...conditions.map((c) => Date.parse(c.lastHeartbeatTime ?? '') || 0));
  if (conditions.length === 0 || now - last < nodeStatusReportMs) return false;
  const at = ctx.clock.iso();
  ctx.store.update('nodes', { ...node, status: { ...node.status, conditions: conditions.map((c) => ({ ...c, lastHeartbeatTime: at })) } });
  return true;
}

/**
 * The node lifecycle controller: a node whose kubelet is stopped (annotation
 * `sandbox.deckhand.dev/kubelet: stopped`) goes NotReady once the grace period has passed
 * without a heartbeat, and Ready again when the annotation goes; a running kubelet's heartbeat
 * is refreshed every nodeStatusReportFrequency.
 */
export function syncNodeLifecycle(ctx: ClusterContext): boolean {
  const since = stoppedSince.get(ctx) ?? new Map<string, number>();
  stoppedSince.set(ctx, since);
  const now = ctx.clock.now();
  let changed = false;
  for (const node of ctx.store.scan('nodes')) {
    const ready = readyOf(node);
    const unknown = ready?.status === 'Unknown' && ready.reason === 'NodeStatusUnknown';
    if (isKubeletStopped(node)) {
      const stoppedAt = since.get(node.metadata.name) ?? now;
      since.set(node.metadata.name, stoppedAt);
      if (unknown) {
        // Already NotReady (perhaps seeded so): make sure it is tainted.
        const taints = withNotReadyTaints(node.spec?.taints ?? [], ctx.clock.iso());
        if (taints.length !== (node.spec?.taints ?? []).length) {
          ctx.store.update('nodes', { ...node, spec: { ...node.spec, taints } });
          changed = true;
        }
      } else if (now - stoppedAt >= nodeMonitorGraceMs) {
        markNotReady(ctx, node, ctx.clock.iso(stoppedAt));
        changed = true;
      }
      continue;
    }
    since.delete(node.metadata.name);
    if (unknown) {
      markReady(ctx, node);
      changed = true;
    } else if (heartbeat(ctx, node, now)) {
      changed = true;
    }
  }
  return changed;
}

function tolerationFor(pod: KubeObject, taint: any): any {
  return (pod.spec?.tolerations ?? []).find((t: any) => {
    if (t.effect && t.effect !== taint.effect) return false;
    if (t.operator === 'Exists') return !t.key || t.key === taint.key;
    return t.key === taint.key && (t.value ?? '') === (taint.value ?? '');
  });
}

/**
 * The taint eviction controller: a pod on a node with a NoExecute taint it does not tolerate is
 * deleted at once; one that tolerates it for tolerationSeconds, once they have passed since
 * the taint was added.
 */
export function syncTaintEviction(ctx: ClusterContext): boolean {
  const now = ctx.clock.now();
  let changed = false;
  const nodes = new Map(ctx.store.scan('nodes').map((n) => [n.metadata.name, n]));
  for (const pod of ctx.store.scan('pods')) {
    const node = nodes.get(pod.spec?.nodeName ?? '');
    if (!node || pod.metadata.deletionTimestamp || pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') continue;
    const due = (node.spec?.taints ?? [])
      .filter((t: any) => t.effect === 'NoExecute')
      .map((t: any) => {
        const toleration = tolerationFor(pod, t);
        if (!toleration) return 0;
        if (toleration.tolerationSeconds === undefined || toleration.tolerationSeconds === null) return Number.POSITIVE_INFINITY;
        const added = t.timeAdded ? Date.parse(t.timeAdded) : now;
        return added + Math.max(0, toleration.tolerationSeconds) * 1000;
      });
    if (!due.length || Math.min(...due) > now) continue;
    const at = ctx.clock.iso();
    const conditions = [...(pod.status?.conditions ?? []).filter((c: any) => c.type !== 'DisruptionTarget'), { type: 'DisruptionTarget', status: 'True', lastProbeTime: null, lastTransitionTime: at, reason: 'DeletionByTaintManager', message: 'Taint manager: deleting due to NoExecute taint' }];
    const updated = ctx.store.update('pods', { ...pod, status: { ...pod.status, conditions } });
    ctx.events.record({ involved: pod, reason: 'TaintManagerEviction', message: `Marking for deletion Pod ${pod.metadata.namespace}/${pod.metadata.name}`, type: 'Normal', component: 'taint-eviction-controller' });
    deletePodGracefully(ctx, updated);
    changed = true;
  }
  return changed;
}
