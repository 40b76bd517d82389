import {
  AppsV1Api,
  AutoscalingV2Api,
  CoreV1Api,
  type CoreV1Event,
  type KubeConfig,
  type V1Pod,
  type V1ReplicaSet,
} from '@kubernetes/client-node';
import type { ClusterReader, LogRequest, LogResult, WorkloadKind, WorkloadRef } from '../reader.js';
import { isNotFound, parseStatusBody, statusCodeOf, toKubeError, type KubeErrorContext } from '../errors.js';
import { controllerOf, labelSelectorOf, revisionOf } from '../selectors.js';
import { sortEventsNewestFirst } from '../format/time.js';
import { createInventoryLister } from './inventory.js';
import { createObjectReads } from './object-reads.js';

const defaultEventLimit = 50;
const defaultTailLines = 200;
const defaultLogBytes = 64 * 1024;

/**
 * ClusterReader over client-node. Read-only by construction: it only ever GETs and LISTs,
 * and there is no path to Secrets (no method reads them, none lists them).
 */
export function createClusterReader(kc: KubeConfig, clusterName: string): ClusterReader {
  const core = kc.makeApiClient(CoreV1Api);
  const apps = kc.makeApiClient(AppsV1Api);
  const autoscaling = kc.makeApiClient(AutoscalingV2Api);

  async function call<T>(ctx: KubeErrorContext, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw toKubeError(err, { ...ctx, cluster: clusterName });
    }
  }

  async function optional<T>(ctx: KubeErrorContext, fn: () => Promise<T>): Promise<T | undefined> {
    try {
      return await fn();
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw toKubeError(err, { ...ctx, cluster: clusterName });
    }
  }

  const getDeployment = (namespace: string, name: string) =>
    optional({ verb: 'get', resource: 'deployments', namespace, name }, () => apps.readNamespacedDeployment({ namespace, name }));
  const getStatefulSet = (namespace: string, name: string) =>
    optional({ verb: 'get', resource: 'statefulsets', namespace, name }, () => apps.readNamespacedStatefulSet({ namespace, name }));
  const getDaemonSet = (namespace: string, name: string) =>
    optional({ verb: 'get', resource: 'daemonsets', namespace, name }, () => apps.readNamespacedDaemonSet({ namespace, name }));

  async function getWorkload(ref: WorkloadRef) {
    if (ref.kind === 'Deployment') return getDeployment(ref.namespace, ref.name);
    if (ref.kind === 'StatefulSet') return getStatefulSet(ref.namespace, ref.name);
    return getDaemonSet(ref.namespace, ref.name);
  }

  async function listPods(namespace: string, options: { labelSelector?: string } = {}): Promise<V1Pod[]> {
    const list = await call({ verb: 'list', resource: 'pods', namespace }, () =>
      core.listNamespacedPod(options.labelSelector ? { namespace, labelSelector: options.labelSelector } : { namespace }),
    );
    return list.items;
  }

  async function listEvents(namespace: string, fieldSelector: string | undefined): Promise<CoreV1Event[]> {
    const ctx = { verb: 'list', resource: 'events', namespace: namespace || undefined };
    const list = await call(ctx, () => {
      const params = fieldSelector ? { fieldSelector } : {};
      return namespace ? core.listNamespacedEvent({ namespace, ...params }) : core.listEventForAllNamespaces(params);
    });
    return sortEventsNewestFirst(list.items);
  }

  async function readLogs(namespace: string, pod: string, request: LogRequest = {}): Promise<LogResult> {
    let container = request.container;
    if (container === undefined) {
      // The API insists on a container name when a pod has several; kubectl picks the first.
      const found = await optional({ verb: 'get', resource: 'pods', namespace, name: pod }, () => core.readNamespacedPod({ namespace, name: pod }));
      if (!found) return { ok: false, message: `pod "${pod}" not found in namespace ${namespace}` };
      container = found.spec?.containers[0]?.name;
    }
    const params = {
      namespace,
      name: pod,
      tailLines: request.tailLines ?? defaultTailLines,
      ...(container === undefined ? {} : { container }),
      ...(request.previous ? { previous: true } : {}),
    };
    let text: string;
    try {
      text = await core.readNamespacedPodLog(params);
    } catch (err) {
      const code = statusCodeOf(err);
      if (code === 400 || code === 404) {
        const status = parseStatusBody((err as { body?: unknown }).body);
        return { ok: false, message: status.message ?? `logs of pod "${pod}" are not available (HTTP ${code})` };
      }
      throw toKubeError(err, { verb: 'get', resource: 'pods/log', namespace, name: pod, cluster: clusterName });
    }
    return keepNewestBytes(typeof text === 'string' ? text : String(text), request.limitBytes ?? defaultLogBytes);
  }

  async function findWorkloads(name: string, namespace?: string): Promise<WorkloadRef[]> {
    const ctx = (resource: string) => ({ verb: 'list', resource, namespace });
    const [deployments, statefulSets, daemonSets] = await Promise.all([
      call(ctx('deployments'), () => (namespace ? apps.listNamespacedDeployment({ namespace }) : apps.listDeploymentForAllNamespaces())),
      call(ctx('statefulsets'), () => (namespace ? apps.listNamespacedStatefulSet({ namespace }) : apps.listStatefulSetForAllNamespaces())),
      call(ctx('daemonsets'), () => (namespace ? apps.listNamespacedDaemonSet({ namespace }) : apps.listDaemonSetForAllNamespaces())),
    ]);
    const refs: WorkloadRef[] = [];
    const add = (kind: WorkloadKind, items: { metadata?: { name?: string; namespace?: string } }[]) => {
      for (const item of items) {
        const itemName = item.metadata?.name ?? '';
        if (itemName.includes(name)) refs.push({ kind, namespace: item.metadata?.namespace ?? namespace ?? '', name: itemName });
      }
    };
    add('Deployment', deployments.items);
    add('StatefulSet', statefulSets.items);
    add('DaemonSet', daemonSets.items);
    // Exact matches first, then the shortest names (closest to what was asked).
    return refs.sort((a, b) => Number(b.name === name) - Number(a.name === name) || a.name.length - b.name.length);
  }

  return {
    cluster: clusterName,
    ...createObjectReads(kc, call),
    async listNamespaces() {
      const list = await call({ verb: 'list', resource: 'namespaces' }, () => core.listNamespace());
      return list.items.map((n) => n.metadata?.name ?? '').filter((n) => n !== '');
    },
    listPods,
    getPod: (namespace, name) => optional({ verb: 'get', resource: 'pods', namespace, name }, () => core.readNamespacedPod({ namespace, name })),
    async listWorkloadPods(ref) {
      const workload = await getWorkload(ref);
      if (!workload) return [];
      const selector = labelSelectorOf(workload.spec?.selector);
      // An empty selector would select every pod of the namespace: never what a caller means.
      if (!selector) return [];
      return listPods(ref.namespace, { labelSelector: selector });
    },
    getDeployment,
    getStatefulSet,
    getDaemonSet,
    async listDeploymentReplicaSets(namespace, name) {
      const deployment = await getDeployment(namespace, name);
      const uid = deployment?.metadata?.uid;
      const selector = labelSelectorOf(deployment?.spec?.selector);
      if (!deployment || !selector) return [];
      const list = await call({ verb: 'list', resource: 'replicasets', namespace }, () =>
        apps.listNamespacedReplicaSet({ namespace, labelSelector: selector }),
      );
      return ownedReplicaSets(list.items, uid);
    },
    listObjectEvents: (namespace, kind, name) => listEvents(namespace, `involvedObject.kind=${kind},involvedObject.name=${name}`),
    async listNamespaceEvents(namespace, options = {}) {
      const events = await listEvents(namespace, undefined);
      return events.slice(0, options.limit ?? defaultEventLimit);
    },
    async listNodes() {
      const list = await call({ verb: 'list', resource: 'nodes' }, () => core.listNode());
      return list.items;
    },
    getNode: (name) => optional({ verb: 'get', resource: 'nodes', name }, () => core.readNode({ name })),
    readLogs,
    async listHpas(namespace) {
      const list = await call({ verb: 'list', resource: 'horizontalpodautoscalers', namespace }, () =>
        autoscaling.listNamespacedHorizontalPodAutoscaler({ namespace }),
      );
      return list.items;
    },
    findWorkloads,
    listInventory: createInventoryLister(kc, clusterName),
  };
}

/** ReplicaSets controlled by the deployment with this uid, newest revision first (kubectl's rule). */
export function ownedReplicaSets(items: readonly V1ReplicaSet[], deploymentUid: string | undefined): V1ReplicaSet[] {
  return items
    .filter((rs) => deploymentUid !== undefined && controllerOf(rs.metadata)?.uid === deploymentUid)
    .sort((a, b) => revisionOf(b.metadata) - revisionOf(a.metadata));
}

/** Cuts the oldest lines so the text fits in `limitBytes` (the newest lines matter most). */
export function keepNewestBytes(text: string, limitBytes: number): LogResult {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= limitBytes) return { ok: true, text, truncated: false };
  let tail = bytes.subarray(bytes.length - limitBytes).toString('utf8');
  const newline = tail.indexOf('\n');
  if (newline >= 0 && newline < tail.length - 1) tail = tail.slice(newline + 1);
  // A partial UTF-8 sequence at the cut decodes to U+FFFD; drop it.
  return { ok: true, text: tail.replace(/^\uFFFD+/, ''), truncated: true };
}
