import type { Analyzer } from '../types.js';
import { describeEvent, eventsWhere } from './helpers.js';
import { makeFinding, namespaceWide, podLabels, podTemplate, selectsLabels, subjectId } from './objects.js';

const name = 'evictions';

/**
 * Pods the kubelet evicted under node pressure (phase Failed, reason Evicted: "The node was
 * low on resource: memory. … Container x was using 600Mi, which exceeds its request of
 * 128Mi."), or the taint manager removed. The node is the root cause; the container using more
 * than it requested is the one picked first: the fix is requests matching real use.
 */
export const analyzeEvictions: Analyzer = (evidence) => {
  const pool = [...evidence.pods, ...(evidence.objects?.pods ?? [])];
  const subjectPods = new Set(evidence.pods.map((p) => p.metadata?.name));
  const template = evidence.workload ? podTemplate(evidence)?.metadata?.labels : undefined;
  const evicted = [...new Map(pool.filter((p) => p.status?.phase === 'Failed' && p.status.reason === 'Evicted').map((p) => [p.metadata?.name, p])).values()].filter(
    (p) => namespaceWide(evidence) || subjectPods.has(p.metadata?.name) || (template !== undefined && selectsLabels(template, podLabels(p))),
  );
  const taintEvictions = eventsWhere(evidence, (e) => e.reason === 'TaintManagerEviction', 2);
  const [first] = evicted;
  if (!first && taintEvictions.length === 0) return { findings: [], proposals: [] };
  const message = first?.status?.message ?? '';
  const resource = /low on resource: ([\w-]+)/.exec(message)?.[1];
  const over = /Container (\S+) was using (\S+?),? (?:which exceeds its request of|request is) (\S+?)\.?(?:\s|$)/.exec(message);
  const node = first?.spec?.nodeName ?? '?';
  return {
    findings: [
      makeFinding({
        analyzer: name,
        kind: 'pod-evicted',
        object: first ? `Node/${node}` : subjectId(evidence) ?? '?',
        title: first ? `${evicted.length} pod(s) evicted from node ${node}${resource ? ` (low on ${resource})` : ''}` : 'Pods evicted by the taint manager',
        summary: first
          ? `The kubelet on ${node} ran low on ${resource ?? 'a resource'} and evicted ${evicted.map((p) => p.metadata?.name ?? '?').join(', ')}.${over ? ` Container ${over[1] ?? '?'} used ${over[2] ?? '?'} against a request of ${over[3] ?? '?'}, which makes its pod the first to go.` : ''}`
          : 'The node controller evicted pods from a node with a NoExecute taint (NotReady or unreachable).',
        evidence: [...evicted.slice(0, 3).map((p) => `pod ${p.metadata?.name ?? '?'}: Failed Evicted: ${p.status?.message ?? ''}`), ...taintEvictions.map(describeEvent)],
        fix: over
          ? `Set container ${over[1] ?? '?'}'s ${resource ?? 'memory'} request to its real use (≥ ${over[2] ?? '?'}), so the scheduler reserves it; then delete the Failed pods: kubectl delete pods --field-selector=status.phase=Failed -n ${first?.metadata?.namespace ?? '?'}`
          : `Relieve the node (see node findings), then delete the Failed pods: kubectl delete pods --field-selector=status.phase=Failed -n ${first?.metadata?.namespace ?? '<ns>'}`,
        severity: 'warning',
      }),
    ],
    proposals: [],
  };
};
