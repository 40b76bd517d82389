import { AppsV1Api, BatchV1Api, CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import type { WorkloadInventory } from '../reader.js';
import { toKubeError } from '../errors.js';

export const defaultInventoryLimit = 500;

interface Page<T> {
  items: T[];
  metadata?: { _continue?: string };
}

/**
 * Lists what a namespace (or the cluster) runs: one LIST per kind, each one page of at most
 * `limit` items. A cut list or a refused one (RBAC without batch or PVC reads) becomes a note,
 * so a sweep still answers from the rest and says what it could not see; when every list
 * fails (the API server is unreachable), the first error is thrown.
 */
export function createInventoryLister(kc: KubeConfig, clusterName: string): (namespace: string | undefined, options?: { limit?: number }) => Promise<WorkloadInventory> {
  const core = kc.makeApiClient(CoreV1Api);
  const apps = kc.makeApiClient(AppsV1Api);
  const batch = kc.makeApiClient(BatchV1Api);

  return async (namespace, options = {}) => {
    const limit = options.limit ?? defaultInventoryLimit;
    const notes: string[] = [];
    const errors: unknown[] = [];
    const list = async <T>(resource: string, namespaced: (p: { namespace: string; limit: number }) => Promise<Page<T>>, all: (p: { limit: number }) => Promise<Page<T>>): Promise<T[]> => {
      try {
        const page = namespace === undefined ? await all({ limit }) : await namespaced({ namespace, limit });
        if (page.metadata?._continue) notes.push(`only the first ${limit} ${resource} were read`);
        return page.items;
      } catch (err) {
        const error = toKubeError(err, { verb: 'list', resource, namespace, cluster: clusterName });
        errors.push(error);
        notes.push(`could not list ${resource}: ${error.message}`);
        return [];
      }
    };
    const [deployments, statefulSets, daemonSets, jobs, cronJobs, pods, services, persistentVolumeClaims] = await Promise.all([
      list('deployments', (p) => apps.listNamespacedDeployment(p), (p) => apps.listDeploymentForAllNamespaces(p)),
      list('statefulsets', (p) => apps.listNamespacedStatefulSet(p), (p) => apps.listStatefulSetForAllNamespaces(p)),
      list('daemonsets', (p) => apps.listNamespacedDaemonSet(p), (p) => apps.listDaemonSetForAllNamespaces(p)),
      list('jobs', (p) => batch.listNamespacedJob(p), (p) => batch.listJobForAllNamespaces(p)),
      list('cronjobs', (p) => batch.listNamespacedCronJob(p), (p) => batch.listCronJobForAllNamespaces(p)),
      list('pods', (p) => core.listNamespacedPod(p), (p) => core.listPodForAllNamespaces(p)),
      list('services', (p) => core.listNamespacedService(p), (p) => core.listServiceForAllNamespaces(p)),
      list('persistentvolumeclaims', (p) => core.listNamespacedPersistentVolumeClaim(p), (p) => core.listPersistentVolumeClaimForAllNamespaces(p)),
    ]);
    if (errors.length === 8) throw errors[0];
    return {
      ...(namespace === undefined ? {} : { namespace }),
      deployments,
      statefulSets,
      daemonSets,
      jobs,
      cronJobs,
      pods,
      services,
      persistentVolumeClaims,
      notes,
    };
  };
}
