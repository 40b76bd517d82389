/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-unsafe-return, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-explicit-any -- the simulated API handles Kubernetes wire JSON, whose shapes vary by kind */
import { quotaStatus } from '../controller/admission.js';
import type { ClusterContext } from '../controller/context.js';
import { newUid } from '../names.js';
import type { KubeObject } from '../types.js';

/**
 * What the API server itself fills in on create and update (the registry strategies, defaulting
 * and the DefaultStorageClass admission plugin) for the kinds that carry no controller logic
 * here: a Service's cluster IP, a Secret's type and stringData, a Job's selector and labels, the
 * first phase of a claim or volume.
 */
export function applyDefaults(ctx: ClusterContext, resource: string, next: KubeObject, previous: KubeObject | undefined): void {
  const apply = defaulters[resource];
  if (apply) apply(ctx, next, previous);
}

type Defaulter = (ctx: ClusterContext, o: KubeObject, previous: KubeObject | undefined) => void;

const defaulters: Record<string, Defaulter> = {
  // A Node always has a spec, if empty.
  nodes: (_ctx, n) => {
    n.spec ??= {};
  },
  services: defaultService,
  secrets: (_ctx, s) => {
    s.type ??= 'Opaque';
    if (s.stringData && typeof s.stringData === 'object') {
      s.data = { ...(s.data ?? {}) };
      for (const [k, v] of Object.entries(s.stringData)) s.data[k] = Buffer.from(String(v)).toString('base64');
      delete s.stringData;
    }
  },
  persistentvolumeclaims: (ctx, c, previous) => {
    c.spec ??= {};
    c.spec.volumeMode ??= 'Filesystem';
    if (!previous && c.spec.storageClassName === undefined) {
      const preferred = ctx.store.list('storageclasses').find((sc) => sc.metadata.annotations?.['storageclass.kubernetes.io/is-default-class'] === 'true');
      if (preferred) c.spec.storageClassName = preferred.metadata.name;
    }
    c.status ??= previous?.status ?? { phase: 'Pending' };
  },
  persistentvolumes: (_ctx, v, previous) => {
    v.spec ??= {};
    v.spec.persistentVolumeReclaimPolicy ??= 'Retain';
    v.spec.volumeMode ??= 'Filesystem';
    v.status ??= previous?.status ?? { phase: 'Pending' };
  },
  storageclasses: (_ctx, sc) => {
    sc.reclaimPolicy ??= 'Delete';
    sc.volumeBindingMode ??= 'Immediate';
  },
  jobs: defaultJob,
  // autoscaling/v2 SetDefaults_HorizontalPodAutoscaler: minReplicas 1, and CPU at 80% of requests when no metric is given.
  horizontalpodautoscalers: (_ctx, h) => {
    h.spec ??= {};
    h.spec.minReplicas ??= 1;
    if (!Array.isArray(h.spec.metrics) || !h.spec.metrics.length) {
      h.spec.metrics = [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }];
    }
  },
  // SetDefaults_LimitRangeItem: a Container item's default limit falls back to max, its default request to the default limit, then to min.
  limitranges: (_ctx, lr) => {
    for (const item of lr.spec?.limits ?? []) {
      if (item.type !== 'Container') continue;
      item.default = { ...(item.max ?? {}), ...(item.default ?? {}) };
      item.defaultRequest = { ...(item.min ?? {}), ...item.default, ...(item.defaultRequest ?? {}) };
      if (!Object.keys(item.default).length) delete item.default;
      if (!Object.keys(item.defaultRequest).length) delete item.defaultRequest;
    }
  },
  cronjobs: (_ctx, c) => {
    c.spec ??= {};
    c.spec.concurrencyPolicy ??= 'Allow';
    c.spec.suspend ??= false;
    c.spec.successfulJobsHistoryLimit ??= 3;
    c.spec.failedJobsHistoryLimit ??= 1;
    c.status ??= {};
  },
  poddisruptionbudgets: (_ctx, p, previous) => {
    p.status ??= previous?.status ?? { disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 };
  },
  // A new quota's status is the quota controller's first pass, so it never shows empty.
  resourcequotas: (ctx, q, previous) => {
    q.status ??= previous?.status ?? quotaStatus(ctx, q);
  },
};

