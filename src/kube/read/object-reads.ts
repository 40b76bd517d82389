import { BatchV1Api, CoreV1Api, CustomObjectsApi, PolicyV1Api, StorageV1Api, type KubeConfig } from '@kubernetes/client-node';
import { isNotFound, statusCodeOf, type KubeErrorContext } from '../errors.js';
import type { NodeUsage, ObjectReads, PodUsage } from '../object-reads.js';

type Call = <T>(ctx: KubeErrorContext, fn: () => Promise<T>) => Promise<T>;

interface MetricsItem {
  metadata?: { name?: string; namespace?: string };
  usage?: { cpu?: string; memory?: string };
  containers?: { name?: string; usage?: { cpu?: string; memory?: string } }[];
}

/**
 * The ObjectReads of a ClusterReader over client-node: lists only, never a Secret. ConfigMaps
 * are reduced to their keys here, so no value ever leaves this function.
 */
export function createObjectReads(kc: KubeConfig, call: Call): ObjectReads {
  const core = kc.makeApiClient(CoreV1Api);
  const batch = kc.makeApiClient(BatchV1Api);
  const policy = kc.makeApiClient(PolicyV1Api);
  const storage = kc.makeApiClient(StorageV1Api);
  const custom = kc.makeApiClient(CustomObjectsApi);
  const list = <T>(resource: string, namespace: string | undefined, fn: () => Promise<{ items: T[] }>) =>
    call({ verb: 'list', resource, namespace }, fn).then((l) => l.items);

  /** The metrics API is an aggregated add-on: when it is absent, there is simply no usage. */
  async function metrics(plural: 'pods' | 'nodes', namespace?: string): Promise<MetricsItem[]> {
    try {
      const group = 'metrics.k8s.io';
      const version = 'v1beta1';
      const res = (await (namespace === undefined
        ? custom.listClusterCustomObject({ group, version, plural })
        : custom.listNamespacedCustomObject({ group, version, namespace, plural }))) as { items?: MetricsItem[] };
      return res.items ?? [];
    } catch (err) {
      if (isNotFound(err) || statusCodeOf(err) === 503) return [];
      return call({ verb: 'list', resource: `${plural}.metrics.k8s.io`, namespace }, () => Promise.reject(err as Error));
    }
  }

  return {
    listServices: (namespace) => list('services', namespace, () => core.listNamespacedService({ namespace })),
    listEndpoints: (namespace) => list('endpoints', namespace, () => core.listNamespacedEndpoints({ namespace })),
    listPersistentVolumeClaims: (namespace) => list('persistentvolumeclaims', namespace, () => core.listNamespacedPersistentVolumeClaim({ namespace })),
    listPersistentVolumes: () => list('persistentvolumes', undefined, () => core.listPersistentVolume()),
    listStorageClasses: () => list('storageclasses', undefined, () => storage.listStorageClass()),
    listResourceQuotas: (namespace) => list('resourcequotas', namespace, () => core.listNamespacedResourceQuota({ namespace })),
    async listServiceAccountNames(namespace) {
      const items = await list('serviceaccounts', namespace, () => core.listNamespacedServiceAccount({ namespace }));
      return items.map((s) => s.metadata?.name ?? '').filter((n) => n !== '');
    },
    async listConfigMapKeys(namespace) {
      const items = await list('configmaps', namespace, () => core.listNamespacedConfigMap({ namespace }));
      return items.map((c) => ({ name: c.metadata?.name ?? '', keys: [...Object.keys(c.data ?? {}), ...Object.keys(c.binaryData ?? {})].sort() }));
    },
    listJobs: (namespace) => list('jobs', namespace, () => batch.listNamespacedJob({ namespace })),
    listCronJobs: (namespace) => list('cronjobs', namespace, () => batch.listNamespacedCronJob({ namespace })),
    listPodDisruptionBudgets: (namespace) => list('poddisruptionbudgets', namespace, () => policy.listNamespacedPodDisruptionBudget({ namespace })),
    listPodsOnNode: (node) => list('pods', undefined, () => core.listPodForAllNamespaces({ fieldSelector: `spec.nodeName=${node}` })),
    async listPodUsage(namespace): Promise<PodUsage[]> {
      return (await metrics('pods', namespace)).map((m) => ({
        namespace: m.metadata?.namespace ?? namespace,
        name: m.metadata?.name ?? '',
        containers: (m.containers ?? []).map((c) => ({ name: c.name ?? '', cpu: c.usage?.cpu ?? '0', memory: c.usage?.memory ?? '0' })),
      }));
    },
    async listNodeUsage(): Promise<NodeUsage[]> {
      return (await metrics('nodes')).map((m) => ({ name: m.metadata?.name ?? '', cpu: m.usage?.cpu ?? '0', memory: m.usage?.memory ?? '0' }));
    },
  };
}
