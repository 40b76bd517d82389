import type { CoreV1Event, V1Container, V1ContainerStatus, V1Pod, V1PodTemplateSpec, V1ReplicaSet } from '@kubernetes/client-node';
import { redactEnvValue, redactText } from '../../shared/redact.js';
import type { ContainerLogs, Evidence } from '../types.js';

export const revisionAnnotation = 'deployment.kubernetes.io/revision';

export interface ContainerProblem {
  pod: V1Pod;
  podName: string;
  status: V1ContainerStatus;
  waitingReason?: string;
  waitingMessage?: string;
  lastReason?: string;
  lastExitCode?: number;
}

/** Container statuses of the examined pods, flattened, with waiting and last-termination facts. */
export function containerProblems(evidence: Evidence): ContainerProblem[] {
  const out: ContainerProblem[] = [];
  for (const pod of evidence.pods) {
    for (const status of [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])]) {
      const waiting = status.state?.waiting;
      const last = status.lastState?.terminated ?? status.state?.terminated;
      const problem: ContainerProblem = { pod, podName: pod.metadata?.name ?? '?', status };
      if (waiting?.reason !== undefined) problem.waitingReason = waiting.reason;
      if (waiting?.message !== undefined) problem.waitingMessage = waiting.message;
      if (last?.reason !== undefined) problem.lastReason = last.reason;
      if (last?.exitCode !== undefined) problem.lastExitCode = last.exitCode;
      out.push(problem);
    }
  }
  return out;
}

export function revisionOf(rs: V1ReplicaSet): number {
  const n = Number(rs.metadata?.annotations?.[revisionAnnotation]);
  return Number.isFinite(n) ? n : 0;
}

export interface RevisionChange {
  current: V1ReplicaSet;
  previous: V1ReplicaSet;
  currentRevision: number;
  previousRevision: number;
  /** Human-readable differences between the previous and the current pod template (redacted). */
  changes: string[];
  /** Age of the current ReplicaSet in ms, when known. */
  ageMs?: number;
}

/** The deployment's newest ReplicaSet and the one before it, with what changed between them. */
export function latestRevisionChange(evidence: Evidence, now: number): RevisionChange | undefined {
  const sets = [...(evidence.workload?.replicaSets ?? [])].sort((a, b) => revisionOf(b) - revisionOf(a));
  const [current, previous] = sets;
  if (!current || !previous) return undefined;
  const change: RevisionChange = {
    current,
    previous,
    currentRevision: revisionOf(current),
    previousRevision: revisionOf(previous),
    changes: diffTemplates(previous.spec?.template, current.spec?.template),
  };
  const created = current.metadata?.creationTimestamp;
  if (created !== undefined) change.ageMs = now - new Date(created).getTime();
  return change;
}

/** True when the pod runs the given ReplicaSet's template. */
export function podBelongsTo(pod: V1Pod, rs: V1ReplicaSet): boolean {
  if (pod.metadata?.ownerReferences?.some((o) => o.kind === 'ReplicaSet' && o.name === rs.metadata?.name)) return true;
  const hash = rs.metadata?.labels?.['pod-template-hash'];
  return hash !== undefined && pod.metadata?.labels?.['pod-template-hash'] === hash;
}

export function diffTemplates(before: V1PodTemplateSpec | undefined, after: V1PodTemplateSpec | undefined): string[] {
  const changes: string[] = [];
  const beforeContainers = new Map((before?.spec?.containers ?? []).map((c) => [c.name, c]));
  for (const c of after?.spec?.containers ?? []) {
    const old = beforeContainers.get(c.name);
    if (!old) {
      changes.push(`container ${c.name} added`);
      continue;
    }
    if (old.image !== c.image) changes.push(`container ${c.name}: image ${old.image ?? '?'} → ${c.image ?? '?'}`);
    changes.push(...diffEnv(c.name, old, c));
    if (JSON.stringify(old.command ?? []) !== JSON.stringify(c.command ?? [])) changes.push(`container ${c.name}: command changed`);
    if (JSON.stringify(old.args ?? []) !== JSON.stringify(c.args ?? [])) changes.push(`container ${c.name}: args changed`);
    if (JSON.stringify(old.resources ?? {}) !== JSON.stringify(c.resources ?? {})) changes.push(`container ${c.name}: resources changed`);
    if (JSON.stringify(old.readinessProbe ?? {}) !== JSON.stringify(c.readinessProbe ?? {})) changes.push(`container ${c.name}: readiness probe changed`);
    if (JSON.stringify(old.livenessProbe ?? {}) !== JSON.stringify(c.livenessProbe ?? {})) changes.push(`container ${c.name}: liveness probe changed`);
  }
  if (changes.length === 0 && JSON.stringify(stripHash(before)) !== JSON.stringify(stripHash(after))) changes.push('pod template changed');
  return changes;
}

