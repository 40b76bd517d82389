import type { ObjectReads } from '../../src/kube/object-reads.js';

/** ObjectReads with nothing in the cluster, for fake ClusterReaders that do not care. */
export function emptyObjectReads(): ObjectReads {
  const empty = () => Promise.resolve([]);
  return {
    listServices: empty,
    listEndpoints: empty,
    listPersistentVolumeClaims: empty,
    listPersistentVolumes: empty,
    listStorageClasses: empty,
    listResourceQuotas: empty,
    listServiceAccountNames: empty,
    listConfigMapKeys: empty,
    listJobs: empty,
    listCronJobs: empty,
    listPodDisruptionBudgets: empty,
    listPodsOnNode: empty,
    listPodUsage: empty,
    listNodeUsage: empty,
  };
}