/** The service IP range kubeadm uses (10.96.0.0/12); .1 is the kubernetes Service. */
function allocateClusterIP(ctx: ClusterContext): string {
  const used = new Set(ctx.store.scan('services').flatMap((s) => s.spec?.clusterIPs ?? []));
  for (let n = 10; ; n++) {
    const ip = `10.96.${Math.floor(n / 250)}.${(n % 250) + 1}`;
    if (!used.has(ip)) return ip;
  }
}

function allocateNodePort(ctx: ClusterContext): number {
  const used = new Set(ctx.store.scan('services').flatMap((s) => (s.spec?.ports ?? []).map((p: any) => p.nodePort)));
  let port = 30000;
  while (used.has(port)) port++;
  return port;
}

function defaultService(ctx: ClusterContext, s: KubeObject, previous: KubeObject | undefined): void {
  s.spec ??= {};
  const spec = s.spec;
  spec.type ??= 'ClusterIP';
  spec.sessionAffinity ??= 'None';
  if (spec.type !== 'ExternalName') {
    // The cluster IP is allocated once and immutable; an update that omits it keeps it.
    spec.clusterIP ??= previous?.spec?.clusterIP ?? allocateClusterIP(ctx);
    spec.clusterIPs ??= spec.clusterIP === 'None' ? ['None'] : [spec.clusterIP];
    spec.ipFamilies ??= ['IPv4'];
    spec.ipFamilyPolicy ??= 'SingleStack';
    spec.internalTrafficPolicy ??= 'Cluster';
  }
  const nodePorts = spec.type === 'NodePort' || spec.type === 'LoadBalancer';
  spec.ports = (spec.ports ?? []).map((p: any) => {
    const port = { ...p, protocol: p.protocol ?? 'TCP', targetPort: p.targetPort ?? p.port };
    if (nodePorts) port.nodePort ??= previous?.spec?.ports?.find((q: any) => q.port === p.port)?.nodePort ?? allocateNodePort(ctx);
    return port;
  });
  if (nodePorts) spec.externalTrafficPolicy ??= 'Cluster';
  s.status ??= previous?.status ?? { loadBalancer: {} };
}

function defaultJob(_ctx: ClusterContext, j: KubeObject, previous: KubeObject | undefined): void {
  j.spec ??= {};
  const spec = j.spec;
  if (spec.completions === undefined && spec.parallelism === undefined) spec.completions = 1;
  spec.parallelism ??= 1;
  spec.backoffLimit ??= 6;
  spec.completionMode ??= 'NonIndexed';
  spec.suspend ??= false;
  spec.podReplacementPolicy ??= 'TerminatingOrFailed';
  if (!previous && !spec.manualSelector) {
    // The job registry's generated selector: the Job's uid, also stamped on its pod template.
    j.metadata.uid ||= newUid();
    const uid = j.metadata.uid;
    const labels = { 'batch.kubernetes.io/controller-uid': uid, 'batch.kubernetes.io/job-name': j.metadata.name, 'controller-uid': uid, 'job-name': j.metadata.name };
    spec.selector = { matchLabels: { 'batch.kubernetes.io/controller-uid': uid } };
    spec.template ??= {};
    spec.template.metadata = { ...(spec.template.metadata ?? {}), labels: { ...(spec.template.metadata?.labels ?? {}), ...labels } };
    // A Job without labels of its own takes its template's.
    if (!j.metadata.labels || Object.keys(j.metadata.labels).length === 0) j.metadata.labels = { ...spec.template.metadata.labels };
  }
  j.status ??= previous?.status ?? {};
}
