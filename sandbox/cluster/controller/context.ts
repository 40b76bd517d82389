/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-explicit-any -- pods are wire JSON */
import type { Logger } from '../../shared/product.js';
import { randomSuffix } from '../names.js';
import type { PodTemplate, WorkloadSpec } from '../scenarios/types.js';
import type { SimClock } from '../sim-clock.js';
import { formatTime } from '../sim-clock.js';
import type { ObjectStore } from '../store.js';
import type { KubeObject } from '../types.js';
import type { EventRecorder } from './events.js';
import type { PodRuntime } from './kubelet.js';
import { admitPod } from './admission.js';
import { limitRangerAnnotation } from './limit-ranges.js';
import { withDefaultTolerations } from './scheduler.js';

export interface ClusterContext {
  store: ObjectStore;
  clock: SimClock;
  events: EventRecorder;
  /** Per pod uid: its fault and schedule time. */
  pods: Map<string, PodRuntime>;
  /** The scenario entry of a workload, for its fault rules and logs. */
  workloadOf(namespace: string, name: string): WorkloadSpec | undefined;
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

/** Name of the workload the scenario rules are keyed by: the Deployment for a ReplicaSet's pods. */
export function workloadNameOf(store: ObjectStore, owner: KubeObject): string {
  if (owner.kind !== 'ReplicaSet') return owner.metadata.name;
  const ref = owner.metadata.ownerReferences?.find((r) => r.controller);
  return ref?.name ?? owner.metadata.name;
}

export interface NewPod {
  owner: KubeObject;
  template: any;
  name?: string;
  nodeName?: string;
  createdAt?: number;
  extraLabels?: Record<string, string>;
}

/** Creates a pod from a controller's template and decides its fault from the scenario rules. */
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
  const spec = ctx.workloadOf(ns, workloadNameOf(ctx.store, input.owner));
  const fault = spec?.faults?.find((rule) => rule.when(template as PodTemplate))?.fault;
  const created = ctx.store.create('pods', pod);
  ctx.pods.set(created.metadata.uid, {
    fault,
    healthyLogs: spec?.logs ?? ['level=info msg="started"'],
    ...(input.nodeName ? { scheduledAt: createdAt } : {}),
  });
  return created;
}
