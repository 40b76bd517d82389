import type { V1Node } from '@kubernetes/client-node';
import type { Analyzer, ProposedAction } from '../types.js';
import { makeFinding, subjectId } from './objects.js';
import { freeOn, nodeAdmits, nodeName, podRequest, reasonMatching, schedulingFailure } from './scheduling.js';

const name = 'nodes-cordoned';

/**
 * `node(s) were unschedulable`: cordoned nodes. When every node is cordoned and one of them is
 * Ready and would take the pod (taints, nodeSelector and free requests all fit), uncordoning
 * it cures the Pending pods: proposed with moderate confidence, since a cordon is often
 * deliberate maintenance.
 */
export const analyzeNodesCordoned: Analyzer = (evidence) => {
  const f = schedulingFailure(evidence);
  const hit = f && reasonMatching(f, /were unschedulable/)[0];
  if (!f || !hit) return { findings: [], proposals: [] };
  const cordoned = evidence.nodes.filter((n) => n.spec?.unschedulable === true);
  const all = hit.count === f.total;
  const object = subjectId(evidence) ?? '?';
  const proposals: ProposedAction[] = [];
  const candidate = all ? cordoned.find((n) => isReady(n) && nodeAdmits(n, f.pod, true) && fits(evidence.objects?.nodePods[nodeName(n)], n, f.pods.length, f.pod)) : undefined;
  if (candidate) {
    proposals.push({
      action: { type: 'uncordon_node', node: nodeName(candidate) },
      confidence: 0.6,
      rationale: `Every node is cordoned, so nothing new can be scheduled. ${nodeName(candidate)} is Ready and has room for the ${f.pods.length} Pending pod(s) of ${object}; uncordon it once any maintenance on it is over.`,
      origin: `analyzer:${name}`,
    });
  }
  return {
    findings: [
      makeFinding({
        analyzer: name,
        kind: all ? 'all-nodes-cordoned' : 'nodes-cordoned',
        object: `Node/${cordoned.map(nodeName).join(',') || '?'}`,
        title: all ? `Every node is cordoned: ${object} cannot be scheduled` : `${hit.count} node(s) are cordoned`,
        summary: `${hit.count} of ${f.total} node(s) are marked unschedulable (kubectl cordon)${all ? ': no node accepts new pods' : ''}.`,
        evidence: [`PodScheduled=False Unschedulable: ${f.message}`, ...cordoned.map((n) => `node ${nodeName(n)}: spec.unschedulable=true, Ready=${readyStatus(n)}`)],
        ...(candidate ? {} : { fix: `kubectl uncordon ${cordoned.map(nodeName).join(' ') || '<node>'} once its maintenance is done, or add nodes.` }),
      }),
    ],
    proposals,
  };
};

const readyStatus = (n: V1Node) => n.status?.conditions?.find((c) => c.type === 'Ready')?.status ?? 'Unknown';
const isReady = (n: V1Node) => readyStatus(n) === 'True';

function fits(bound: Parameters<typeof freeOn>[1] | undefined, node: V1Node, count: number, pod: Parameters<typeof podRequest>[0]): boolean {
  if (!bound) return false;
  return (['cpu', 'memory'] as const).every((r) => freeOn(node, bound, r) >= podRequest(pod, r) * count);
}
