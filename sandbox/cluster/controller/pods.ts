/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-explicit-any -- the simulated API handles Kubernetes wire JSON, whose shapes vary by kind */
import type { KubeObject } from '../types.js';
import type { ClusterContext } from './context.js';
import { unschedulableStatus, viewPod, type PodCounters, type PodRuntime } from './kubelet.js';
import { boundPods, schedule } from './scheduler.js';
import { isKubeletStopped } from './node-lifecycle.js';
import { unboundClaimsOf } from './volumes.js';

/** How long a graceful delete takes at most (the container stops quickly). */
const terminationMs = 1000;

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
  // What each node already holds; a pod bound in this pass counts for the next.
  const bound = boundPods(pods);

  for (const stored of [...pods]) {
    // A shallow copy: this pass replaces spec and status, never edits them in place.
    const pod: KubeObject = { ...stored };
    const rt: PodRuntime = ctx.pods.get(pod.metadata.uid) ?? { fault: undefined, healthyLogs: [] };
    if (!ctx.pods.has(pod.metadata.uid)) ctx.pods.set(pod.metadata.uid, rt);
    // A stopped kubelet reports nothing: its pods keep their last status, and deletions never finish.
    if (pod.spec.nodeName && isKubeletStopped(nodes.find((n) => n.metadata.name === pod.spec.nodeName))) continue;
    if (pod.metadata.deletionTimestamp) {
      const requested = Date.parse(pod.metadata.deletionTimestamp) - (pod.metadata.deletionGracePeriodSeconds ?? 0) * 1000;
      if (now >= requested + Math.min(terminationMs, (pod.metadata.deletionGracePeriodSeconds ?? 0) * 1000)) {
        store.remove('pods', pod.metadata.namespace, pod.metadata.name);
        ctx.pods.delete(pod.metadata.uid);
        changed = true;
      } else transient = true;
      continue;
    }
    // A terminal phase is final: the kubelet never runs a Succeeded or Failed (evicted) pod again.
    if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') continue;
    if (!pod.spec.nodeName) {
      const verdict = schedule(pod, nodes, bound, unboundClaimsOf(ctx, pod));
      if (verdict.node) {
        pod.spec = { ...pod.spec, nodeName: verdict.node };
        rt.scheduledAt = now;
        bound.push(pod);
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
