import type { V1Pod } from '@kubernetes/client-node';
import type { Analyzer } from '../types.js';
import { describeEvent, eventsWhere, unique, workloadLabel } from './helpers.js';
import { makeFinding, namespaceOf, namespaceWide, podLabels, podTemplate, selectsLabels, subjectId } from './objects.js';

const name = 'evictions';

interface OverRequest {
  container: string;
  using: string;
  request: string;
}

/**
 * The eviction manager's message: "The node was low on resource: memory. Threshold quantity:
 * 100Mi, available: 50Mi. Container api was using 7800Mi, request is 128Mi, has larger
 * consumption of memory. " (before 1.2x: "…, which exceeds its request of 128Mi.").
 */
function readMessage(message: string): { resource?: string; threshold?: string; available?: string; over: OverRequest[] } {
  const resource = /low on resource: ([\w-]+)/.exec(message)?.[1];
  const met = /Threshold quantity: (\S+), available: (\S+?)\.(?:\s|$)/.exec(message);
  const over = [...message.matchAll(/Container (\S+) was using (\S+?),? (?:request is (\S+?), has larger consumption|which exceeds its request of (\S+?)\.(?:\s|$))/g)].map((m) => ({ container: m[1] ?? '?', using: m[2] ?? '?', request: m[3] ?? m[4] ?? '?' }));
  return { ...(resource ? { resource } : {}), ...(met?.[1] ? { threshold: met[1] } : {}), ...(met?.[2] ? { available: met[2] } : {}), over };
}

/**
 * Pods the kubelet evicted under node pressure (phase Failed, reason Evicted), or the taint
 * manager removed. The kubelet evicts first the pods using more than they request: when the
 * subject's own evicted containers did, its requests are the root cause (the scheduler placed
 * it by a request far below its use, overcommitting the node), and the fix is requests matching
 * real use; when they stayed within their requests, the node(s) ran out on their own.
 */
export const analyzeEvictions: Analyzer = (evidence) => {
  const pool = [...evidence.pods, ...(evidence.objects?.pods ?? [])];
  const subjectPods = new Set(evidence.pods.map((p) => p.metadata?.name));
  const template = evidence.workload ? podTemplate(evidence)?.metadata?.labels : undefined;
  const evicted = [...new Map(pool.filter((p) => p.status?.phase === 'Failed' && p.status.reason === 'Evicted').map((p) => [p.metadata?.name, p])).values()].filter(
    (p) => namespaceWide(evidence) || subjectPods.has(p.metadata?.name) || (template !== undefined && selectsLabels(template, podLabels(p))),
  );
  const taintEvictions = eventsWhere(evidence, (e) => e.reason === 'TaintManagerEviction', 2);
  if (evicted.length === 0) {
    if (taintEvictions.length === 0) return { findings: [], proposals: [] };
    const object = subjectId(evidence) ?? '?';
    const finding = makeFinding({
      analyzer: name,
      kind: 'pod-evicted',
      object,
      title: 'Pods evicted by the taint manager',
      summary: 'The node controller evicted pods from a node with a NoExecute taint (NotReady or unreachable).',
      evidence: taintEvictions.map(describeEvent),
      fix: `Relieve the node (see node findings); the controller recreates the pods elsewhere.`,
      severity: 'warning',
    });
    return { findings: [finding], proposals: [] };
  }
  const read = evicted.map((p: V1Pod) => ({ pod: p, node: p.spec?.nodeName ?? '?', ...readMessage(p.status?.message ?? '') }));
  const nodes = unique(read.map((r) => r.node)).sort();
  const resource = read.find((r) => r.resource)?.resource ?? 'a resource';
  const [first] = read;
  const over = read.flatMap((r) => r.over);
  // Every evicted pod of the subject went for its own use above its request.
  const own = !namespaceWide(evidence) && subjectId(evidence) !== undefined && read.every((r) => r.over.length > 0);
  const object = own ? (subjectId(evidence) ?? '?') : `Node/${nodes.join(',')}`;
  const ns = first?.pod.metadata?.namespace ?? namespaceOf(evidence);
  const names = read.map((r) => r.pod.metadata?.name ?? '?');
  const top = over[0];
  const ref = evidence.workload?.ref;
  const setRequest = top && ref ? `kubectl -n ${ref.namespace} set resources ${ref.kind.toLowerCase()}/${ref.name} -c ${top.container} --requests=${resource === 'ephemeral-storage' ? 'ephemeral-storage' : 'memory'}=${top.using}` : undefined;
  const deleteFailed = `kubectl -n ${ns} delete pods --field-selector=status.phase=Failed`;
  const pressure = evidence.nodes
    .filter((n) => nodes.includes(n.metadata?.name ?? ''))
    .flatMap((n) => (n.status?.conditions ?? []).filter((c) => /Pressure$/.test(c.type) && c.status === 'True').map((c) => `node ${n.metadata?.name ?? '?'}: ${c.type}=True ${c.reason ?? ''}: ${c.message ?? ''}`));
  const finding = makeFinding({
    analyzer: name,
    kind: 'pod-evicted',
    object,
    title: own
      ? `${workloadLabel(evidence)}: ${evicted.length} pod(s) evicted for using more ${resource} than they request`
      : `${evicted.length} pod(s) evicted from node${nodes.length > 1 ? 's' : ''} ${nodes.join(', ')} (low on ${resource})`,
    summary:
      `The kubelet on ${nodes.join(' and ')} ran low on ${resource}${first?.threshold ? ` (threshold ${first.threshold}, available ${first.available ?? '?'})` : ''} and evicted ${names.slice(0, 5).join(', ')}${names.length > 5 ? ` and ${names.length - 5} more` : ''}.` +
      (top
        ? ` Container ${top.container} was using ${top.using}, request is ${top.request}: pods using more than they request go first, and the scheduler, which places pods by their requests, keeps sending it to nodes that cannot hold it.`
        : ` Its containers stayed within their requests: the node is overcommitted by others.`),
    evidence: [...read.slice(0, 3).map((r) => `pod ${r.pod.metadata?.name ?? '?'} on ${r.node}: Failed Evicted: ${r.pod.status?.message ?? ''}`), ...pressure, ...taintEvictions.map(describeEvent)],
    fix: top
      ? `Set container ${top.container}'s ${resource} request to its real use (≥ ${top.using})${setRequest ? `: ${setRequest}` : ''} — a node must have that much free, else lower the program's use — then delete the Failed pods: ${deleteFailed}`
      : `Relieve the node (see node findings), then delete the Failed pods: ${deleteFailed}`,
    severity: own ? 'critical' : 'warning',
  });
  return { findings: [finding], proposals: [] };
};
