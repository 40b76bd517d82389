import type { V1Pod } from '@kubernetes/client-node';
import type { ClusterReader, WorkloadKind, WorkloadRef } from '../kube/reader.js';
import { emptyEvidence, type ContainerLogs, type Evidence, type WorkloadEvidence } from './types.js';
import { isUnschedulable } from './analyzers/unschedulable.js';
import { gatherObjects } from './gather-objects.js';

/** What an incident says it is about (alert labels, PagerDuty mapping, a name to search). */
export interface GatherTarget {
  namespace?: string | undefined;
  pod?: string | undefined;
  deployment?: string | undefined;
  statefulset?: string | undefined;
  daemonset?: string | undefined;
  node?: string | undefined;
  /** HPA name (Alertmanager `horizontalpodautoscaler` label). */
  hpa?: string | undefined;
  /** A Job, CronJob, Service, claim or PodDisruptionBudget the incident is about (with `namespace`). */
  job?: string | undefined;
  cronjob?: string | undefined;
  service?: string | undefined;
  pvc?: string | undefined;
  pdb?: string | undefined;
  /** Free names to search for (workload names found in the alert title). */
  names?: string[] | undefined;
  /** Skip the namespace's other objects (Services, claims, quotas…): workload-only evidence. */
  workloadOnly?: boolean | undefined;
}

export interface GatherLimits {
  /** Pods examined in detail (events, logs). */
  maxPods: number;
  logTailLines: number;
  logBytes: number;
  eventsPerObject: number;
  /** Names tried with findWorkloads. */
  maxNameLookups: number;
}

export const defaultGatherLimits: GatherLimits = { maxPods: 4, logTailLines: 40, logBytes: 8192, eventsPerObject: 10, maxNameLookups: 4 };

/**
 * Reads what the analyzers need about one incident, bounded by `limits`: the workload
 * (resolved from labels, a pod's owner, an HPA's target, or a search by name), its
 * ReplicaSets, its most unhealthy pods with their events and logs, relevant nodes and HPAs.
 * Read failures become notes, never exceptions: a partial picture still helps.
 */
