/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-return, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-explicit-any -- the simulated API handles Kubernetes wire JSON, whose shapes vary by kind */
import type { KubeObject } from '../types.js';
import { createPod, isControlledBy, isTerminating, type ClusterContext } from './context.js';
import { hashOfTemplate } from './templates.js';
import { applyDefaults } from '../api/defaults.js';
import { refusalOf } from './admission.js';

export function isPodReady(pod: KubeObject): boolean {
  return (pod.status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True');
}

/** Marks a pod for graceful deletion, as a DELETE with the pod's grace period would. */
export function deletePodGracefully(ctx: ClusterContext, pod: KubeObject, graceSeconds?: number): KubeObject {
  const grace = graceSeconds ?? pod.spec.terminationGracePeriodSeconds ?? 30;
  const metadata = { ...pod.metadata, deletionTimestamp: ctx.clock.iso(ctx.clock.now() + grace * 1000), deletionGracePeriodSeconds: grace };
  return ctx.store.update('pods', { ...pod, metadata });
}

/** Lower sorts first: the pods a controller gives up first (unscheduled, pending, not ready, newest). */
function deletionRank(pod: KubeObject): number[] {
  return [pod.spec.nodeName ? 1 : 0, pod.status?.phase === 'Pending' ? 0 : 1, isPodReady(pod) ? 1 : 0, -Date.parse(pod.metadata.creationTimestamp)];
}

function compareRank(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) - (b[i] ?? 0);
  return 0;
}

/** The owner's pods, straight from the store: read them, never mutate them. */
export function podsOf(ctx: ClusterContext, owner: KubeObject): { active: KubeObject[]; terminating: KubeObject[] } {
  const pods = ctx.store.scan('pods', owner.metadata.namespace).filter((p) => isControlledBy(p, owner));
  // A finished pod (Succeeded, or Failed such as evicted) no longer counts as one of the owner's replicas.
  const finished = (p: KubeObject) => p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed';
  return { active: pods.filter((p) => !isTerminating(p) && !finished(p)), terminating: pods.filter(isTerminating) };
}

export function write(ctx: ClusterContext, resource: string, o: KubeObject): boolean {
  const before = o.metadata.resourceVersion;
  return ctx.store.update(resource, o).metadata.resourceVersion !== before;
}

/** Per cluster, per owner uid: when the API server first refused one of its pods (sim ms). */
const refusedSince = new WeakMap<ClusterContext, Map<string, number>>();

/**
 * Whether admission refuses the owner's next pod; if so the owner shows FailedCreate with the
 * API server's message, worded as its controller words it (`podName` for the StatefulSet
 * controller, which names its pods; the others create from a generateName). The controller
 * retries with back-off: one more count per sim minute.
 */
export function refusedCreate(ctx: ClusterContext, owner: KubeObject, component = 'replicaset-controller', podName?: string): boolean {
  const namespace = owner.metadata.namespace ?? 'default';
  const reason = refusalOf(ctx, namespace, owner.spec.template?.spec);
  const since = refusedSince.get(ctx) ?? new Map<string, number>();
  refusedSince.set(ctx, since);
  if (!reason) {
    since.delete(owner.metadata.uid);
    return false;
  }
  const now = ctx.clock.now();
  const first = since.get(owner.metadata.uid) ?? now;
  since.set(owner.metadata.uid, first);
  const message = podName
    ? `create Pod ${podName} in StatefulSet ${owner.metadata.name} failed error: pods "${podName}" is forbidden: ${reason}`
    : `Error creating: pods "${owner.metadata.name}-" is forbidden: ${reason}`;
  ctx.events.record({ involved: owner, reason: 'FailedCreate', message, type: 'Warning', component, count: 1 + Math.floor((now - first) / 60_000), firstAt: first });
  return true;
}

/** The ReplicaSet controller: keep spec.replicas pods, report their readiness. */
export function syncReplicaSet(ctx: ClusterContext, rs: KubeObject): boolean {
  let changed = false;
  const { active } = podsOf(ctx, rs);
  const want: number = rs.spec.replicas ?? 1;
  for (let i = active.length; i < want; i++) {
    if (refusedCreate(ctx, rs)) break;
    const pod = createPod(ctx, { owner: rs, template: rs.spec.template });
    active.push(pod);
    ctx.events.record({ involved: rs, reason: 'SuccessfulCreate', message: `Created pod: ${pod.metadata.name}`, type: 'Normal', component: 'replicaset-controller' });
    changed = true;
  }
  if (active.length > want) {
    const victims = [...active].sort((a, b) => compareRank(deletionRank(a), deletionRank(b))).slice(0, active.length - want);
    for (const pod of victims) {
      deletePodGracefully(ctx, pod);
      ctx.events.record({ involved: rs, reason: 'SuccessfulDelete', message: `Deleted pod: ${pod.metadata.name}`, type: 'Normal', component: 'replicaset-controller' });
      active.splice(active.indexOf(pod), 1);
    }
    changed = true;
  }
  const ready = active.filter(isPodReady).length;
  rs.status = {
    replicas: active.length,
    fullyLabeledReplicas: active.length,
    readyReplicas: ready,
    availableReplicas: ready,
    observedGeneration: rs.metadata.generation,
  };
  return write(ctx, 'replicasets', rs) || changed;
}

