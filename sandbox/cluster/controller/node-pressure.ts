/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-return, @typescript-eslint/no-explicit-any -- nodes and pods are wire JSON */
import { podMemoryUsage } from '../api/metrics.js';
import { canonicalQuantity, formatQuantity, parseQuantity } from '../quantity.js';
import type { KubeObject } from '../types.js';
import type { ClusterContext } from './context.js';
import { isKubeletStopped } from './node-lifecycle.js';
import { usageOf } from './program.js';
import { podRequest } from './scheduler.js';

/** The kubelet's default hard eviction threshold, memory.available<100Mi. */
const thresholdBytes = 100 * 2 ** 20;
/** What the node's system daemons use beyond its pods (as the metrics API counts them). */
const systemBytes = 512 * 2 ** 20;
/** --eviction-pressure-transition-period: how long the condition outlives the pressure. */
const transitionMs = 5 * 60_000;
const taintKey = 'node.kubernetes.io/memory-pressure';

/** Per cluster, per node: when memory was last short (sim ms). */
const lastShort = new WeakMap<ClusterContext, Map<string, number>>();

const holdsMemory = (p: KubeObject, node: string): boolean =>
  p.spec?.nodeName === node && !p.metadata.deletionTimestamp && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed' && p.status?.phase !== 'Pending';

/** rankMemoryPressure: pods using more than they request first, then lower priority, then the most above their request. */
function rank(pods: KubeObject[]): KubeObject[] {
  const over = (p: KubeObject) => podMemoryUsage(p) - podRequest(p, 'memory');
  return [...pods].sort((a, b) => Number(over(b) > 0) - Number(over(a) > 0) || (a.spec?.priority ?? 0) - (b.spec?.priority ?? 0) || over(b) - over(a));
}

/**
 * The eviction manager's message (pkg/kubelet/eviction/helpers.go evictionMessage): the node-low
 * sentence, the threshold and what was available (memory.available never reads below 0), then
 * one sentence per container using more than it requests, quantities as Quantity.String()
 * prints them.
 */
export function evictionMessage(pod: KubeObject, available: number): string {
  let message = `The node was low on resource: memory. Threshold quantity: ${formatQuantity(thresholdBytes)}, available: ${formatQuantity(Math.max(0, available))}. `;
  (pod.spec?.containers ?? []).forEach((c: any, i: number) => {
    const usage = usageOf(pod, i).memory;
    const request = c.resources?.requests?.memory;
    if (usage > (parseQuantity(request) ?? 0)) message += `Container ${String(c.name)} was using ${formatQuantity(usage)}, request is ${canonicalQuantity(request)}, has larger consumption of memory. `;
  });
  return message;
}

function evict(ctx: ClusterContext, node: KubeObject, pod: KubeObject, available: number): void {
  const message = evictionMessage(pod, available);
  const at = ctx.clock.iso();
  const conditions = [
    ...(pod.status?.conditions ?? []).filter((c: any) => c.type !== 'DisruptionTarget').map((c: any) => (c.type === 'Ready' || c.type === 'ContainersReady' ? { ...c, status: 'False', lastTransitionTime: at, reason: 'PodFailed' } : c)),
    { type: 'DisruptionTarget', status: 'True', lastProbeTime: null, lastTransitionTime: at, reason: 'TerminationByKubelet', message },
  ];
  const containerStatuses = (pod.status?.containerStatuses ?? []).map((c: any) => ({
    ...c,
    ready: false,
    started: false,
    state: { terminated: { exitCode: 137, reason: 'Error', startedAt: c.state?.running?.startedAt ?? at, finishedAt: at, ...(c.containerID ? { containerID: c.containerID } : {}) } },
  }));
  ctx.store.update('pods', { ...pod, status: { ...pod.status, phase: 'Failed', reason: 'Evicted', message, conditions, containerStatuses } });
  ctx.events.record({ involved: pod, reason: 'Evicted', message, type: 'Warning', component: 'kubelet', host: node.metadata.name });
}

function setPressure(ctx: ClusterContext, node: KubeObject, on: boolean): void {
  const at = ctx.clock.iso();
  const [status, reason, message] = on ? ['True', 'KubeletHasInsufficientMemory', 'kubelet has insufficient memory available'] : ['False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'];
  const conditions = (node.status?.conditions ?? []).map((c: any) => (c.type === 'MemoryPressure' ? { ...c, status, reason, message, lastHeartbeatTime: at, lastTransitionTime: at } : c));
  // TaintNodesByCondition: the node lifecycle controller mirrors the condition as a NoSchedule taint.
  const others = (node.spec?.taints ?? []).filter((t: any) => t.key !== taintKey);
  const taints = on ? [...others, { key: taintKey, effect: 'NoSchedule', timeAdded: at }] : others;
  const spec = { ...node.spec, taints };
  if (!taints.length) delete spec.taints;
  ctx.store.update('nodes', { ...node, spec, status: { ...node.status, conditions } });
  const event = on ? 'NodeHasInsufficientMemory' : 'NodeHasSufficientMemory';
  ctx.events.record({ involved: node, reason: event, message: `Node ${node.metadata.name} status is now: ${event}`, type: 'Normal', component: 'kubelet', host: node.metadata.name });
}

/**
 * The kubelet's eviction manager against memory: when the working sets of a node's pods (the
 * `sandbox.deckhand.dev/memory` annotations, as the metrics API shows them) leave less than
 * 100Mi of its capacity, the node reports MemoryPressure and the kubelet evicts pods, the most
 * over their request first, until the threshold is met again.
 */
export function syncNodePressure(ctx: ClusterContext): boolean {
  const since = lastShort.get(ctx) ?? new Map<string, number>();
  lastShort.set(ctx, since);
  const now = ctx.clock.now();
  let changed = false;
  const pods = ctx.store.scan('pods');
  for (const node of ctx.store.scan('nodes')) {
    if (isKubeletStopped(node)) continue;
    const ready = (node.status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True');
    if (!ready) continue;
    const capacity = parseQuantity(node.status?.capacity?.memory ?? node.status?.allocatable?.memory) ?? 0;
    const running = pods.filter((p) => holdsMemory(p, node.metadata.name));
    let available = capacity - systemBytes - running.reduce((n, p) => n + podMemoryUsage(p), 0);
    const pressured = (node.status?.conditions ?? []).some((c: any) => c.type === 'MemoryPressure' && c.status === 'True');
    if (available < thresholdBytes) {
      since.set(node.metadata.name, now);
      if (!pressured) {
        setPressure(ctx, node, true);
        ctx.events.record({ involved: node, reason: 'EvictionThresholdMet', message: 'Attempting to reclaim memory', type: 'Warning', component: 'kubelet', host: node.metadata.name });
      }
      for (const victim of rank(running)) {
        if (available >= thresholdBytes) break;
        evict(ctx, node, victim, available);
        available += podMemoryUsage(victim);
      }
      changed = true;
    } else if (pressured && now - (since.get(node.metadata.name) ?? 0) >= transitionMs) {
      setPressure(ctx, node, false);
      changed = true;
    }
  }
  return changed;
}
