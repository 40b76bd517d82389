import type {
  V1CronJob,
  V1Endpoints,
  V1Job,
  V1PersistentVolume,
  V1PersistentVolumeClaim,
  V1Pod,
  V1PodDisruptionBudget,
  V1ResourceQuota,
  V1Service,
  V1StorageClass,
} from '@kubernetes/client-node';

/** A ConfigMap by name and keys only: values are never read into Deckhand's text. */
export interface ConfigMapKeys {
  name: string;
  keys: string[];
}

/** One pod's or node's usage from the metrics API (metrics.k8s.io/v1beta1), as quantities. */
export interface ContainerUsage {
  name: string;
  cpu: string;
  memory: string;
}

export interface PodUsage {
  namespace: string;
  name: string;
  containers: ContainerUsage[];
}

export interface NodeUsage {
  name: string;
  cpu: string;
  memory: string;
}

/**
 * Namespace and cluster reads the analyzers use beyond workloads and pods. Like the rest of
 * ClusterReader: read-only, not-found is an empty list, and there is no Secret read at all —
 * a missing Secret or key is known from the kubelet's own message, never by reading one.
 */
export interface ObjectReads {
  listServices(namespace: string): Promise<V1Service[]>;
  listEndpoints(namespace: string): Promise<V1Endpoints[]>;
  listPersistentVolumeClaims(namespace: string): Promise<V1PersistentVolumeClaim[]>;
  listPersistentVolumes(): Promise<V1PersistentVolume[]>;
  listStorageClasses(): Promise<V1StorageClass[]>;
  listResourceQuotas(namespace: string): Promise<V1ResourceQuota[]>;
  listServiceAccountNames(namespace: string): Promise<string[]>;
  listConfigMapKeys(namespace: string): Promise<ConfigMapKeys[]>;
  listJobs(namespace: string): Promise<V1Job[]>;
  listCronJobs(namespace: string): Promise<V1CronJob[]>;
  listPodDisruptionBudgets(namespace: string): Promise<V1PodDisruptionBudget[]>;
  /** Pods bound to a node, every namespace (what the scheduler counts against its allocatable). */
  listPodsOnNode(node: string): Promise<V1Pod[]>;
  /** Empty when the metrics API is not installed. */
  listPodUsage(namespace: string): Promise<PodUsage[]>;
  listNodeUsage(): Promise<NodeUsage[]>;
}