/** The pod's volumeClaimTemplates as claims `<template>-<pod>` (created if missing, as the controller does) and volumes. */
function withClaims(ctx: ClusterContext, sts: KubeObject, podName: string): any {
  const templates: any[] = sts.spec.volumeClaimTemplates ?? [];
  if (!templates.length) return sts.spec.template;
  const namespace = sts.metadata.namespace ?? 'default';
  const template = structuredClone(sts.spec.template);
  const volumes: any[] = [...(template.spec?.volumes ?? [])];
  for (const claimTemplate of templates) {
    const claimName = `${String(claimTemplate.metadata?.name)}-${podName}`;
    if (!ctx.store.get('persistentvolumeclaims', namespace, claimName)) {
      const claim: KubeObject = {
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
        metadata: { name: claimName, namespace, uid: '', resourceVersion: '', creationTimestamp: '', labels: { ...(sts.spec.selector?.matchLabels ?? {}), ...(claimTemplate.metadata?.labels ?? {}) } },
        spec: structuredClone(claimTemplate.spec ?? {}),
      };
      applyDefaults(ctx, 'persistentvolumeclaims', claim, undefined);
      ctx.store.create('persistentvolumeclaims', claim);
      ctx.events.record({ involved: sts, reason: 'SuccessfulCreate', message: `create Claim ${claimName} Pod ${podName} in StatefulSet ${sts.metadata.name} success`, type: 'Normal', component: 'statefulset-controller' });
    }
    if (!volumes.some((v) => v.name === claimTemplate.metadata?.name)) volumes.push({ name: claimTemplate.metadata?.name, persistentVolumeClaim: { claimName } });
  }
  template.spec = { ...template.spec, volumes };
  return template;
}

/** The StatefulSet controller: ordinal pods, replaced one at a time from the highest when the template changes. */
export function syncStatefulSet(ctx: ClusterContext, sts: KubeObject): boolean {
  let changed = false;
  const revision = `${sts.metadata.name}-${hashOfTemplate(sts.spec.template)}`;
  const want: number = sts.spec.replicas ?? 1;
  const { active, terminating } = podsOf(ctx, sts);
  const byName = new Map([...active, ...terminating].map((p) => [p.metadata.name, p]));
  // A failed pod is deleted and made again under its name.
  for (const pod of ctx.store.scan('pods', sts.metadata.namespace).filter((p) => isControlledBy(p, sts) && !isTerminating(p) && p.status?.phase === 'Failed')) {
    terminating.push(deletePodGracefully(ctx, pod));
    byName.set(pod.metadata.name, pod);
    ctx.events.record({ involved: sts, reason: 'SuccessfulDelete', message: `delete Pod ${pod.metadata.name} in StatefulSet ${sts.metadata.name} successful`, type: 'Normal', component: 'statefulset-controller' });
    changed = true;
  }
  // OrderedReady (the default): pod N+1 is made only once pods 0..N are Running and Ready.
  const ordered = (sts.spec.podManagementPolicy ?? 'OrderedReady') !== 'Parallel';
  for (let i = 0; i < want; i++) {
    const name = `${sts.metadata.name}-${i}`;
    const existing = byName.get(name);
    if (existing) {
      if (ordered && (isTerminating(existing) || !isPodReady(existing))) break;
      continue;
    }
    if (refusedCreate(ctx, sts, 'statefulset-controller', name)) break;
    const template = withClaims(ctx, sts, name);
    const pod = createPod(ctx, { owner: sts, template, name, extraLabels: { 'controller-revision-hash': revision, 'statefulset.kubernetes.io/pod-name': name, 'apps.kubernetes.io/pod-index': String(i) } });
    active.push(pod);
    ctx.events.record({ involved: sts, reason: 'SuccessfulCreate', message: `create Pod ${name} in StatefulSet ${sts.metadata.name} successful`, type: 'Normal', component: 'statefulset-controller' });
    changed = true;
    if (ordered) break;
  }
  const ordinal = (p: KubeObject): number => Number(p.metadata.name.slice(sts.metadata.name.length + 1));
  const extra = active.filter((p) => ordinal(p) >= want);
  const outdated = active.filter((p) => ordinal(p) < want && p.metadata.labels?.['controller-revision-hash'] !== revision).sort((a, b) => ordinal(b) - ordinal(a));
  const settled = terminating.length === 0 && active.every(isPodReady);
  const victim = extra[0] ?? (settled ? outdated[0] : undefined);
  if (victim) {
    deletePodGracefully(ctx, victim);
    ctx.events.record({ involved: sts, reason: 'SuccessfulDelete', message: `delete Pod ${victim.metadata.name} in StatefulSet ${sts.metadata.name} successful`, type: 'Normal', component: 'statefulset-controller' });
    changed = true;
  }
  const live = active.filter((p) => p !== victim);
  const ready = live.filter(isPodReady).length;
  const updated = live.filter((p) => p.metadata.labels?.['controller-revision-hash'] === revision).length;
  sts.status = {
    observedGeneration: sts.metadata.generation,
    replicas: live.length,
    readyReplicas: ready,
    currentReplicas: updated,
    updatedReplicas: updated,
    availableReplicas: ready,
    currentRevision: updated === live.length ? revision : (sts.status?.currentRevision ?? revision),
    updateRevision: revision,
    collisionCount: 0,
  };
  return write(ctx, 'statefulsets', sts) || changed;
}
