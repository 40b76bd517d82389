import type {
  CoreV1Event,
  V1CronJob,
  V1DaemonSet,
  V1Deployment,
  V1Job,
  V1Node,
  V1PersistentVolumeClaim,
  V1Pod,
  V1ReplicaSet,
  V1Service,
  V1StatefulSet,
  V2HorizontalPodAutoscaler,
} from '@kubernetes/client-node';
import type { ObjectReads } from './object-reads.js';

/**
 * Read-only access to one cluster: what analyzers, Claude's tools and the conversation use.
 * Implemented over @kubernetes/client-node in src/kube/ (createClusterReader); faked in unit
 * tests by plain objects. It can never read a Secret: there is no method for it, by design.
 *
 * Not-found is a value (undefined / empty list), not an exception. Other API failures throw
 * AppError (code 'forbidden' names the verb and resource the service account lacks).
 */
export type WorkloadKind = 'Deployment' | 'StatefulSet' | 'DaemonSet';

export interface WorkloadRef {
  kind: WorkloadKind;
  namespace: string;
  name: string;
}

export interface LogRequest {
  container?: string;
  previous?: boolean;
  tailLines?: number;
  /** Hard cap on bytes returned (newest kept). */
  limitBytes?: number;
}

export type LogResult =
  | { ok: true; text: string; truncated: boolean }
  /** The kubelet's or API server's message, e.g. 'previous terminated container "web" in pod "x" not found'. */
  | { ok: false; message: string };

/**
 * Everything a namespace (or, with no namespace, the cluster) runs, one bounded list per kind:
 * what a sweep reads before it looks closer at anything.
 */
export interface WorkloadInventory {
  /** Undefined: every namespace. */
  namespace?: string;
  deployments: V1Deployment[];
  statefulSets: V1StatefulSet[];
  daemonSets: V1DaemonSet[];
  jobs: V1Job[];
  cronJobs: V1CronJob[];
  pods: V1Pod[];
  services: V1Service[];
  persistentVolumeClaims: V1PersistentVolumeClaim[];
  /** Lists cut at the limit or refused (e.g. RBAC), in words: never a silent gap. */
  notes: string[];
}

export interface ClusterReader extends ObjectReads {
  readonly cluster: string;
  listNamespaces(): Promise<string[]>;
  listPods(namespace: string, options?: { labelSelector?: string }): Promise<V1Pod[]>;
  getPod(namespace: string, name: string): Promise<V1Pod | undefined>;
  /** Pods selected by the workload's selector. */
  listWorkloadPods(ref: WorkloadRef): Promise<V1Pod[]>;
  getDeployment(namespace: string, name: string): Promise<V1Deployment | undefined>;
  getStatefulSet(namespace: string, name: string): Promise<V1StatefulSet | undefined>;
  getDaemonSet(namespace: string, name: string): Promise<V1DaemonSet | undefined>;
  /** ReplicaSets owned by the deployment, newest revision first. */
  listDeploymentReplicaSets(namespace: string, deployment: string): Promise<V1ReplicaSet[]>;
  /** Events about one object, newest first. */
  listObjectEvents(namespace: string, kind: string, name: string): Promise<CoreV1Event[]>;
  /** Events of a namespace, newest first, bounded. */
  listNamespaceEvents(namespace: string, options?: { limit?: number }): Promise<CoreV1Event[]>;
  listNodes(): Promise<V1Node[]>;
  getNode(name: string): Promise<V1Node | undefined>;
  readLogs(namespace: string, pod: string, request?: LogRequest): Promise<LogResult>;
  listHpas(namespace: string): Promise<V2HorizontalPodAutoscaler[]>;
  /** Workloads whose name equals or contains `name`, in one namespace or all. */
  findWorkloads(name: string, namespace?: string): Promise<WorkloadRef[]>;
  /** One list per kind (at most `limit` items each, default 500) of a namespace, or of all when undefined. */
  listInventory(namespace: string | undefined, options?: { limit?: number }): Promise<WorkloadInventory>;
}
