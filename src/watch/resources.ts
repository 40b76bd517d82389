import type { ResourceSpec } from './informer.js';
import { trimNamespace, trimPod, trimWorkload, type TrimmedNamespace, type TrimmedPod, type TrimmedWorkload, type WorkloadKind } from './trim.js';

const nsPath = (namespace: string | undefined) => (namespace === undefined ? '' : `/namespaces/${namespace}`);

const workloadKinds: { kind: WorkloadKind; group: string; resource: string }[] = [
  { kind: 'Deployment', group: 'apps/v1', resource: 'deployments' },
  { kind: 'StatefulSet', group: 'apps/v1', resource: 'statefulsets' },
  { kind: 'DaemonSet', group: 'apps/v1', resource: 'daemonsets' },
  { kind: 'Job', group: 'batch/v1', resource: 'jobs' },
];

/** What the watch lists and watches (deploy/rbac.yaml grants exactly these list/watch verbs). */
export const resourceSpecs = {
  namespaces: (): ResourceSpec<TrimmedNamespace> => ({ resource: 'namespaces', apiVersion: 'v1', kind: 'Namespace', namespace: undefined, path: '/api/v1/namespaces', trim: trimNamespace }),
  pods: (namespace: string | undefined): ResourceSpec<TrimmedPod> => ({ resource: 'pods', apiVersion: 'v1', kind: 'Pod', namespace, path: `/api/v1${nsPath(namespace)}/pods`, trim: trimPod }),
  workloads: (namespace: string | undefined): ResourceSpec<TrimmedWorkload>[] =>
    workloadKinds.map(({ kind, group, resource }) => ({
      resource,
      apiVersion: group,
      kind,
      namespace,
      path: `/apis/${group}${nsPath(namespace)}/${resource}`,
      trim: (raw) => trimWorkload(kind, raw),
    })),
};
