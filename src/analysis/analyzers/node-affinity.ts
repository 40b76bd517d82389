import type { V1NodeSelectorTerm } from '@kubernetes/client-node';
import type { Analyzer } from '../types.js';
import { makeFinding, subjectId } from './objects.js';
import { nodeName, reasonMatching, schedulingFailure } from './scheduling.js';

const name = 'node-affinity';

/**
 * `node(s) didn't match Pod's node affinity/selector`: the pod's nodeSelector or required
 * node affinity names labels no (usable) node has. Quotes the spec lines and the nodes'
 * values for those keys; the fix (label a node or change the selector) is text.
 */
export const analyzeNodeAffinity: Analyzer = (evidence) => {
  const f = schedulingFailure(evidence);
  const hit = f && reasonMatching(f, /didn't match Pod's node affinity\/selector|node\(s\) didn't match node selector/)[0];
  if (!f || !hit) return { findings: [], proposals: [] };
  const selector = f.pod.spec?.nodeSelector ?? {};
  const terms = f.pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
  const keys = [...Object.keys(selector), ...terms.flatMap((t) => (t.matchExpressions ?? []).map((e) => e.key))];
  const object = subjectId(evidence) ?? '?';
  const wanted = [...Object.entries(selector).map(([k, v]) => `${k}=${v}`), ...terms.map(describeTerm)];
  const first = Object.entries(selector)[0];
  return {
    findings: [
      makeFinding({
        analyzer: name,
        kind: 'node-affinity-mismatch',
        object,
        title: `${object} cannot be scheduled: no node matches its node selector/affinity`,
        summary: `The pods require ${wanted.join(' and ') || 'node labels'}; ${hit.count} of ${f.total} node(s) do not have them.`,
        evidence: [
          `PodScheduled=False Unschedulable: ${f.message}`,
          Object.keys(selector).length > 0 ? `spec.nodeSelector: ${JSON.stringify(selector)}` : undefined,
          terms.length > 0 ? `spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution: ${terms.map(describeTerm).join(' OR ')}` : undefined,
          ...evidence.nodes.map((n) => `node ${nodeName(n)}: ${keys.map((k) => `${k}=${n.metadata?.labels?.[k] ?? '(absent)'}`).join(', ')}`),
        ],
        fix: first
          ? `Label a node that should run it: kubectl label node <node> ${first[0]}=${first[1]} — or change spec.template.spec.nodeSelector of ${object}.`
          : `Label a node to satisfy the required node affinity, or relax spec.template.spec.affinity.nodeAffinity of ${object} (e.g. to preferredDuringSchedulingIgnoredDuringExecution).`,
      }),
    ],
    proposals: [],
  };
};

function describeTerm(t: V1NodeSelectorTerm): string {
  return (t.matchExpressions ?? []).map((e) => `${e.key} ${e.operator}${e.values ? ` (${e.values.join(',')})` : ''}`).join(' AND ');
}
