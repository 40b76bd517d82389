/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-explicit-any -- the simulated API handles Kubernetes wire JSON, whose shapes vary by kind */
import type { KubeObject } from '../types.js';
import type { ClusterContext } from './context.js';
import type { KubeletEvent } from './kubelet-events.js';
import { newPodRuntime, unschedulableStatus, viewPod, type PodRuntime } from './kubelet.js';
import { containerConfigError, missingPullSecrets, mountErrors } from './references.js';
import { boundPods, schedule } from './scheduler.js';
import { isKubeletStopped } from './node-lifecycle.js';
import { unboundClaimsOf } from './volumes.js';

/** How long a graceful delete takes at most (the container stops quickly). */
const terminationMs = 1000;

/**
 * What the kubelet reads from other objects on each pass: whether the pod's volumes mount and
 * each container's environment builds. A reference fixed later (the ConfigMap created, the key
 * added) lets the pod go on from that moment, as the kubelet's next retry would.
 */
function observeReferences(ctx: ClusterContext, pod: KubeObject, rt: PodRuntime, now: number): void {
  const scheduledAt = rt.scheduledAt ?? now;
  rt.missingPullSecrets = missingPullSecrets(ctx.store, pod);
  if (rt.mountedAt === undefined) {
    const errors = mountErrors(ctx.store, pod);
    if (errors.length === 0) rt.mountedAt = rt.mountErrors.length ? now : scheduledAt;
    rt.mountErrors = errors;
    if (errors.length) return;
  }
  for (const container of pod.spec.containers ?? []) {
    const name = String(container.name);
    if (rt.configOkAt[name] !== undefined) continue;
    const error = containerConfigError(ctx.store, pod, container);
    if (error) rt.configErrors[name] = error;
    else {
      rt.configOkAt[name] = rt.configErrors[name] ? now : 0;
      delete rt.configErrors[name];
    }
  }
}

function recordKubeletEvents(ctx: ClusterContext, pod: KubeObject, events: KubeletEvent[]): void {
  const host = pod.spec.nodeName as string;
  for (const e of events) {
    ctx.events.record({ involved: pod, component: 'kubelet', host, reason: e.reason, message: e.message, type: e.type, count: e.count, firstAt: e.firstAt, ...(e.fieldPath ? { fieldPath: e.fieldPath } : {}) });
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
    const rt: PodRuntime = ctx.pods.get(pod.metadata.uid) ?? newPodRuntime();
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
    rt.scheduledAt ??= Date.parse(pod.metadata.creationTimestamp) || now;
    observeReferences(ctx, pod, rt, now);
    const view = viewPod(pod, rt, now, podIpOf(rt, node, pod), node?.status?.addresses?.[0]?.address ?? '10.0.0.10');
    pod.status = view.status;
    store.update('pods', pod);
    recordKubeletEvents(ctx, pod, view.events);
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