function diffEnv(container: string, before: V1Container, after: V1Container): string[] {
  const out: string[] = [];
  const oldEnv = new Map((before.env ?? []).map((e) => [e.name, e]));
  for (const e of after.env ?? []) {
    const o = oldEnv.get(e.name);
    oldEnv.delete(e.name);
    const show = (v: string | undefined) => (v === undefined ? '(from a reference)' : JSON.stringify(redactEnvValue(e.name, v)));
    if (!o) out.push(`container ${container}: env ${e.name} added = ${show(e.value)}`);
    else if (o.value !== e.value || JSON.stringify(o.valueFrom ?? null) !== JSON.stringify(e.valueFrom ?? null)) {
      out.push(`container ${container}: env ${e.name} ${show(o.value)} → ${show(e.value)}`);
    }
  }
  for (const name of oldEnv.keys()) out.push(`container ${container}: env ${name} removed`);
  return out;
}

function stripHash(t: V1PodTemplateSpec | undefined): unknown {
  if (!t) return undefined;
  const labels = { ...(t.metadata?.labels ?? {}) };
  delete labels['pod-template-hash'];
  return { ...t, metadata: { ...t.metadata, labels } };
}

/** Last lines of a container's logs, redacted, for evidence. */
export function logExcerpt(logs: ContainerLogs | undefined, lines = 5): string | undefined {
  if (!logs?.result.ok) return undefined;
  const text = logs.result.text.trimEnd();
  if (text === '') return undefined;
  return redactText(text.split('\n').slice(-lines).join('\n'));
}

export function logsOf(evidence: Evidence, pod: string, container: string): ContainerLogs | undefined {
  return evidence.logs.find((l) => l.pod === pod && l.container === container);
}

/** Events of the examined pods and the workload matching a predicate, newest first, deduped by message. */
export function eventsWhere(evidence: Evidence, pred: (e: CoreV1Event) => boolean, limit = 3): CoreV1Event[] {
  const all = [...Object.values(evidence.podEvents).flat(), ...(evidence.workload?.events ?? [])].filter(pred);
  const seen = new Set<string>();
  const out: CoreV1Event[] = [];
  for (const e of all) {
    const key = `${e.reason ?? ''}|${normaliseMessage(e.message ?? '')}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(e);
    if (out.length >= limit) break;
  }
  return out;
}

function normaliseMessage(m: string): string {
  return m.replace(/[a-z0-9]+-[a-z0-9]{5,10}-[a-z0-9]{5}/g, '<pod>').replace(/\([0-9a-f-]{36}\)/g, '');
}

export function describeEvent(e: CoreV1Event): string {
  const count = e.count !== undefined && e.count > 1 ? ` (×${e.count})` : '';
  return redactText(`${e.type ?? 'Normal'} ${e.reason ?? ''}: ${e.message ?? ''}${count}`);
}

export function workloadLabel(evidence: Evidence): string {
  const w = evidence.workload?.ref;
  return w ? `${w.kind.toLowerCase()}/${w.name} in ${w.namespace}` : `namespace ${evidence.namespace ?? '?'}`;
}

export function formatAge(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 90) return `${minutes} min`;
  const hours = Math.round(minutes / 60);
  return hours < 48 ? `${hours} h` : `${Math.round(hours / 24)} days`;
}

/** Unique values in insertion order. */
export function unique<T>(items: Iterable<T>): T[] {
  return [...new Set(items)];
}
