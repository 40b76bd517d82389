/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-unsafe-return, @typescript-eslint/no-explicit-any -- the simulated API handles Kubernetes wire JSON, whose shapes vary by kind */
import { selectorFromSpec } from '../api/selectors.js';
import { parseQuantity } from '../quantity.js';
import type { KubeObject } from '../types.js';

/**
 * kube-scheduler's filter plugins, in its default order (NodeUnschedulable, TaintToleration,
 * NodeAffinity, NodeResourcesFit, InterPodAffinity), with their reasons word for word. The
 * first plugin that rejects a node decides its reasons, as in kube-scheduler; those that
 * preemption cannot help are "unresolvable".
 */
interface Rejection {
  reasons: string[];
  unresolvable: boolean;
}

const unschedulableTaint = 'node.kubernetes.io/unschedulable';

/** Requests of a pod as kube-scheduler counts them: the containers' sum, or the largest init container if larger. */
export function podRequest(pod: KubeObject, resource: 'cpu' | 'memory'): number {
  const of = (c: any) => parseQuantity(c.resources?.requests?.[resource]) ?? 0;
  const containers: any[] = pod.spec?.containers ?? [];
  const inits: any[] = pod.spec?.initContainers ?? [];
  const sum = containers.reduce((n: number, c) => n + of(c), 0);
  const init = inits.reduce((n: number, c) => Math.max(n, of(c)), 0);
  return Math.max(sum, init);
}

export function tolerates(tolerations: readonly any[], taint: any): boolean {
  return tolerations.some((t) => {
    if (t.effect && t.effect !== taint.effect) return false;
    if (t.operator === 'Exists') return !t.key || t.key === taint.key;
    return t.key === taint.key && (t.value ?? '') === (taint.value ?? '');
  });
}

/** The DefaultTolerationSeconds admission plugin: 300s of not-ready and unreachable, unless the pod already tolerates them. */
export function withDefaultTolerations(tolerations: readonly any[]): any[] {
  const defaults = ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable']
    .filter((key) => !tolerates(tolerations, { key, effect: 'NoExecute' }))
    .map((key) => ({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }));
  return [...structuredClone(tolerations), ...defaults];
}

function matchesRequirement(labels: Record<string, string>, e: { key: string; operator: string; values?: string[] }): boolean {
  const has = Object.hasOwn(labels, e.key);
  const value = labels[e.key];
  const values = e.values ?? [];
  switch (e.operator) {
    case 'In':
      return has && values.includes(value ?? '');
    case 'NotIn':
      return !has || !values.includes(value ?? '');
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
    case 'Gt':
      return has && Number(value) > Number(values[0]);
    case 'Lt':
      return has && Number(value) < Number(values[0]);
    default:
      return false;
  }
}

/** nodeSelector and required node affinity (terms ORed, expressions ANDed). */
export function matchesNodeAffinity(pod: KubeObject, node: KubeObject): boolean {
  const labels: Record<string, string> = node.metadata.labels ?? {};
  const selector: Record<string, string> = pod.spec?.nodeSelector ?? {};
  if (Object.entries(selector).some(([k, v]) => labels[k] !== v)) return false;
  const terms: any[] | undefined = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  if (!terms) return true;
  const fields: Record<string, string> = { 'metadata.name': node.metadata.name };
  return terms.some((term) => {
    const exprs: any[] = term.matchExpressions ?? [];
    const fieldExprs: any[] = term.matchFields ?? [];
    if (!exprs.length && !fieldExprs.length) return false;
    return exprs.every((e) => matchesRequirement(labels, e)) && fieldExprs.every((e) => matchesRequirement(fields, e));
  });
}

/** Whether a required pod (anti-)affinity term selects `other`; an empty labelSelector selects every pod. */
function termSelects(term: any, owner: KubeObject, other: KubeObject): boolean {
  const namespaces: string[] = term.namespaces?.length ? term.namespaces : [owner.metadata.namespace];
  if (!term.namespaceSelector && !namespaces.includes(other.metadata.namespace ?? '')) return false;
  const s = term.labelSelector;
  if (!s) return false;
  if (!Object.keys(s.matchLabels ?? {}).length && !(s.matchExpressions ?? []).length) return true;
  return selectorFromSpec(s)(other);
}

function antiAffinityTerms(pod: KubeObject): any[] {
  return pod.spec?.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? [];
}

function sameTopology(key: string, a: KubeObject | undefined, b: KubeObject): boolean {
  const value = a?.metadata.labels?.[key];
  return value !== undefined && value === b.metadata.labels?.[key];
}

