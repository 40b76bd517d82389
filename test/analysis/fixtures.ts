import type {
  CoreV1Event,
  V1ContainerStatus,
  V1CronJob,
  V1DaemonSet,
  V1Deployment,
  V1Endpoints,
  V1Job,
  V1Node,
  V1PersistentVolume,
  V1PersistentVolumeClaim,
  V1Pod,
  V1PodDisruptionBudget,
  V1ReplicaSet,
  V1ResourceQuota,
  V1Service,
  V1StatefulSet,
  V1StorageClass,
  V2HorizontalPodAutoscaler,
} from '@kubernetes/client-node';
import type { ConfigMapKeys, PodUsage } from '../../src/kube/object-reads.js';
import type { ClusterReader, LogResult, WorkloadRef } from '../../src/kube/reader.js';

/** Realistic objects shaped like the API returns them, and a fake ClusterReader over them. */

export const now = Date.parse('2026-11-21T12:00:00Z');
const ago = (min: number) => new Date(now - min * 60_000);

export interface ContainerSpec {
  name: string;
  image: string;
  env?: { name: string; value: string }[];
  memoryLimit?: string;
  memoryRequest?: string;
}

export function deployment(name: string, ns: string, opts: { replicas: number; revision: number; ready: number; container: ContainerSpec; progressDeadline?: boolean }): V1Deployment {
  return {
    metadata: { name, namespace: ns, uid: `uid-${name}`, generation: opts.revision, annotations: { 'deployment.kubernetes.io/revision': String(opts.revision) } },
    spec: { replicas: opts.replicas, selector: { matchLabels: { app: name } }, template: template(name, opts.container) },
    status: {
      replicas: opts.replicas,
      readyReplicas: opts.ready,
      availableReplicas: opts.ready,
      updatedReplicas: opts.replicas,
      conditions: [
        opts.progressDeadline
          ? { type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: `ReplicaSet "${name}-b2" has timed out progressing.` }
          : { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable', message: 'ok' },
      ],
    },
  };
}

function template(app: string, c: ContainerSpec) {
  return {
    metadata: { labels: { app } },
    spec: {
      containers: [
        {
          name: c.name,
          image: c.image,
          ...(c.env ? { env: c.env } : {}),
          resources: {
            ...(c.memoryLimit ? { limits: { memory: c.memoryLimit } } : {}),
            ...(c.memoryRequest ? { requests: { memory: c.memoryRequest } } : {}),
          },
        },
      ],
    },
  };
}

export function replicaSet(dep: string, ns: string, revision: number, hash: string, c: ContainerSpec, createdMinAgo: number): V1ReplicaSet {
  const t = template(dep, c);
  t.metadata.labels = { ...t.metadata.labels, 'pod-template-hash': hash } as typeof t.metadata.labels;
  return {
    metadata: {
      name: `${dep}-${hash}`,
      namespace: ns,
      creationTimestamp: ago(createdMinAgo),
      labels: { app: dep, 'pod-template-hash': hash },
      annotations: { 'deployment.kubernetes.io/revision': String(revision) },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: dep, uid: `uid-${dep}`, controller: true }],
    },
    spec: { selector: { matchLabels: { app: dep, 'pod-template-hash': hash } }, template: t },
  };
}

export function pod(
  name: string,
  ns: string,
  opts: { app: string; hash?: string; container: ContainerSpec; status: Partial<V1ContainerStatus>; phase?: string; node?: string; scheduled?: { reason: string; message: string } },
): V1Pod {
  const c = opts.container;
  return {
    metadata: {
      name,
      namespace: ns,
      uid: `uid-${name}`,
      labels: { app: opts.app, ...(opts.hash ? { 'pod-template-hash': opts.hash } : {}) },
      ...(opts.hash ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: `${opts.app}-${opts.hash}`, uid: 'rs', controller: true }] } : {}),
    },
    spec: {
      ...(opts.scheduled ? {} : { nodeName: opts.node ?? 'node-1' }),
      containers: [{ name: c.name, image: c.image, resources: { ...(c.memoryLimit ? { limits: { memory: c.memoryLimit } } : {}), ...(c.memoryRequest ? { requests: { memory: c.memoryRequest } } : {}) } }],
    },
    status: {
      phase: opts.phase ?? 'Running',
      ...(opts.scheduled
        ? { conditions: [{ type: 'PodScheduled', status: 'False', reason: opts.scheduled.reason, message: opts.scheduled.message }] }
        : {
            containerStatuses: [
              { name: c.name, image: c.image, imageID: '', ready: false, restartCount: 0, ...opts.status },
            ],
          }),
    },
  };
}

