import type {
  CoreV1Event,
  V1CronJob,
  V1DaemonSet,
  V1Deployment,
  V1Endpoints,
  V1Job,
  V1Node,
  V1PersistentVolume,
  V1PersistentVolumeClaim,
  V1Pod,
  V1PodDisruptionBudget,
  V1ReplicaSet,
  V1ResourceQuota,
  V1Service,
  V1StatefulSet,
  V1StorageClass,
  V2HorizontalPodAutoscaler,
} from '@kubernetes/client-node';
import type { ConfigMapKeys, PodUsage } from '../kube/object-reads.js';
import type { Action } from '../decisions/actions/catalog.js';
import type { LogResult, WorkloadRef } from '../kube/reader.js';

export const findingSeverities = ['critical', 'warning', 'info'] as const;
export type FindingSeverity = (typeof findingSeverities)[number];

/** One diagnosis, with the facts that back it (already redacted, plain text). */
export interface Finding {
  analyzer: string;
  title: string;
  severity: FindingSeverity;
  summary: string;
  evidence: string[];
  /** The failure kind, a stable id (`insufficient-memory`, `quota-exceeded`…); see README's table. */
  kind?: string;
  /** The root-cause object, `Kind/namespace/name` (or `Kind/name` for cluster objects). */
  object?: string;
  /** The exact manual fix, as text, when no catalog action cures the cause. */
  fix?: string;
}

/** A catalog action an analyzer or Claude suggests; risk is added later, by code. */
export interface ProposedAction {
  action: Action;
  confidence: number;
  rationale: string;
  /** 'analyzer:<name>' or 'claude'. */
  origin: string;
}

export interface AnalyzerResult {
  findings: Finding[];
  proposals: ProposedAction[];
}

export interface WorkloadEvidence {
  ref: WorkloadRef;
  deployment?: V1Deployment;
  statefulSet?: V1StatefulSet;
  daemonSet?: V1DaemonSet;
  /** ReplicaSets of a Deployment, newest revision first. */
  replicaSets: V1ReplicaSet[];
  events: CoreV1Event[];
}

/** Logs of one container: the previous (crashed) instance when there is one, else current. */
export interface ContainerLogs {
  pod: string;
  container: string;
  previous: boolean;
  result: LogResult;
}

/** What gatherEvidence read from the cluster for one incident. Bounded, never Secrets. */
export interface Evidence {
  cluster: string;
  namespace?: string;
  workload?: WorkloadEvidence;
  /** Pods examined in detail (unhealthy ones first, bounded). */
  pods: V1Pod[];
  /** How many pods the workload has in total (pods may hold fewer). */
  totalPods: number;
  podEvents: Record<string, CoreV1Event[]>;
  logs: ContainerLogs[];
  /** The alert's node, the nodes of examined pods, or every node when a pod cannot be scheduled. */
  nodes: V1Node[];
  targetNode?: string;
  hpas: V2HorizontalPodAutoscaler[];
  /** What could not be resolved or read, in words (shown with the findings). */
  notes: string[];
  /** The namespace's other objects, read when a namespace is known (see gather-objects.ts). */
  objects?: NamespaceObjects;
  /** A non-workload object the incident names (a Job, CronJob, Service, claim or budget), or the whole namespace. */
  focus?: { kind: FocusKind; name: string };
}

export type FocusKind = 'Job' | 'CronJob' | 'Service' | 'PersistentVolumeClaim' | 'PodDisruptionBudget' | 'Namespace';

/** Namespace (and a few cluster) objects around the incident. Never Secrets; ConfigMaps by keys. */
export interface NamespaceObjects {
  /** Every pod of the namespace (Services, PDBs and quotas are about all of them). */
  pods: V1Pod[];
  services: V1Service[];
  endpoints: V1Endpoints[];
  claims: V1PersistentVolumeClaim[];
  /** Read only when a claim is Pending. */
  volumes: V1PersistentVolume[];
  storageClasses: V1StorageClass[];
  quotas: V1ResourceQuota[];
  serviceAccounts: string[];
  configMaps: ConfigMapKeys[];
  jobs: V1Job[];
  cronJobs: V1CronJob[];
  pdbs: V1PodDisruptionBudget[];
  /** Metrics API usage of the namespace's pods (empty without metrics-server). */
  usage: PodUsage[];
  /** The namespace's events, newest first, bounded: ReplicaSets', claims', Jobs' events live here. */
  events: CoreV1Event[];
  /** Pods bound to each usable node, read when a pod is Pending for lack of resources. */
  nodePods: Record<string, V1Pod[]>;
}

/** Evidence with nothing read yet: the one place its shape starts (gatherEvidence, the sweep). */
export const emptyEvidence = (cluster: string): Evidence => ({ cluster, pods: [], totalPods: 0, podEvents: {}, logs: [], nodes: [], hpas: [], notes: [] });

/** A built-in analyzer: a pure function over gathered evidence. `now` is ms since epoch. */
export type Analyzer = (evidence: Evidence, now: number) => AnalyzerResult;

export const emptyResult = (): AnalyzerResult => ({ findings: [], proposals: [] });

/** Token usage of one incident's Claude investigation (summed over every request). */
export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheCreationTokens: number;
  requests: number;
}

export const emptyUsage = (): TokenUsage => ({ inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheCreationTokens: 0, requests: 0 });

/** How the AI part of an analysis went, as told in the thread. */
export type AiStatus =
  | { state: 'disabled' }
  | { state: 'ok' }
  /** A bound (steps, bytes, tokens) stopped the investigation early. */
  | { state: 'stopped'; reason: string }
  /** Claude could not be reached after retries; the analyzers' result stands alone. */
  | { state: 'unavailable'; reason: string };
