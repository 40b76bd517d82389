/** What the sandbox serves: one entry per resource, driving routing, discovery and tables. */
export interface ResourceInfo {
  plural: string;
  singular: string;
  kind: string;
  group: string;
  version: string;
  namespaced: boolean;
  shortNames?: string[];
  categories?: string[];
  verbs: string[];
  subresources?: { name: string; kind: string; group: string; version: string; verbs: string[] }[];
}

const readVerbs = ['get', 'list', 'watch'];
const writeVerbs = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection'];
const scale = { name: 'scale', kind: 'Scale', group: 'autoscaling', version: 'v1', verbs: ['get', 'patch', 'update'] };
const statusSub = (kind: string, group: string, version: string) => ({ name: 'status', kind, group, version, verbs: ['get', 'patch', 'update'] });

export const resources: ResourceInfo[] = [
  { plural: 'namespaces', singular: 'namespace', kind: 'Namespace', group: '', version: 'v1', namespaced: false, shortNames: ['ns'], verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'], subresources: [statusSub('Namespace', '', 'v1')] },
  { plural: 'nodes', singular: 'node', kind: 'Node', group: '', version: 'v1', namespaced: false, shortNames: ['no'], verbs: writeVerbs, subresources: [statusSub('Node', '', 'v1')] },
  { plural: 'pods', singular: 'pod', kind: 'Pod', group: '', version: 'v1', namespaced: true, shortNames: ['po'], categories: ['all'], verbs: writeVerbs, subresources: [statusSub('Pod', '', 'v1'), { name: 'log', kind: 'Pod', group: '', version: 'v1', verbs: ['get'] }, { name: 'eviction', kind: 'Eviction', group: 'policy', version: 'v1', verbs: ['create'] }] },
  { plural: 'events', singular: 'event', kind: 'Event', group: '', version: 'v1', namespaced: true, shortNames: ['ev'], verbs: writeVerbs },
  { plural: 'deployments', singular: 'deployment', kind: 'Deployment', group: 'apps', version: 'v1', namespaced: true, shortNames: ['deploy'], categories: ['all'], verbs: writeVerbs, subresources: [scale, statusSub('Deployment', 'apps', 'v1')] },
  { plural: 'replicasets', singular: 'replicaset', kind: 'ReplicaSet', group: 'apps', version: 'v1', namespaced: true, shortNames: ['rs'], categories: ['all'], verbs: writeVerbs, subresources: [scale, statusSub('ReplicaSet', 'apps', 'v1')] },
  { plural: 'statefulsets', singular: 'statefulset', kind: 'StatefulSet', group: 'apps', version: 'v1', namespaced: true, shortNames: ['sts'], categories: ['all'], verbs: writeVerbs, subresources: [scale, statusSub('StatefulSet', 'apps', 'v1')] },
  { plural: 'daemonsets', singular: 'daemonset', kind: 'DaemonSet', group: 'apps', version: 'v1', namespaced: true, shortNames: ['ds'], categories: ['all'], verbs: writeVerbs, subresources: [statusSub('DaemonSet', 'apps', 'v1')] },
  { plural: 'horizontalpodautoscalers', singular: 'horizontalpodautoscaler', kind: 'HorizontalPodAutoscaler', group: 'autoscaling', version: 'v2', namespaced: true, shortNames: ['hpa'], categories: ['all'], verbs: writeVerbs, subresources: [statusSub('HorizontalPodAutoscaler', 'autoscaling', 'v2')] },
  { plural: 'events', singular: 'event', kind: 'Event', group: 'events.k8s.io', version: 'v1', namespaced: true, shortNames: ['ev'], verbs: readVerbs },
  { plural: 'services', singular: 'service', kind: 'Service', group: '', version: 'v1', namespaced: true, shortNames: ['svc'], categories: ['all'], verbs: writeVerbs.filter((v) => v !== 'deletecollection'), subresources: [statusSub('Service', '', 'v1')] },
  { plural: 'endpoints', singular: 'endpoints', kind: 'Endpoints', group: '', version: 'v1', namespaced: true, shortNames: ['ep'], verbs: writeVerbs },
  { plural: 'configmaps', singular: 'configmap', kind: 'ConfigMap', group: '', version: 'v1', namespaced: true, shortNames: ['cm'], verbs: writeVerbs },
  { plural: 'secrets', singular: 'secret', kind: 'Secret', group: '', version: 'v1', namespaced: true, verbs: writeVerbs },
  { plural: 'serviceaccounts', singular: 'serviceaccount', kind: 'ServiceAccount', group: '', version: 'v1', namespaced: true, shortNames: ['sa'], verbs: writeVerbs },
  { plural: 'persistentvolumeclaims', singular: 'persistentvolumeclaim', kind: 'PersistentVolumeClaim', group: '', version: 'v1', namespaced: true, shortNames: ['pvc'], verbs: writeVerbs, subresources: [statusSub('PersistentVolumeClaim', '', 'v1')] },
  { plural: 'persistentvolumes', singular: 'persistentvolume', kind: 'PersistentVolume', group: '', version: 'v1', namespaced: false, shortNames: ['pv'], verbs: writeVerbs, subresources: [statusSub('PersistentVolume', '', 'v1')] },
  { plural: 'resourcequotas', singular: 'resourcequota', kind: 'ResourceQuota', group: '', version: 'v1', namespaced: true, shortNames: ['quota'], verbs: writeVerbs, subresources: [statusSub('ResourceQuota', '', 'v1')] },
  { plural: 'limitranges', singular: 'limitrange', kind: 'LimitRange', group: '', version: 'v1', namespaced: true, shortNames: ['limits'], verbs: writeVerbs },
  { plural: 'endpointslices', singular: 'endpointslice', kind: 'EndpointSlice', group: 'discovery.k8s.io', version: 'v1', namespaced: true, verbs: writeVerbs },
  { plural: 'storageclasses', singular: 'storageclass', kind: 'StorageClass', group: 'storage.k8s.io', version: 'v1', namespaced: false, shortNames: ['sc'], verbs: writeVerbs },
  { plural: 'poddisruptionbudgets', singular: 'poddisruptionbudget', kind: 'PodDisruptionBudget', group: 'policy', version: 'v1', namespaced: true, shortNames: ['pdb'], verbs: writeVerbs, subresources: [statusSub('PodDisruptionBudget', 'policy', 'v1')] },
  { plural: 'jobs', singular: 'job', kind: 'Job', group: 'batch', version: 'v1', namespaced: true, categories: ['all'], verbs: writeVerbs, subresources: [statusSub('Job', 'batch', 'v1')] },
  { plural: 'cronjobs', singular: 'cronjob', kind: 'CronJob', group: 'batch', version: 'v1', namespaced: true, shortNames: ['cj'], categories: ['all'], verbs: writeVerbs, subresources: [statusSub('CronJob', 'batch', 'v1')] },
  { plural: 'leases', singular: 'lease', kind: 'Lease', group: 'coordination.k8s.io', version: 'v1', namespaced: true, verbs: writeVerbs },
  { plural: 'roles', singular: 'role', kind: 'Role', group: 'rbac.authorization.k8s.io', version: 'v1', namespaced: true, verbs: writeVerbs },
  { plural: 'clusterroles', singular: 'clusterrole', kind: 'ClusterRole', group: 'rbac.authorization.k8s.io', version: 'v1', namespaced: false, verbs: writeVerbs },
  { plural: 'rolebindings', singular: 'rolebinding', kind: 'RoleBinding', group: 'rbac.authorization.k8s.io', version: 'v1', namespaced: true, verbs: writeVerbs },
  { plural: 'clusterrolebindings', singular: 'clusterrolebinding', kind: 'ClusterRoleBinding', group: 'rbac.authorization.k8s.io', version: 'v1', namespaced: false, verbs: writeVerbs },
  // Access reviews: create-only questions to the authoriser, answered and never stored (access-review.ts).
  { plural: 'subjectaccessreviews', singular: 'subjectaccessreview', kind: 'SubjectAccessReview', group: 'authorization.k8s.io', version: 'v1', namespaced: false, verbs: ['create'] },
  { plural: 'selfsubjectaccessreviews', singular: 'selfsubjectaccessreview', kind: 'SelfSubjectAccessReview', group: 'authorization.k8s.io', version: 'v1', namespaced: false, verbs: ['create'] },
  { plural: 'localsubjectaccessreviews', singular: 'localsubjectaccessreview', kind: 'LocalSubjectAccessReview', group: 'authorization.k8s.io', version: 'v1', namespaced: true, verbs: ['create'] },
  { plural: 'selfsubjectrulesreviews', singular: 'selfsubjectrulesreview', kind: 'SelfSubjectRulesReview', group: 'authorization.k8s.io', version: 'v1', namespaced: false, verbs: ['create'] },
  // Served by the metrics API (metrics-server), computed on every read: never stored, never watched.
  { plural: 'pods', singular: '', kind: 'PodMetrics', group: 'metrics.k8s.io', version: 'v1beta1', namespaced: true, verbs: ['get', 'list'] },
  { plural: 'nodes', singular: '', kind: 'NodeMetrics', group: 'metrics.k8s.io', version: 'v1beta1', namespaced: false, verbs: ['get', 'list'] },
];

/** Group versions served, in discovery order. (autoscaling/v1 appears only as the Scale kind.) */
export const groupVersions: { group: string; version: string }[] = [
  { group: '', version: 'v1' },
  { group: 'apps', version: 'v1' },
  { group: 'authorization.k8s.io', version: 'v1' },
  { group: 'autoscaling', version: 'v2' },
  { group: 'batch', version: 'v1' },
  { group: 'coordination.k8s.io', version: 'v1' },
  { group: 'discovery.k8s.io', version: 'v1' },
  { group: 'events.k8s.io', version: 'v1' },
  { group: 'metrics.k8s.io', version: 'v1beta1' },
  { group: 'policy', version: 'v1' },
  { group: 'rbac.authorization.k8s.io', version: 'v1' },
  { group: 'storage.k8s.io', version: 'v1' },
];

export function findResource(group: string, version: string, plural: string): ResourceInfo | undefined {
  return resources.find((r) => r.group === group && r.version === version && r.plural === plural);
}

/** Store table a resource lives in: both event APIs share one table. */
export function storeKeyOf(info: ResourceInfo): string {
  return info.plural;
}

/** True for the access reviews (authorization.k8s.io), which are answered rather than stored. */
export function isAccessReview(info: { group: string }): boolean {
  return info.group === 'authorization.k8s.io';
}

/** True for the metrics API's resources, which are computed rather than stored. */
export function isMetrics(info: { group: string }): boolean {
  return info.group === 'metrics.k8s.io';
}

/** Accepts "Pod", "pods", "pod", "deploy"… and returns the store table name. */
export function resolveKind(kind: string): string | undefined {
  const k = kind.toLowerCase();
  const r = resources.find((x) => !isMetrics(x) && (x.kind.toLowerCase() === k || x.plural === k || x.singular === k || x.shortNames?.includes(k)));
  return r?.plural;
}

export function apiVersionOf(info: { group: string; version: string }): string {
  return info.group ? `${info.group}/${info.version}` : info.version;
}