export function event(obj: { kind: string; name: string; ns: string }, type: string, reason: string, message: string, count = 1): CoreV1Event {
  return {
    metadata: { name: `${obj.name}.${reason}`, namespace: obj.ns },
    involvedObject: { kind: obj.kind, name: obj.name, namespace: obj.ns },
    type,
    reason,
    message,
    count,
    lastTimestamp: ago(1),
  };
}

export function node(name: string, ready: 'True' | 'Unknown', opts: { memory?: string; cpu?: string; taints?: { key: string; effect: string }[]; unschedulable?: boolean } = {}): V1Node {
  return {
    metadata: { name },
    spec: { ...(opts.taints ? { taints: opts.taints } : {}), ...(opts.unschedulable ? { unschedulable: true } : {}) },
    status: {
      allocatable: { cpu: opts.cpu ?? '4', memory: opts.memory ?? '8Gi' },
      conditions: [
        ready === 'True'
          ? { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' }
          : { type: 'Ready', status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.', lastHeartbeatTime: ago(10) },
      ],
    },
  };
}

export function hpa(name: string, ns: string, target: string, opts: { min: number; max: number; current: number; cpu: number; targetCpu: number }): V2HorizontalPodAutoscaler {
  return {
    metadata: { name, namespace: ns },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: target },
      minReplicas: opts.min,
      maxReplicas: opts.max,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: opts.targetCpu } } }],
    },
    status: {
      currentReplicas: opts.current,
      desiredReplicas: opts.max,
      currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: opts.cpu } } }],
      conditions: [{ type: 'ScalingLimited', status: 'True', reason: 'TooManyReplicas', message: 'the desired replica count is more than the maximum replica count' }],
    },
  };
}

export interface FakeWorld {
  deployments: V1Deployment[];
  replicaSets: V1ReplicaSet[];
  pods: V1Pod[];
  events: CoreV1Event[];
  nodes: V1Node[];
  hpas: V2HorizontalPodAutoscaler[];
  /** Logs by `pod/container` (previous) or `pod/container/current`. */
  logs: Record<string, string>;
  statefulSets: V1StatefulSet[];
  daemonSets: V1DaemonSet[];
  services: V1Service[];
  endpoints: V1Endpoints[];
  claims: V1PersistentVolumeClaim[];
  volumes: V1PersistentVolume[];
  storageClasses: V1StorageClass[];
  quotas: V1ResourceQuota[];
  serviceAccounts: { ns: string; name: string }[];
  configMaps: (ConfigMapKeys & { ns: string })[];
  jobs: V1Job[];
  cronJobs: V1CronJob[];
  pdbs: V1PodDisruptionBudget[];
  usage: PodUsage[];
}

export function emptyWorld(): FakeWorld {
  return {
    deployments: [], replicaSets: [], pods: [], events: [], nodes: [], hpas: [], logs: {}, statefulSets: [], daemonSets: [], services: [], endpoints: [],
    claims: [], volumes: [], storageClasses: [], quotas: [], serviceAccounts: [], configMaps: [], jobs: [], cronJobs: [], pdbs: [], usage: [],
  };
}

const inNs = <T extends { metadata?: { namespace?: string } }>(items: T[], ns: string) => items.filter((i) => i.metadata?.namespace === ns);

