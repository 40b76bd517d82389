import type { CoreV1Event, V1Container, V1Pod } from '@kubernetes/client-node';
import type { Evidence, NamespaceObjects } from '../../../src/analysis/types.js';

/** Hand-built evidence for one analyzer: real-shaped objects, nothing else. */
export function evidenceOf(partial: Partial<Evidence> = {}, objects: Partial<NamespaceObjects> = {}): Evidence {
  return {
    cluster: 'prod',
    namespace: 'shop',
    pods: [],
    totalPods: 0,
    podEvents: {},
    logs: [],
    nodes: [],
    hpas: [],
    notes: [],
    objects: {
      pods: [], services: [], endpoints: [], claims: [], volumes: [], storageClasses: [], quotas: [], serviceAccounts: [], configMaps: [], jobs: [], cronJobs: [], pdbs: [], usage: [], events: [], nodePods: {},
      ...objects,
    },
    ...partial,
  };
}

export function ev(kind: string, name: string, type: string, reason: string, message: string, extra: Partial<CoreV1Event> = {}): CoreV1Event {
  return { metadata: { name: `${name}.1`, namespace: 'shop' }, involvedObject: { kind, name, namespace: 'shop' }, type, reason, message, count: 3, ...extra };
}

/** A pod of Deployment `app` (ReplicaSet `${app}-7d9f`), with one container and the given status. */
export function podOf(app: string, suffix: string, container: Partial<V1Container>, status: V1Pod['status'] = {}, extra: Partial<V1Pod['spec']> = {}): V1Pod {
  return {
    metadata: { name: `${app}-7d9f-${suffix}`, namespace: 'shop', labels: { app, 'pod-template-hash': '7d9f' }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: `${app}-7d9f`, uid: 'rs', controller: true }] },
    spec: { nodeName: 'node-1', containers: [{ name: app, image: `registry.example.com/shop/${app}:1.0`, ...container }], ...extra },
    status,
  };
}

export const workloadRef = (name: string) => ({ ref: { kind: 'Deployment' as const, namespace: 'shop', name }, replicaSets: [], events: [] });
