/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-argument -- Kubernetes objects are wire JSON, read defensively */
/* Trimmed objects: of each object the watch keeps only what detection reads, so 10,000 pods
 * cost a few MB. Wire JSON is loosely typed; every read here is defensive. */

/** `deckhand.io/ignore: "true"` as a label or an annotation: the watch skips the object. */
export const ignoreKey = 'deckhand.io/ignore';

export type WorkloadKind = 'Deployment' | 'StatefulSet' | 'DaemonSet' | 'Job';

export interface TrimmedPod {
  namespace: string;
  name: string;
  /** `Kind/name` of the workload that owns the pod; undefined for a bare pod. */
  workload: string | undefined;
  /** Why the pod is failing (CrashLoopBackOff, ImagePullBackOff, OOMKilled, Unschedulable…), if it is. */
  problem: string | undefined;
  ready: boolean;
  deleting: boolean;
}

export interface TrimmedWorkload {
  kind: WorkloadKind;
  namespace: string;
  name: string;
  desired: number;
  ready: number;
  /** A rollout is under way (new generation not observed, or not every replica updated yet). */
  rollingOut: boolean;
  /** A failure the controller reports (ProgressDeadlineExceeded, FailedCreate, BackoffLimitExceeded…). */
  problem: string | undefined;
  ignored: boolean;
  /** A Job that has finished (Complete); a finished Job is never unhealthy for its pods. */
  finished: boolean;
}

export interface TrimmedNamespace {
  name: string;
  ignored: boolean;
}

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- wire JSON

const podProblems = new Set([
  'CrashLoopBackOff',
  'ImagePullBackOff',
  'ErrImagePull',
  'CreateContainerConfigError',
  'CreateContainerError',
  'InvalidImageName',
  'RunContainerError',
]);

const num = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) ? value : 0);
const str = (value: unknown): string => (typeof value === 'string' ? value : '');

function isIgnored(metadata: Json | undefined): boolean {
  return metadata?.labels?.[ignoreKey] === 'true' || metadata?.annotations?.[ignoreKey] === 'true';
}

function condition(status: Json | undefined, type: string): Json | undefined {
  const conditions: unknown = status?.conditions;
  return Array.isArray(conditions) ? (conditions as Json[]).find((c) => c?.type === type) : undefined;
}

function workloadOfPod(metadata: Json): string | undefined {
  const owners: unknown = metadata.ownerReferences;
  const owner = Array.isArray(owners) ? (owners as Json[]).find((o) => o?.controller === true) ?? (owners as Json[])[0] : undefined;
  if (!owner) return undefined;
  const kind = str(owner.kind);
  const name = str(owner.name);
  if (kind === 'ReplicaSet') {
    // A Deployment's ReplicaSet is `<deployment>-<pod-template-hash>`.
    const hash = str(metadata.labels?.['pod-template-hash']);
    return hash && name.endsWith(`-${hash}`) ? `Deployment/${name.slice(0, -hash.length - 1)}` : undefined;
  }
  return kind === 'StatefulSet' || kind === 'DaemonSet' || kind === 'Job' ? `${kind}/${name}` : undefined;
}

function problemOfPod(status: Json): string | undefined {
  if (status.phase === 'Failed') return str(status.reason) || 'Failed';
  const statuses = [...((status.initContainerStatuses as Json[] | undefined) ?? []), ...((status.containerStatuses as Json[] | undefined) ?? [])];
  for (const c of statuses) {
    const waiting = str(c?.state?.waiting?.reason);
    if (podProblems.has(waiting)) return c?.lastState?.terminated?.reason === 'OOMKilled' ? 'OOMKilled' : waiting;
  }
  const scheduled = condition(status, 'PodScheduled');
  if (scheduled?.status === 'False' && scheduled.reason === 'Unschedulable') return 'Unschedulable';
  return undefined;
}

export function trimPod(input: unknown): TrimmedPod | undefined {
  const raw = (input ?? {}) as Json;
  const metadata = raw.metadata as Json | undefined;
  if (!metadata) return undefined;
  const status = (raw.status as Json | undefined) ?? {};
  return {
    namespace: str(metadata.namespace),
    name: str(metadata.name),
    workload: workloadOfPod(metadata),
    problem: problemOfPod(status),
    ready: condition(status, 'Ready')?.status === 'True',
    deleting: metadata.deletionTimestamp != null,
  };
}

function controllerProblem(kind: WorkloadKind, status: Json): string | undefined {
  if (kind === 'Job') {
    const failed = condition(status, 'Failed');
    return failed?.status === 'True' ? str(failed.reason) || 'Failed' : undefined;
  }
  const failure = condition(status, 'ReplicaFailure');
  if (failure?.status === 'True') return str(failure.reason) || 'ReplicaFailure';
  const progressing = condition(status, 'Progressing');
  if (progressing?.status === 'False' && progressing.reason === 'ProgressDeadlineExceeded') return 'ProgressDeadlineExceeded';
  return undefined;
}

/** Trims a Deployment, StatefulSet, DaemonSet or Job. */
export function trimWorkload(kind: WorkloadKind, input: unknown): TrimmedWorkload | undefined {
  const raw = (input ?? {}) as Json;
  const metadata = raw.metadata as Json | undefined;
  if (!metadata) return undefined;
  const spec = (raw.spec as Json | undefined) ?? {};
  const status = (raw.status as Json | undefined) ?? {};
  const generationSeen = num(status.observedGeneration) >= num(metadata.generation);
  let desired: number;
  let ready: number;
  let updated: number;
  if (kind === 'DaemonSet') {
    desired = num(status.desiredNumberScheduled);
    ready = num(status.numberReady);
    updated = num(status.updatedNumberScheduled);
  } else if (kind === 'Job') {
    desired = 0;
    ready = 0;
    updated = 0;
  } else {
    desired = spec.replicas === undefined ? 1 : num(spec.replicas);
    ready = num(status.readyReplicas);
    updated = num(status.updatedReplicas);
  }
  return {
    kind,
    namespace: str(metadata.namespace),
    name: str(metadata.name),
    desired,
    ready,
    rollingOut: !generationSeen || updated < desired,
    problem: controllerProblem(kind, status),
    ignored: isIgnored(metadata) || isIgnored(spec.template?.metadata),
    finished: kind === 'Job' && condition(status, 'Complete')?.status === 'True',
  };
}

export function trimNamespace(input: unknown): TrimmedNamespace | undefined {
  const raw = (input ?? {}) as Json;
  const metadata = raw.metadata as Json | undefined;
  if (!metadata) return undefined;
  return { name: str(metadata.name), ignored: isIgnored(metadata) };
}