/** A read-only fake of B's ClusterReader over plain objects; records every call. */
export function fakeReader(world: FakeWorld, cluster = 'prod'): ClusterReader & { calls: string[] } {
  const calls: string[] = [];
  const rev = (r: V1ReplicaSet) => Number(r.metadata?.annotations?.['deployment.kubernetes.io/revision'] ?? 0);
  const podsOf = (ref: WorkloadRef) => world.pods.filter((p) => p.metadata?.namespace === ref.namespace && p.metadata.labels?.app === ref.name);
  const byLabel = (pods: V1Pod[], selector: string | undefined) => {
    if (!selector) return pods;
    return pods.filter((p) => selector.split(',').every((t) => { const [k, v] = t.split('='); return p.metadata?.labels?.[k ?? ''] === v; }));
  };
  return {
    cluster,
    calls,
    listServices: (ns) => Promise.resolve(inNs(world.services, ns)),
    listEndpoints: (ns) => Promise.resolve(inNs(world.endpoints, ns)),
    listPersistentVolumeClaims: (ns) => Promise.resolve(inNs(world.claims, ns)),
    listPersistentVolumes: () => Promise.resolve(world.volumes),
    listStorageClasses: () => Promise.resolve(world.storageClasses),
    listResourceQuotas: (ns) => Promise.resolve(inNs(world.quotas, ns)),
    listServiceAccountNames: (ns) => Promise.resolve(world.serviceAccounts.filter((s) => s.ns === ns).map((s) => s.name)),
    listConfigMapKeys: (ns) => Promise.resolve(world.configMaps.filter((c) => c.ns === ns).map(({ name, keys }) => ({ name, keys }))),
    listJobs: (ns) => Promise.resolve(inNs(world.jobs, ns)),
    listCronJobs: (ns) => Promise.resolve(inNs(world.cronJobs, ns)),
    listPodDisruptionBudgets: (ns) => Promise.resolve(inNs(world.pdbs, ns)),
    listPodsOnNode: (node) => Promise.resolve(world.pods.filter((p) => p.spec?.nodeName === node)),
    listPodUsage: (ns) => Promise.resolve(world.usage.filter((u) => u.namespace === ns)),
    listNodeUsage: () => Promise.resolve([]),
    listNamespaces: () => Promise.resolve([...new Set(world.pods.map((p) => p.metadata?.namespace ?? ''))]),
    listPods: (ns, opts) => (calls.push(`listPods ${ns}`), Promise.resolve(byLabel(inNs(world.pods, ns), opts?.labelSelector))),
    getPod: (ns, name) => (calls.push(`getPod ${name}`), Promise.resolve(world.pods.find((p) => p.metadata?.namespace === ns && p.metadata.name === name))),
    listWorkloadPods: (ref) => (calls.push(`listWorkloadPods ${ref.name}`), Promise.resolve(podsOf(ref))),
    getDeployment: (ns, name) => (calls.push(`getDeployment ${name}`), Promise.resolve(world.deployments.find((d) => d.metadata?.namespace === ns && d.metadata.name === name))),
    getStatefulSet: (ns, name) => Promise.resolve(inNs(world.statefulSets, ns).find((x) => x.metadata?.name === name)),
    getDaemonSet: (ns, name) => Promise.resolve(inNs(world.daemonSets, ns).find((x) => x.metadata?.name === name)),
    listDeploymentReplicaSets: (ns, dep) =>
      Promise.resolve(world.replicaSets.filter((r) => r.metadata?.namespace === ns && r.metadata.ownerReferences?.[0]?.name === dep).sort((a, b) => rev(b) - rev(a))),
    listObjectEvents: (ns, kind, name) =>
      (calls.push(`events ${kind}/${name}`),
      Promise.resolve(world.events.filter((e) => e.involvedObject.namespace === ns && e.involvedObject.kind === kind && e.involvedObject.name === name))),
    listNamespaceEvents: (ns) => Promise.resolve(world.events.filter((e) => e.involvedObject.namespace === ns)),
    listNodes: () => (calls.push('listNodes'), Promise.resolve(world.nodes)),
    getNode: (name) => (calls.push(`getNode ${name}`), Promise.resolve(world.nodes.find((n) => n.metadata?.name === name))),
    readLogs: (_ns, podName, req) => {
      calls.push(`logs ${podName}/${req?.container ?? ''}${req?.previous ? ' previous' : ''}`);
      const text = world.logs[`${podName}/${req?.container ?? ''}${req?.previous ? '' : '/current'}`];
      const result: LogResult = text === undefined ? { ok: false, message: 'no logs' } : { ok: true, text, truncated: false };
      return Promise.resolve(result);
    },
    listHpas: (ns) => Promise.resolve(world.hpas.filter((h) => h.metadata?.namespace === ns)),
    findWorkloads: (name, ns) =>
      Promise.resolve(
        world.deployments
          .filter((d) => (ns === undefined || d.metadata?.namespace === ns) && (d.metadata?.name ?? '').includes(name))
          .map((d) => ({ kind: 'Deployment' as const, namespace: d.metadata?.namespace ?? '', name: d.metadata?.name ?? '' })),
      ),
    listInventory: (ns) => {
      calls.push(`listInventory ${ns ?? '*'}`);
      const inNs = <T extends { metadata?: { namespace?: string } }>(items: T[]) => items.filter((i) => ns === undefined || i.metadata?.namespace === ns);
      return Promise.resolve({
        ...(ns === undefined ? {} : { namespace: ns }),
        deployments: inNs(world.deployments),
        statefulSets: [],
        daemonSets: [],
        jobs: [],
        cronJobs: [],
        pods: inNs(world.pods),
        services: [],
        persistentVolumeClaims: [],
        notes: [],
      });
    },
  };
}
