/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-unsafe-return, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-explicit-any -- the simulated API handles Kubernetes wire JSON, whose shapes vary by kind */
import { parseQuantity } from '../quantity.js';
import type { KubeObject } from '../types.js';
import type { ClusterContext } from './context.js';
import { unschedulableStatus, viewPod, type PodCounters, type PodRuntime } from './kubelet.js';

/** How long a graceful delete takes at most (the container stops quickly). */
const terminationMs = 1000;

function requestOf(pod: KubeObject, resource: 'cpu' | 'memory'): number {
  return (pod.spec.containers ?? []).reduce((n: number, c: any) => n + (parseQuantity(c.resources?.requests?.[resource]) ?? 0), 0);
}

/** The scheduler's verdict: a node, or the FailedScheduling message. */
export function schedule(pod: KubeObject, nodes: readonly KubeObject[], podsOnNode: (node: string) => number): { node?: string; message?: string } {
  const reasons = new Map<string, number>();
  const preemption = new Map<string, number>();
  const count = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
  const fits: KubeObject[] = [];
  for (const node of nodes) {
    const taints: any[] = node.spec?.taints ?? [];
    const blocking = taints.find((t) => t.effect === 'NoSchedule' && t.key !== 'node.kubernetes.io/unschedulable');
    if (blocking) {
      count(reasons, `node(s) had untolerated taint {${blocking.key}: ${blocking.value ?? ''}}`);
      count(preemption, 'Preemption is not helpful for scheduling');
    } else if (node.spec?.unschedulable) {
      count(reasons, 'node(s) were unschedulable');
      count(preemption, 'Preemption is not helpful for scheduling');
    } else {
      // Checked against allocatable alone: the sandbox's pods are small, and "fits a node" stays predictable.
      const memory = requestOf(pod, 'memory') > (parseQuantity(node.status?.allocatable?.memory) ?? 0);
      const cpu = requestOf(pod, 'cpu') > (parseQuantity(node.status?.allocatable?.cpu) ?? 0);
      if (cpu) count(reasons, 'Insufficient cpu');
      if (memory) count(reasons, 'Insufficient memory');
      if (cpu || memory) count(preemption, 'No preemption victims found for incoming pod');
      else fits.push(node);
    }
  }
  if (fits.length) {
    const best = [...fits].sort((a, b) => podsOnNode(a.metadata.name) - podsOnNode(b.metadata.name) || a.metadata.name.localeCompare(b.metadata.name))[0];
    return { node: best?.metadata.name ?? '' };
  }
  const list = (m: Map<string, number>) => [...m].map(([r, n]) => `${n} ${r}`).sort().join(', ');
  const n = nodes.length;
  return { message: `0/${n} nodes are available: ${list(reasons)}. preemption: 0/${n} nodes are available: ${list(preemption)}.` };
}

function recordKubeletEvents(ctx: ClusterContext, pod: KubeObject, rt: PodRuntime, c: PodCounters): void {
  const container = pod.spec.containers[0];
  const image: string = container.image;
  const name: string = container.name;
  const common = { involved: pod, component: 'kubelet', host: pod.spec.nodeName as string, fieldPath: `spec.containers{${name}}`, ...(rt.scheduledAt !== undefined ? { firstAt: rt.scheduledAt } : {}) };
  const podRef = `${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})`;
  if (rt.fault?.type === 'image-pull') {
    const failures = c.pullFailures;
    ctx.events.record({ ...common, reason: 'Pulling', message: `Pulling image "${image}"`, type: 'Normal', count: failures });
    ctx.events.record({ ...common, reason: 'Failed', message: `Failed to pull image "${image}": rpc error: code = NotFound desc = failed to pull and unpack image "${image}": failed to resolve reference "${image}": ${image}: not found`, type: 'Warning', count: failures });
    ctx.events.record({ ...common, reason: 'Failed', message: 'Error: ErrImagePull', type: 'Warning', count: failures });
    ctx.events.record({ ...common, reason: 'BackOff', message: `Back-off pulling image "${image}"`, type: 'Normal', count: c.backOffs });
    ctx.events.record({ ...common, reason: 'Failed', message: 'Error: ImagePullBackOff', type: 'Warning', count: c.backOffs });
    return;
  }
  ctx.events.record({ ...common, reason: 'Pulled', message: `Container image "${image}" already present on machine`, type: 'Normal', count: c.starts });
  ctx.events.record({ ...common, reason: 'Created', message: `Created container: ${name}`, type: 'Normal', count: c.starts });
  ctx.events.record({ ...common, reason: 'Started', message: `Started container ${name}`, type: 'Normal', count: c.starts });
  if (rt.fault?.type === 'crash') {
    ctx.events.record({ ...common, reason: 'BackOff', message: `Back-off restarting failed container ${name} in pod ${podRef}`, type: 'Warning', count: c.backOffs });
  }
  if (rt.fault?.type === 'unready') {
    ctx.events.record({ ...common, reason: 'Unhealthy', message: rt.fault.probeMessage, type: 'Warning', count: c.probeFailures });
  }
}

