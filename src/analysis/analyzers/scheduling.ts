import type { V1Node, V1Pod, V1Taint, V1Toleration } from '@kubernetes/client-node';
import { parseQuantity } from '../../decisions/actions/risk.js';
import type { Evidence } from '../types.js';

/** What kube-scheduler said about the Pending pods of the subject, parsed. */
export interface SchedulingFailure {
  pods: V1Pod[];
  pod: V1Pod;
  message: string;
  /** Nodes the scheduler considered (`0/N nodes are available`). */
  total: number;
  /** `2 Insufficient memory` → { count: 2, text: 'Insufficient memory' }. */
  reasons: { count: number; text: string }[];
}

/**
 * Parses kube-scheduler's FailedScheduling wording (`0/3 nodes are available: 1 node(s) had
 * untolerated taint {k: v}, 2 Insufficient memory. preemption: …`), from the pod's
 * PodScheduled condition or its FailedScheduling event.
 */
export function schedulingFailure(evidence: Evidence): SchedulingFailure | undefined {
  const pods = evidence.pods.filter(isUnschedulable);
  const [pod] = pods;
  if (!pod) return undefined;
  const condition = pod.status?.conditions?.find((c) => c.type === 'PodScheduled')?.message;
  const event = (evidence.podEvents[pod.metadata?.name ?? ''] ?? []).find((e) => e.reason === 'FailedScheduling')?.message;
  const message = condition ?? event ?? '';
  const m = /^0\/(\d+) nodes are available: (.*?)\.?(?: preemption: .*)?$/s.exec(message);
  const total = Number(m?.[1] ?? 0);
  const body = m?.[2] ?? message;
  const reasons = body
    .split(/, (?=\d+ |pod has |persistentvolumeclaim )/)
    .map((part) => {
      const r = /^(\d+) (.*)$/s.exec(part.trim());
      return r ? { count: Number(r[1]), text: (r[2] ?? '').trim() } : { count: total, text: part.trim() };
    })
    .filter((r) => r.text !== '');
  return { pods, pod, message, total, reasons };
}

export function reasonMatching(f: SchedulingFailure, re: RegExp): { count: number; text: string }[] {
  return f.reasons.filter((r) => re.test(r.text));
}

export function tolerates(tolerations: V1Toleration[] | undefined, taint: V1Taint): boolean {
  return (tolerations ?? []).some((t) => {
    if (t.effect !== undefined && t.effect !== '' && t.effect !== taint.effect) return false;
    if ((t.key ?? '') === '' && t.operator === 'Exists') return true;
    if (t.key !== taint.key) return false;
    return t.operator === 'Exists' || (t.value ?? '') === (taint.value ?? '');
  });
}

/** Whether a node passes the pod's taints and nodeSelector checks (not affinity expressions). */
export function nodeAdmits(node: V1Node, pod: V1Pod, ignoreCordon = false): boolean {
  if (!ignoreCordon && node.spec?.unschedulable === true) return false;
  const blocking = (node.spec?.taints ?? []).filter((t) => t.effect === 'NoSchedule' || t.effect === 'NoExecute');
  if (blocking.some((t) => !(ignoreCordon && t.key === 'node.kubernetes.io/unschedulable') && !tolerates(pod.spec?.tolerations, t))) return false;
  const labels = node.metadata?.labels ?? {};
  return Object.entries(pod.spec?.nodeSelector ?? {}).every(([k, v]) => labels[k] === v);
}

export type Resource = 'cpu' | 'memory';

/** Sum of a pod's container requests of one resource (init containers: the max, as kube-scheduler). */
export function podRequest(pod: V1Pod, r: Resource): number {
  const q = (v: string | undefined) => parseQuantity(v ?? '') ?? 0;
  const main = (pod.spec?.containers ?? []).reduce((n, c) => n + q(c.resources?.requests?.[r]), 0);
  const init = Math.max(0, ...(pod.spec?.initContainers ?? []).map((c) => q(c.resources?.requests?.[r])));
  return Math.max(main, init);
}

/** Allocatable minus the requests of the pods bound to the node that still run. */
export function freeOn(node: V1Node, boundPods: V1Pod[], r: Resource): number {
  const allocatable = parseQuantity(node.status?.allocatable?.[r] ?? '') ?? 0;
  const used = boundPods.filter((p) => p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed').reduce((n, p) => n + podRequest(p, r), 0);
  return allocatable - used;
}

export const nodeName = (n: V1Node): string => n.metadata?.name ?? '?';

export function formatCpu(cores: number): string {
  return Number.isInteger(cores) ? String(cores) : `${Math.round(cores * 1000)}m`;
}

export function isUnschedulable(pod: V1Pod): boolean {
  const c = pod.status?.conditions?.find((x) => x.type === 'PodScheduled');
  return pod.status?.phase === 'Pending' && c?.status === 'False' && c.reason === 'Unschedulable';
}
