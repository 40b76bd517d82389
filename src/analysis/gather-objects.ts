import type { V1Node, V1Pod } from '@kubernetes/client-node';
import type { ClusterReader } from '../kube/reader.js';
import type { Evidence, NamespaceObjects } from './types.js';

type Attempt = <T>(what: string, fn: () => Promise<T>) => Promise<T | undefined>;

/** Events of the namespace kept for the analyzers (the newest; Warnings first matter most). */
const namespaceEventLimit = 300;
/** Nodes whose bound pods are listed to work out free capacity. */
const maxNodesForCapacity = 20;

/**
 * Reads the namespace's objects every object-level analyzer shares: Services and Endpoints,
 * claims (and, when one is Pending, volumes and classes), quotas, ServiceAccount names,
 * ConfigMap keys, Jobs, CronJobs, PDBs, metrics and events. Secrets are never read. Each
 * list that fails becomes a note; the rest still count.
 */
export async function gatherObjects(reader: ClusterReader, evidence: Evidence, namespace: string, attempt: Attempt): Promise<NamespaceObjects> {
  const read = async <T>(what: string, fn: () => Promise<T[]>): Promise<T[]> => (await attempt(what, fn)) ?? [];
  const [pods, services, endpoints, claims, quotas, serviceAccounts, configMaps, jobs, cronJobs, pdbs, usage, events] = await Promise.all([
    read(`pods in ${namespace}`, () => reader.listPods(namespace)),
    read(`services in ${namespace}`, () => reader.listServices(namespace)),
    read(`endpoints in ${namespace}`, () => reader.listEndpoints(namespace)),
    read(`persistent volume claims in ${namespace}`, () => reader.listPersistentVolumeClaims(namespace)),
    read(`resource quotas in ${namespace}`, () => reader.listResourceQuotas(namespace)),
    read(`service accounts in ${namespace}`, () => reader.listServiceAccountNames(namespace)),
    read(`config maps in ${namespace}`, () => reader.listConfigMapKeys(namespace)),
    read(`jobs in ${namespace}`, () => reader.listJobs(namespace)),
    read(`cron jobs in ${namespace}`, () => reader.listCronJobs(namespace)),
    read(`pod disruption budgets in ${namespace}`, () => reader.listPodDisruptionBudgets(namespace)),
    read(`pod metrics in ${namespace}`, () => reader.listPodUsage(namespace)),
    read(`events in ${namespace}`, () => reader.listNamespaceEvents(namespace, { limit: namespaceEventLimit })),
  ]);
  const objects: NamespaceObjects = {
    pods, services, endpoints, claims, quotas, serviceAccounts, configMaps, jobs, cronJobs, pdbs, usage, events,
    volumes: [], storageClasses: [], nodePods: {},
  };
  if (claims.some((c) => c.status?.phase !== 'Bound')) {
    objects.volumes = await read('persistent volumes', () => reader.listPersistentVolumes());
    objects.storageClasses = await read('storage classes', () => reader.listStorageClasses());
  }
  if (evidence.pods.some(lacksResources)) {
    for (const node of evidence.nodes.filter(isReady).slice(0, maxNodesForCapacity)) {
      const name = node.metadata?.name ?? '';
      objects.nodePods[name] = await read(`pods on node ${name}`, () => reader.listPodsOnNode(name));
    }
  }
  return objects;
}

function lacksResources(pod: V1Pod): boolean {
  const c = pod.status?.conditions?.find((x) => x.type === 'PodScheduled');
  return c?.status === 'False' && /Insufficient (cpu|memory)|were unschedulable/.test(c.message ?? '');
}

function isReady(node: V1Node): boolean {
  return node.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True';
}
