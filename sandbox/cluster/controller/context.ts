/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-explicit-any -- pods are wire JSON */
import type { Logger } from '../../shared/product.js';
import { randomSuffix } from '../names.js';
import type { SimClock } from '../sim-clock.js';
import { formatTime } from '../sim-clock.js';
import type { ObjectStore } from '../store.js';
import type { KubeObject } from '../types.js';
import type { EventRecorder } from './events.js';
import { newPodRuntime, type PodRuntime } from './kubelet.js';
import { admitPod } from './admission.js';
import { limitRangerAnnotation } from './limit-ranges.js';
import { withDefaultTolerations } from './scheduler.js';

export interface ClusterContext {
  store: ObjectStore;
  clock: SimClock;
  events: EventRecorder;
  /** Per pod uid: what the kubelet observed of it (schedule time, IP, references). */
  pods: Map<string, PodRuntime>;
  log: Logger;
}

export function ownerRef(owner: KubeObject) {
  return { apiVersion: owner.apiVersion, kind: owner.kind, name: owner.metadata.name, uid: owner.metadata.uid, controller: true, blockOwnerDeletion: true };
}

export function isControlledBy(o: KubeObject, owner: KubeObject): boolean {
  return (o.metadata.ownerReferences ?? []).some((r) => r.uid === owner.metadata.uid && r.controller);
}

export function isTerminating(o: KubeObject): boolean {
  return Boolean(o.metadata.deletionTimestamp);
}

export interface NewPod {
  owner: KubeObject;
  template: any;
  name?: string;
  nodeName?: string;
  createdAt?: number;
  extraLabels?: Record<string, string>;
}

/** Creates a pod from a controller's template; seeded pods come bound to a node in the past. */
export function createPod(ctx: ClusterContext, input: NewPod): KubeObject {
  const ns = input.owner.metadata.namespace ?? 'default';
  const generateName = `${input.owner.metadata.name}-`;
  const name = input.name ?? `${generateName}${randomSuffix()}`;
  const template = input.template;
  const createdAt = input.createdAt ?? ctx.clock.now();
  // What admission leaves of the template's spec: LimitRange defaults, and the annotation saying so.
  const admitted = admitPod(ctx, ns, template.spec);
  const annotations = { ...(template.metadata?.annotations ?? {}), ...(admitted.annotation ? { [limitRangerAnnotation]: admitted.annotation } : {}) };
  const pod: KubeObject = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      ...(input.name ? {} : { generateName }),
      namespace: ns,
      uid: '',
      resourceVersion: '',
      creationTimestamp: formatTime(createdAt),
      labels: { ...(template.metadata?.labels ?? {}), ...(input.extraLabels ?? {}) },
      ...(Object.keys(annotations).length ? { annotations } : {}),
      ownerReferences: [ownerRef(input.owner)],
    },
    spec: {
      ...admitted.spec,
      ...(input.nodeName ? { nodeName: input.nodeName } : {}),
      serviceAccountName: template.spec?.serviceAccountName ?? 'default',
      serviceAccount: template.spec?.serviceAccountName ?? 'default',
      enableServiceLinks: true,
      preemptionPolicy: 'PreemptLowerPriority',
      priority: 0,
      tolerations: withDefaultTolerations((template.spec?.tolerations as any[] | undefined) ?? []),
    },
    status: { phase: 'Pending', qosClass: 'BestEffort' },
  };
  const created = ctx.store.create('pods', pod);
  ctx.pods.set(created.metadata.uid, { ...newPodRuntime(), ...(input.nodeName ? { scheduledAt: createdAt } : {}) });
  return created;
}
