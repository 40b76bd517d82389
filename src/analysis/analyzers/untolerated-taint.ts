import type { Analyzer, Finding } from '../types.js';
import { makeFinding, objectId, subjectId } from './objects.js';
import { nodeName, reasonMatching, schedulingFailure } from './scheduling.js';

const name = 'untolerated-taint';

/**
 * `node(s) had untolerated taint {key: value}` (or the older `had taint {…}, that the pod
 * didn't tolerate`): the tainted node is the root-cause object; the fix is a toleration on the
 * template or removing the taint, as text. not-ready / unreachable taints point at a broken node.
 */
export const analyzeUntoleratedTaint: Analyzer = (evidence) => {
  const f = schedulingFailure(evidence);
  if (!f) return { findings: [], proposals: [] };
  const findings: Finding[] = [];
  const subject = subjectId(evidence) ?? '?';
  for (const r of reasonMatching(f, /had (?:untolerated )?taints? \{/)) {
    const m = /\{([^:}]+):\s*([^}]*)\}/.exec(r.text);
    const key = (m?.[1] ?? '').trim();
    const value = (m?.[2] ?? '').trim();
    const nodes = evidence.nodes.filter((n) => (n.spec?.taints ?? []).some((t) => t.key === key && (t.value ?? '') === value));
    const taint = nodes[0]?.spec?.taints?.find((t) => t.key === key);
    const effect = taint?.effect ?? 'NoSchedule';
    const nodeBroken = /^node\.kubernetes\.io\/(not-ready|unreachable|memory-pressure|disk-pressure|pid-pressure|network-unavailable)$/.test(key);
    findings.push(
      makeFinding({
        analyzer: name,
        kind: 'untolerated-taint',
        object: objectId('Node', undefined, nodes.map(nodeName).join(',') || '?'),
        title: `${subject} cannot be scheduled: taint ${key}${value ? `=${value}` : ''}:${effect} is not tolerated`,
        summary: `${r.count} of ${f.total} node(s) carry the taint ${key}${value ? `=${value}` : ''}:${effect}, and the pod has no matching toleration.${nodeBroken ? ' The node controller set it: the node itself is unhealthy.' : ''}`,
        evidence: [
          `PodScheduled=False Unschedulable: ${f.message}`,
          ...nodes.map((n) => `node ${nodeName(n)} taints: ${(n.spec?.taints ?? []).map((t) => `${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}`).join(', ')}`),
          `pod tolerations: ${(f.pod.spec?.tolerations ?? []).map((t) => `${t.key ?? '*'} ${t.operator ?? 'Equal'} ${t.value ?? ''} ${t.effect ?? ''}`.trim()).join('; ') || 'none'}`,
        ],
        fix: nodeBroken
          ? `Repair the node (its kubelet / resources), or add more nodes; do not tolerate ${key}.`
          : `Add to spec.template.spec.tolerations of ${subject}: {key: "${key}", operator: "${value ? 'Equal' : 'Exists'}",${value ? ` value: "${value}",` : ''} effect: "${effect}"} — or remove the taint: kubectl taint nodes ${nodes.map(nodeName).join(' ') || '<node>'} ${key}:${effect}-`,
      }),
    );
  }
  return { findings, proposals: [] };
};