export async function gatherEvidence(reader: ClusterReader, target: GatherTarget, limits: GatherLimits = defaultGatherLimits): Promise<Evidence> {
  const evidence: Evidence = emptyEvidence(reader.cluster);
  const attempt = async <T>(what: string, fn: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await fn();
    } catch (err) {
      evidence.notes.push(`could not read ${what}: ${err instanceof Error ? err.message : String(err)}`);
      return undefined;
    }
  };
  if (target.namespace !== undefined) evidence.namespace = target.namespace;

  const targetNode = target.node;
  if (targetNode !== undefined) {
    evidence.targetNode = targetNode;
    const node = await attempt(`node ${targetNode}`, () => reader.getNode(targetNode));
    if (node) evidence.nodes.push(node);
    else evidence.notes.push(`node ${targetNode} not found`);
  }

  const focus = focusOf(target);
  if (focus) evidence.focus = focus;
  const resolved = focus ? await selectedWorkload(reader, focus, target.namespace, attempt) : await resolveWorkload(reader, target, limits, attempt);
  const targetPod = resolved.pod;
  const ref = resolved.ref;
  if (ref) {
    evidence.namespace = ref.namespace;
    evidence.workload = await readWorkload(reader, ref, limits, attempt);
    const pods = (await attempt(`pods of ${ref.name}`, () => reader.listWorkloadPods(ref))) ?? [];
    evidence.totalPods = pods.length;
    evidence.pods = pickPods(pods, targetPod, limits.maxPods);
  } else if (targetPod) {
    evidence.pods = [targetPod];
    evidence.totalPods = 1;
  } else if (focus?.kind === 'Job' && evidence.namespace !== undefined) {
    const ns = evidence.namespace;
    const pods = (await attempt(`pods of job ${focus.name}`, () => reader.listPods(ns, { labelSelector: `job-name=${focus.name}` }))) ?? [];
    evidence.totalPods = pods.length;
    evidence.pods = pickPods(pods, undefined, limits.maxPods);
  } else if (focus) {
    // A CronJob, Service or claim: the object-level analyzers read the namespace's objects.
  } else if (evidence.namespace !== undefined && target.node === undefined) {
    const ns = evidence.namespace;
    const pods = (await attempt(`pods in ${ns}`, () => reader.listPods(ns))) ?? [];
    evidence.totalPods = pods.length;
    evidence.pods = pickPods(pods.filter((p) => !isHealthy(p)), undefined, limits.maxPods);
    if (pods.length > 0 && evidence.pods.length === 0) evidence.notes.push(`every pod in ${ns} looks healthy`);
  }
  if (resolved.notes.length > 0) evidence.notes.push(...resolved.notes);
  if (!ref && !targetPod && !focus && target.node === undefined && evidence.namespace !== undefined) evidence.focus = { kind: 'Namespace', name: evidence.namespace };

  for (const pod of evidence.pods) {
    const ns = pod.metadata?.namespace ?? evidence.namespace ?? 'default';
    const name = pod.metadata?.name ?? '';
    const events = await attempt(`events of pod ${name}`, () => reader.listObjectEvents(ns, 'Pod', name));
    evidence.podEvents[name] = (events ?? []).slice(0, limits.eventsPerObject);
    evidence.logs.push(...(await readPodLogs(reader, pod, limits, attempt)));
  }

  const known = new Set(evidence.nodes.map((n) => n.metadata?.name));
  if (evidence.pods.some(isUnschedulable) || evidence.workload?.ref.kind === 'DaemonSet') {
    for (const node of (await attempt('nodes', () => reader.listNodes())) ?? []) if (!known.has(node.metadata?.name)) evidence.nodes.push(node);
  } else {
    const names = [...new Set(evidence.pods.map((p) => p.spec?.nodeName).filter((n): n is string => n !== undefined && !known.has(n)))].slice(0, 3);
    for (const n of names) {
      const node = await attempt(`node ${n}`, () => reader.getNode(n));
      if (node) evidence.nodes.push(node);
    }
  }

  if (evidence.namespace !== undefined && target.workloadOnly !== true) {
    const ns = evidence.namespace;
    evidence.objects = await gatherObjects(reader, evidence, ns, attempt);
    const focused = evidence.focus;
    if (focused?.kind === 'Job' && !evidence.objects.jobs.some((j) => j.metadata?.name === focused.name)) {
      // A CronJob names its Jobs `<cronjob>-<scheduled minute>` and deletes old ones past its history limits.
      const runOf = (cron: string) => focused.name.startsWith(`${cron}-`) && /^\d+$/.test(focused.name.slice(cron.length + 1));
      const cron = evidence.objects.cronJobs.find((c) => runOf(c.metadata?.name ?? ''));
      evidence.notes.push(`Job ${focused.name} not found in ${ns}${cron ? `; looking at CronJob ${cron.metadata?.name ?? ''}, whose run it was` : ''}`);
      if (cron) evidence.focus = { kind: 'CronJob', name: cron.metadata?.name ?? '' };
    }
  }

  if (evidence.namespace !== undefined && (evidence.workload || target.hpa !== undefined || evidence.focus?.kind === 'Namespace')) {
    const ns = evidence.namespace;
    const hpas = (await attempt(`HPAs in ${ns}`, () => reader.listHpas(ns))) ?? [];
    const ref = evidence.workload?.ref;
    evidence.hpas = hpas.filter(
      (h) => evidence.focus?.kind === 'Namespace' || h.metadata?.name === target.hpa || (ref !== undefined && h.spec?.scaleTargetRef.kind === ref.kind && h.spec.scaleTargetRef.name === ref.name),
    );
  }
  return evidence;
}

function focusOf(target: GatherTarget): Evidence['focus'] {
  if (target.namespace === undefined) return undefined;
  if (target.job !== undefined) return { kind: 'Job', name: target.job };
  if (target.cronjob !== undefined) return { kind: 'CronJob', name: target.cronjob };
  if (target.service !== undefined) return { kind: 'Service', name: target.service };
  if (target.pvc !== undefined) return { kind: 'PersistentVolumeClaim', name: target.pvc };
  if (target.pdb !== undefined) return { kind: 'PodDisruptionBudget', name: target.pdb };
  return undefined;
}

/**
 * The workload behind a Service or PodDisruptionBudget the incident names: the owner of the
 * pods its selector (matchLabels) picks, so the pods' own failures and the cures that need the
 * workload (a budget's extra replica) are found too. None for other objects or no pods.
 */