function filterNode(pod: KubeObject, node: KubeObject, nodes: readonly KubeObject[], bound: readonly KubeObject[]): Rejection | undefined {
  const tolerations: any[] = pod.spec?.tolerations ?? [];
  // NodeUnschedulable: a cordoned node takes only pods that tolerate its taint.
  if (node.spec?.unschedulable && !tolerates(tolerations, { key: unschedulableTaint, effect: 'NoSchedule' })) {
    return { reasons: ['node(s) were unschedulable'], unresolvable: true };
  }
  // TaintToleration: the first NoSchedule/NoExecute taint the pod does not tolerate.
  const taints: any[] = node.spec?.taints ?? [];
  const taint = taints.find((t) => (t.effect === 'NoSchedule' || t.effect === 'NoExecute') && !tolerates(tolerations, t));
  if (taint) return { reasons: [`node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`], unresolvable: true };
  if (!matchesNodeAffinity(pod, node)) return { reasons: ["node(s) didn't match Pod's node affinity/selector"], unresolvable: true };
  // NodeResourcesFit: what the pods already bound here request, plus this pod, against allocatable.
  const here = bound.filter((p) => p.spec.nodeName === node.metadata.name);
  const allocatable = node.status?.allocatable ?? {};
  const fit: string[] = [];
  if (here.length + 1 > (parseQuantity(allocatable.pods) ?? 110)) fit.push('Too many pods');
  for (const resource of ['cpu', 'memory'] as const) {
    const want = podRequest(pod, resource);
    if (want > 0 && here.reduce((n, p) => n + podRequest(p, resource), 0) + want > (parseQuantity(allocatable[resource]) ?? 0)) fit.push(`Insufficient ${resource}`);
  }
  if (fit.length) return { reasons: fit, unresolvable: false };
  // InterPodAffinity: the pod's required anti-affinity, then that of the pods already placed.
  const nodeOf = (p: KubeObject) => nodes.find((n) => n.metadata.name === p.spec.nodeName);
  const own = antiAffinityTerms(pod);
  if (own.some((term) => bound.some((p) => termSelects(term, pod, p) && sameTopology(term.topologyKey, nodeOf(p), node)))) {
    return { reasons: ["node(s) didn't match pod anti-affinity rules"], unresolvable: false };
  }
  if (bound.some((p) => antiAffinityTerms(p).some((term) => termSelects(term, p, pod) && sameTopology(term.topologyKey, nodeOf(p), node)))) {
    return { reasons: ["node(s) didn't satisfy existing pods anti-affinity rules"], unresolvable: false };
  }
  return undefined;
}

/** Pods that hold resources on their node: bound and not terminated. */
export function boundPods(pods: readonly KubeObject[]): KubeObject[] {
  return pods.filter((p) => p.spec?.nodeName && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed');
}

/**
 * The scheduler's verdict: the fitting node with the fewest pods (ties by name), or the
 * FailedScheduling message as kube-scheduler's FitError prints it: each reason counted over
 * the nodes, "count reason" strings sorted, then the preemption post-filter's verdict.
 * `preFilter` is the message of a PreFilter plugin that already rejected the pod.
 */
export function schedule(pod: KubeObject, nodes: readonly KubeObject[], bound: readonly KubeObject[], preFilter?: string): { node?: string; message?: string } {
  // A PreFilter rejection (VolumeBinding's unbound claims) fails every node at once, unresolvably.
  if (preFilter) return { message: `0/${nodes.length} nodes are available: ${preFilter}. preemption: 0/${nodes.length} nodes are available: ${nodes.length} Preemption is not helpful for scheduling.` };
  const reasons = new Map<string, number>();
  const preemption = new Map<string, number>();
  const count = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
  const fits: KubeObject[] = [];
  for (const node of nodes) {
    const rejection = filterNode(pod, node, nodes, bound);
    if (!rejection) {
      fits.push(node);
      continue;
    }
    for (const r of rejection.reasons) count(reasons, r);
    count(preemption, rejection.unresolvable ? 'Preemption is not helpful for scheduling' : 'No preemption victims found for incoming pod');
  }
  if (fits.length) {
    const load = (n: KubeObject) => bound.filter((p) => p.spec.nodeName === n.metadata.name).length;
    const best = [...fits].sort((a, b) => load(a) - load(b) || a.metadata.name.localeCompare(b.metadata.name))[0];
    return { node: best?.metadata.name ?? '' };
  }
  const list = (m: Map<string, number>) => [...m].map(([r, n]) => `${n} ${r}`).sort().join(', ');
  const n = nodes.length;
  if (!n) return { message: 'no nodes available to schedule pods' };
  return { message: `0/${n} nodes are available: ${list(reasons)}. preemption: 0/${n} nodes are available: ${list(preemption)}.` };
}