/**
 * Scheduler and kubelet in one pass: finish graceful deletions, bind pending pods, and write
 * every pod's status for the current sim time. Returns whether pods appeared, moved or went,
 * and whether any pod is still on its way to a steady state.
 */
export function syncPods(ctx: ClusterContext): { changed: boolean; transient: boolean } {
  const { store, clock } = ctx;
  const now = clock.now();
  let changed = false;
  let transient = false;
  const nodes = store.scan('nodes');
  const pods = store.scan('pods');
  const perNode = new Map<string, number>();
  for (const p of pods) if (p.spec.nodeName) perNode.set(p.spec.nodeName, (perNode.get(p.spec.nodeName) ?? 0) + 1);

  for (const stored of [...pods]) {
    // A shallow copy: this pass replaces spec and status, never edits them in place.
    const pod: KubeObject = { ...stored };
    const rt: PodRuntime = ctx.pods.get(pod.metadata.uid) ?? { fault: undefined, healthyLogs: [] };
    if (!ctx.pods.has(pod.metadata.uid)) ctx.pods.set(pod.metadata.uid, rt);
    if (pod.metadata.deletionTimestamp) {
      const requested = Date.parse(pod.metadata.deletionTimestamp) - (pod.metadata.deletionGracePeriodSeconds ?? 0) * 1000;
      if (now >= requested + Math.min(terminationMs, (pod.metadata.deletionGracePeriodSeconds ?? 0) * 1000)) {
        store.remove('pods', pod.metadata.namespace, pod.metadata.name);
        ctx.pods.delete(pod.metadata.uid);
        changed = true;
      } else transient = true;
      continue;
    }
    if (!pod.spec.nodeName) {
      const verdict = schedule(pod, nodes, (n) => perNode.get(n) ?? 0);
      if (verdict.node) {
        pod.spec = { ...pod.spec, nodeName: verdict.node };
        rt.scheduledAt = now;
        perNode.set(verdict.node, (perNode.get(verdict.node) ?? 0) + 1);
        ctx.events.record({ involved: pod, reason: 'Scheduled', message: `Successfully assigned ${pod.metadata.namespace}/${pod.metadata.name} to ${verdict.node}`, type: 'Normal', component: 'default-scheduler', seriesStyle: true });
        changed = true;
      } else {
        const created = Date.parse(pod.metadata.creationTimestamp);
        pod.status = unschedulableStatus(pod, verdict.message ?? '', created);
        store.update('pods', pod);
        // The scheduler retries an unschedulable pod at least every five minutes.
        ctx.events.record({ involved: pod, reason: 'FailedScheduling', message: verdict.message ?? '', type: 'Warning', component: 'default-scheduler', seriesStyle: true, count: 1 + Math.floor((now - created) / 300_000) });
        continue;
      }
    }
    const node = nodes.find((n) => n.metadata.name === pod.spec.nodeName);
    const view = viewPod(pod, rt, now, podIpOf(rt, node, pod), node?.status?.addresses?.[0]?.address ?? '10.0.0.10');
    pod.status = view.status;
    store.update('pods', pod);
    recordKubeletEvents(ctx, pod, rt, view.counters);
    if (view.transient) transient = true;
  }
  return { changed, transient };
}

function podIpOf(rt: PodRuntime, node: KubeObject | undefined, pod: KubeObject): string {
  if (!rt.podIP) {
    const cidr: string = node?.spec?.podCIDR ?? '10.244.0.0/24';
    const n = 2 + (parseInt(pod.metadata.uid.replace(/-/g, '').slice(0, 6), 16) % 250);
    rt.podIP = cidr.replace(/\.0\/\d+$/, `.${n}`);
  }
  return rt.podIP;
}

/** The node lifecycle controller's part we need: cordon adds the unschedulable taint. */
export function syncNodes(ctx: ClusterContext): boolean {
  let changed = false;
  for (const node of ctx.store.list('nodes')) {
    const taints: any[] = node.spec.taints ?? [];
    const has = taints.some((t) => t.key === 'node.kubernetes.io/unschedulable');
    const want = Boolean(node.spec.unschedulable);
    if (has === want) continue;
    node.spec.taints = want ? [...taints, { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule', timeAdded: ctx.clock.iso() }] : taints.filter((t) => t.key !== 'node.kubernetes.io/unschedulable');
    if (!node.spec.taints.length) delete node.spec.taints;
    ctx.store.update('nodes', node);
    changed = true;
  }
  return changed;
}