async function selectedWorkload(reader: ClusterReader, focus: NonNullable<Evidence['focus']>, ns: string | undefined, attempt: Attempt): Promise<Resolved> {
  if (ns === undefined || (focus.kind !== 'Service' && focus.kind !== 'PodDisruptionBudget')) return { notes: [] };
  let selector: Record<string, string> | undefined;
  if (focus.kind === 'Service') {
    selector = ((await attempt(`services in ${ns}`, () => reader.listServices(ns))) ?? []).find((s) => s.metadata?.name === focus.name)?.spec?.selector;
  } else {
    const spec = ((await attempt(`pod disruption budgets in ${ns}`, () => reader.listPodDisruptionBudgets(ns))) ?? []).find((p) => p.metadata?.name === focus.name)?.spec;
    if (spec?.selector?.matchExpressions === undefined || spec.selector.matchExpressions.length === 0) selector = spec?.selector?.matchLabels;
  }
  if (selector === undefined || Object.keys(selector).length === 0) return { notes: [] };
  const labelSelector = Object.entries(selector).map(([k, v]) => `${k}=${v}`).join(',');
  const [pod] = (await attempt(`pods selected by ${focus.kind} ${focus.name}`, () => reader.listPods(ns, { labelSelector }))) ?? [];
  const ref = pod ? await ownerOf(reader, pod, attempt) : undefined;
  return ref ? { ref, notes: [] } : { notes: [] };
}

type Attempt = <T>(what: string, fn: () => Promise<T>) => Promise<T | undefined>;

interface Resolved {
  ref?: WorkloadRef;
  pod?: V1Pod;
  notes: string[];
}

async function resolveWorkload(reader: ClusterReader, target: GatherTarget, limits: GatherLimits, attempt: Attempt): Promise<Resolved> {
  const ns = target.namespace;
  const explicit: [WorkloadKind, string | undefined][] = [
    ['Deployment', target.deployment],
    ['StatefulSet', target.statefulset],
    ['DaemonSet', target.daemonset],
  ];
  for (const [kind, name] of explicit) {
    if (name === undefined) continue;
    if (ns !== undefined) return { ref: { kind, namespace: ns, name }, notes: [] };
    const found = await attempt(`workloads named ${name}`, () => reader.findWorkloads(name));
    const exact = found?.find((r) => r.kind === kind && r.name === name);
    if (exact) return { ref: exact, notes: [] };
  }
  const podName = target.pod;
  if (podName !== undefined && ns !== undefined) {
    const pod = await attempt(`pod ${podName}`, () => reader.getPod(ns, podName));
    if (pod) {
      const ref = await ownerOf(reader, pod, attempt);
      return ref ? { ref, pod, notes: [] } : { pod, notes: ['the pod has no controlling workload'] };
    }
    // A scrape target's own `pod` label (kube-state-metrics') names no pod here: the HPA may still.
    if (target.hpa === undefined) return { notes: [`pod ${podName} not found in ${ns}`] };
  }
  if (target.hpa !== undefined && ns !== undefined) {
    const hpa = ((await attempt(`HPAs in ${ns}`, () => reader.listHpas(ns))) ?? []).find((h) => h.metadata?.name === target.hpa);
    const t = hpa?.spec?.scaleTargetRef;
    if (t && (t.kind === 'Deployment' || t.kind === 'StatefulSet')) return { ref: { kind: t.kind, namespace: ns, name: t.name }, notes: [] };
  }
  for (const name of (target.names ?? []).slice(0, limits.maxNameLookups)) {
    const found = (await attempt(`workloads named ${name}`, () => reader.findWorkloads(name, ns))) ?? [];
    const exact = found.filter((r) => r.name === name);
    const [only] = exact;
    if (only && exact.length === 1) return { ref: only, notes: [`workload found by name: ${only.kind}/${name} in ${only.namespace}`] };
    if (exact.length > 1) return { notes: [`several workloads are named ${name}; give the namespace in the alert labels`] };
  }
  return { notes: target.node === undefined ? ['the alert names no workload, pod or node that could be found'] : [] };
}

