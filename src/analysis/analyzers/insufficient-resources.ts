import type { V1Node, V1Pod } from '@kubernetes/client-node';
import { formatMemory, parseQuantity } from '../../decisions/actions/risk.js';
import type { Analyzer, Evidence, Finding, ProposedAction } from '../types.js';
import { makeFinding, subjectId } from './objects.js';
import { formatCpu, freeOn, nodeAdmits, nodeName, podRequest, reasonMatching, schedulingFailure, type Resource, type SchedulingFailure } from './scheduling.js';

const name = 'insufficient-resources';

/**
 * Pending pods no node has room for (`Insufficient cpu|memory`, `Too many pods`). When one
 * resource is short and a smaller request of the main container would let every Pending pod
 * fit the free room the nodes really have (allocatable minus the requests already bound), and
 * running replicas use less than that, set_resources lowering the request is proposed; else
 * the fix is more nodes, given as text. A node's whole allocatable is never proposed blindly.
 */
export const analyzeInsufficientResources: Analyzer = (evidence) => {
  const f = schedulingFailure(evidence);
  if (!f) return { findings: [], proposals: [] };
  const findings: Finding[] = [];
  const proposals: ProposedAction[] = [];
  const short = (['cpu', 'memory'] as const).filter((r) => reasonMatching(f, new RegExp(`^Insufficient ${r}$`)).length > 0);
  const object = subjectId(evidence) ?? '?';
  const nodes = evidence.nodes.filter((n) => nodeAdmits(n, f.pod));
  const room = (r: Resource) => nodes.map((n) => ({ node: n, free: freeOn(n, evidence.objects?.nodePods[nodeName(n)] ?? [], r) }));
  for (const r of short) {
    const count = reasonMatching(f, new RegExp(`^Insufficient ${r}$`))[0]?.count ?? 0;
    const want = podRequest(f.pod, r);
    const fmt = (x: number) => (r === 'memory' ? formatMemory(Math.max(0, x)) : formatCpu(Math.max(0, x)));
    const free = room(r);
    const proposal = short.length === 1 ? fittingRequest(evidence, f, r, free) : undefined;
    if (proposal) proposals.push(proposal);
    findings.push(
      makeFinding({
        analyzer: name,
        kind: `insufficient-${r}`,
        object,
        title: `${f.pods.length} pod(s) of ${object} cannot be scheduled: not enough ${r}`,
        summary: `Each pod requests ${fmt(want)} ${r}; ${count} of ${f.total} node(s) lack that much unreserved ${r} (requests of the pods already there count, not actual use).`,
        evidence: [
          `PodScheduled=False Unschedulable: ${f.message}`,
          free.length > 0 && evidence.objects && Object.keys(evidence.objects.nodePods).length > 0
            ? `free ${r} (allocatable − requests): ${free.map((x) => `${nodeName(x.node)} ${fmt(x.free)}`).join(', ')}`
            : undefined,
          ...containerRequests(f.pod, r),
        ],
        ...(proposal ? {} : { fix: `Add a node with at least ${fmt(want)} free ${r}, or free room (scale down other workloads), or lower the ${r} request of ${object} if the program truly needs less.` }),
      }),
    );
  }
  const tooMany = reasonMatching(f, /^Too many pods$/)[0];
  if (tooMany) {
    findings.push(
      makeFinding({
        analyzer: name,
        kind: 'too-many-pods',
        object,
        title: `${object} cannot be scheduled: nodes are at their pod limit`,
        summary: `${tooMany.count} node(s) already run as many pods as their allocatable "pods" allows.`,
        evidence: [`PodScheduled=False Unschedulable: ${f.message}`],
        fix: 'Add nodes (or raise the kubelet maxPods), or remove finished pods.',
      }),
    );
  }
  return { findings, proposals };
};

function containerRequests(pod: V1Pod, r: Resource): string[] {
  return (pod.spec?.containers ?? []).map((c) => `container ${c.name}: requests.${r} ${c.resources?.requests?.[r] ?? 'none'}, limits.${r} ${c.resources?.limits?.[r] ?? 'none'}`);
}

/** The biggest per-pod request x with Σ floor(free_i / x) ≥ pending pods. */
function bestFit(free: number[], pending: number): number {
  const candidates = free.flatMap((f) => Array.from({ length: pending }, (_, j) => f / (j + 1))).filter((x) => x > 0).sort((a, b) => b - a);
  return candidates.find((x) => free.reduce((n, f) => n + Math.floor(f / x + 1e-9), 0) >= pending) ?? 0;
}

function fittingRequest(evidence: Evidence, f: SchedulingFailure, r: Resource, free: { node: V1Node; free: number }[]): ProposedAction | undefined {
  const ref = evidence.workload?.ref;
  if (!ref || free.length === 0 || Object.keys(evidence.objects?.nodePods ?? {}).length === 0) return undefined;
  const container = [...(f.pod.spec?.containers ?? [])].sort((a, b) => q(b.resources?.requests?.[r]) - q(a.resources?.requests?.[r]))[0];
  const current = q(container?.resources?.requests?.[r]);
  if (!container || current <= 0) return undefined;
  const others = podRequest(f.pod, r) - current;
  const step = r === 'memory' ? 16 * 2 ** 20 : 0.01;
  const fit = Math.floor((bestFit(free.map((x) => x.free), f.pods.length) - others) / step) * step;
  // A request cut to less than half is a different program, not a fix.
  if (fit < current / 2 || fit >= current) return undefined;
  // Only a request the program is seen to live within is a cure: running replicas' use
  // (metrics API) plus 20% headroom must fit. Without that evidence, nothing is proposed.
  const used = maxUsage(evidence, container.name, r);
  if (used === undefined || used * 1.2 > fit) return undefined;
  const value = r === 'memory' ? formatMemory(fit) : formatCpu(Number(fit.toFixed(2)));
  return {
    action: { type: 'set_resources', namespace: ref.namespace, kind: ref.kind, name: ref.name, container: container.name, requests: { [r]: value } },
    confidence: 0.65,
    rationale: `Container ${container.name} requests ${container.resources?.requests?.[r] ?? '?'} ${r}, more than any node has unreserved. At ${value} all ${f.pods.length} Pending pod(s) fit the free room the nodes have now, and the running replicas use at most ${r === 'memory' ? formatMemory(used) : formatCpu(used)}.`,
    origin: `analyzer:${name}`,
  };
}

const q = (v: string | undefined) => parseQuantity(v ?? '') ?? 0;

/** The highest metrics-API use of this container among the workload's running pods. */
function maxUsage(evidence: Evidence, container: string, r: Resource): number | undefined {
  const podNames = new Set(evidence.pods.map((p) => p.metadata?.name));
  const values = (evidence.objects?.usage ?? [])
    .filter((u) => podNames.has(u.name))
    .flatMap((u) => u.containers.filter((c) => c.name === container).map((c) => parseUsage(r === 'cpu' ? c.cpu : c.memory)));
  return values.length === 0 ? undefined : Math.max(...values);
}

/** Metrics quantities include nanocores (`250000000n`) and micro (`u`), which parseQuantity lacks. */
export function parseUsage(v: string): number {
  const m = /^(\d+(?:\.\d+)?)(n|u)$/.exec(v);
  if (m) return Number(m[1]) / (m[2] === 'n' ? 1e9 : 1e6);
  return parseQuantity(v) ?? 0;
}
