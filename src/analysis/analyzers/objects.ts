import type { CoreV1Event, V1Pod, V1PodSpec, V1PodTemplateSpec } from '@kubernetes/client-node';
import { redactText } from '../../shared/redact.js';
import type { Evidence, Finding, FindingSeverity } from '../types.js';
import { describeEvent } from './helpers.js';

/** Shared by the object-level analyzers: scope, events of any object, the pod template, findings. */

export function namespaceOf(evidence: Evidence): string {
  return evidence.workload?.ref.namespace ?? evidence.namespace ?? 'default';
}

/** `Kind/namespace/name`, the root-cause object as findings name it. */
export function objectId(kind: string, namespace: string | undefined, name: string): string {
  return namespace === undefined ? `${kind}/${name}` : `${kind}/${namespace}/${name}`;
}

/** The workload's own id, or the first examined pod's. */
export function subjectId(evidence: Evidence): string | undefined {
  const ref = evidence.workload?.ref;
  if (ref) return objectId(ref.kind, ref.namespace, ref.name);
  const pod = evidence.pods[0];
  return pod ? objectId('Pod', pod.metadata?.namespace, pod.metadata?.name ?? '?') : undefined;
}

/** The whole namespace is being looked at (no workload, pod or object named). */
export function namespaceWide(evidence: Evidence): boolean {
  return evidence.focus?.kind === 'Namespace';
}

/** True when an object the analyzer looks at belongs to what the incident is about. */
export function inScope(evidence: Evidence, kind: string, name: string, relatedToSubject: boolean): boolean {
  if (namespaceWide(evidence)) return true;
  if (evidence.focus) return evidence.focus.kind === kind && evidence.focus.name === name;
  return relatedToSubject;
}

/** Events about one object, from the examined pods', the workload's and the namespace's events. */
export function eventsOf(evidence: Evidence, kind: string, name: string, reason?: RegExp): CoreV1Event[] {
  const all = [...Object.values(evidence.podEvents).flat(), ...(evidence.workload?.events ?? []), ...(evidence.objects?.events ?? [])];
  const seen = new Set<string>();
  return all.filter((e) => {
    if (e.involvedObject.kind !== kind || e.involvedObject.name !== name) return false;
    if (reason && !reason.test(e.reason ?? '')) return false;
    const key = `${e.reason ?? ''}|${e.message ?? ''}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The pod template of the workload, else the spec of the first examined pod. */
export function podTemplate(evidence: Evidence): V1PodTemplateSpec | undefined {
  const w = evidence.workload;
  const t = w?.deployment?.spec?.template ?? w?.statefulSet?.spec?.template ?? w?.daemonSet?.spec?.template;
  if (t) return t;
  const pod = evidence.pods[0];
  return pod?.spec ? { metadata: { labels: pod.metadata?.labels ?? {} }, spec: pod.spec } : undefined;
}

export function podSpec(evidence: Evidence): V1PodSpec | undefined {
  return podTemplate(evidence)?.spec;
}

/** Whether a label selector's matchLabels (a Service's `spec.selector`) selects these labels. */
export function selectsLabels(selector: Record<string, string> | undefined, labels: Record<string, string> | undefined): boolean {
  if (!selector || Object.keys(selector).length === 0) return false;
  return Object.entries(selector).every(([k, v]) => labels?.[k] === v);
}

export interface LabelSelectorLike {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

/** A full LabelSelector (matchLabels and matchExpressions) against labels; empty selects all. */
export function matchesSelector(selector: LabelSelectorLike | undefined, labels: Record<string, string> = {}): boolean {
  if (!selector) return false;
  const exprOk = (selector.matchExpressions ?? []).every((e) => {
    const v = labels[e.key];
    if (e.operator === 'In') return v !== undefined && (e.values ?? []).includes(v);
    if (e.operator === 'NotIn') return v === undefined || !(e.values ?? []).includes(v);
    if (e.operator === 'Exists') return v !== undefined;
    return v === undefined;
  });
  return exprOk && Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
}

export const podLabels = (pod: V1Pod): Record<string, string> => pod.metadata?.labels ?? {};

/** Pods of the namespace that are not finished. */
export function livePods(evidence: Evidence): V1Pod[] {
  return (evidence.objects?.pods ?? evidence.pods).filter((p) => p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed' && !p.metadata?.deletionTimestamp);
}

export function isPodReady(pod: V1Pod): boolean {
  return pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

export interface FindingInput {
  analyzer: string;
  kind: string;
  object: string;
  title: string;
  summary: string;
  evidence: (string | undefined)[];
  fix?: string;
  severity?: FindingSeverity;
}

/** A finding with its kind, root-cause object and (redacted) evidence lines. */
export function makeFinding(input: FindingInput): Finding {
  const f: Finding = {
    analyzer: input.analyzer,
    kind: input.kind,
    object: input.object,
    title: input.title,
    severity: input.severity ?? 'critical',
    summary: redactText(input.summary),
    evidence: input.evidence.filter((l): l is string => l !== undefined && l !== '').map((l) => redactText(l)),
  };
  if (input.fix !== undefined) f.fix = redactText(input.fix);
  return f;
}

export { describeEvent };