/** A pod's controlling workload: StatefulSet/DaemonSet directly, Deployment through its ReplicaSet. */
async function ownerOf(reader: ClusterReader, pod: V1Pod, attempt: Attempt): Promise<WorkloadRef | undefined> {
  const ns = pod.metadata?.namespace ?? 'default';
  const owner = pod.metadata?.ownerReferences?.find((o) => o.controller) ?? pod.metadata?.ownerReferences?.[0];
  if (!owner) return undefined;
  if (owner.kind === 'StatefulSet' || owner.kind === 'DaemonSet') return { kind: owner.kind, namespace: ns, name: owner.name };
  if (owner.kind !== 'ReplicaSet') return undefined;
  const hash = pod.metadata?.labels?.['pod-template-hash'];
  const candidate = hash && owner.name.endsWith(`-${hash}`) ? owner.name.slice(0, -hash.length - 1) : owner.name.replace(/-[a-z0-9]+$/, '');
  const dep = await attempt(`deployment ${candidate}`, () => reader.getDeployment(ns, candidate));
  return dep ? { kind: 'Deployment', namespace: ns, name: candidate } : undefined;
}

async function readWorkload(reader: ClusterReader, ref: WorkloadRef, limits: GatherLimits, attempt: Attempt): Promise<WorkloadEvidence> {
  const w: WorkloadEvidence = { ref, replicaSets: [], events: [] };
  if (ref.kind === 'Deployment') {
    const dep = await attempt(`deployment ${ref.name}`, () => reader.getDeployment(ref.namespace, ref.name));
    if (dep) w.deployment = dep;
    w.replicaSets = ((await attempt(`replica sets of ${ref.name}`, () => reader.listDeploymentReplicaSets(ref.namespace, ref.name))) ?? []).slice(0, 10);
  } else if (ref.kind === 'StatefulSet') {
    const sts = await attempt(`statefulset ${ref.name}`, () => reader.getStatefulSet(ref.namespace, ref.name));
    if (sts) w.statefulSet = sts;
  } else {
    const ds = await attempt(`daemonset ${ref.name}`, () => reader.getDaemonSet(ref.namespace, ref.name));
    if (ds) w.daemonSet = ds;
  }
  w.events = ((await attempt(`events of ${ref.name}`, () => reader.listObjectEvents(ref.namespace, ref.kind, ref.name))) ?? []).slice(0, limits.eventsPerObject);
  return w;
}

async function readPodLogs(reader: ClusterReader, pod: V1Pod, limits: GatherLimits, attempt: Attempt): Promise<ContainerLogs[]> {
  const out: ContainerLogs[] = [];
  const ns = pod.metadata?.namespace ?? 'default';
  const name = pod.metadata?.name ?? '';
  for (const status of pod.status?.containerStatuses ?? []) {
    const previous = status.lastState?.terminated !== undefined;
    // Containers that never started have no logs; asking only yields the kubelet's complaint.
    if (!previous && status.state?.running === undefined && status.state?.terminated === undefined) continue;
    if (!previous && status.ready && status.restartCount === 0) continue;
    const result = await attempt(`logs of ${name}/${status.name}`, () =>
      reader.readLogs(ns, name, { container: status.name, previous, tailLines: limits.logTailLines, limitBytes: limits.logBytes }),
    );
    if (result) out.push({ pod: name, container: status.name, previous, result });
    if (out.length >= 2) break;
  }
  return out;
}

function isHealthy(pod: V1Pod): boolean {
  if (pod.status?.phase === 'Succeeded') return true;
  const statuses = pod.status?.containerStatuses ?? [];
  return pod.status?.phase === 'Running' && statuses.length > 0 && statuses.every((s) => s.ready && s.restartCount < 3);
}

/** The target pod first, then unhealthy pods (most restarts first), then the rest. */
function pickPods(pods: V1Pod[], first: V1Pod | undefined, max: number): V1Pod[] {
  const score = (p: V1Pod) => (isHealthy(p) ? 0 : 1000) + (p.status?.containerStatuses ?? []).reduce((n, s) => n + s.restartCount, 0);
  const sorted = [...pods].sort((a, b) => score(b) - score(a));
  const firstName = first?.metadata?.name;
  const ordered = first ? [first, ...sorted.filter((p) => p.metadata?.name !== firstName)] : sorted;
  return ordered.slice(0, max);
}
