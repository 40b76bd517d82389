import type { Analyzer } from '../types.js';
import { livePods, makeFinding, namespaceOf } from './objects.js';
import { nodeName, tolerates } from './scheduling.js';

const name = 'daemonset-unscheduled';

/** Control-plane taints: a DaemonSet skipping those nodes is usually intended. */
const intended = /^node-role\.kubernetes\.io\/(control-plane|master)$/;

/**
 * A DaemonSet missing from nodes: nodes with no pod of it because of a NoSchedule/NoExecute
 * taint it does not tolerate (the controller then does not even count them as desired), or
 * fewer pods scheduled than desired. Fix as text: a toleration.
 */
export const analyzeDaemonSetUnscheduled: Analyzer = (evidence) => {
  const ds = evidence.workload?.daemonSet;
  if (!ds) return { findings: [], proposals: [] };
  const ns = namespaceOf(evidence);
  const dsName = ds.metadata?.name ?? '?';
  const tolerations = ds.spec?.template.spec?.tolerations;
  const selector = ds.spec?.template.spec?.nodeSelector ?? {};
  const podsOn = new Set(livePods(evidence).filter((p) => p.metadata?.ownerReferences?.some((o) => o.kind === 'DaemonSet' && o.name === dsName)).map((p) => p.spec?.nodeName));
  const missing = evidence.nodes
    .filter((n) => !podsOn.has(nodeName(n)) && Object.entries(selector).every(([k, v]) => n.metadata?.labels?.[k] === v))
    .map((n) => ({ node: n, taints: (n.spec?.taints ?? []).filter((t) => (t.effect === 'NoSchedule' || t.effect === 'NoExecute') && !intended.test(t.key) && !tolerates(tolerations, t)) }))
    .filter((x) => x.taints.length > 0);
  const desired = ds.status?.desiredNumberScheduled ?? 0;
  const scheduled = ds.status?.currentNumberScheduled ?? 0;
  if (missing.length === 0 && scheduled >= desired) return { findings: [], proposals: [] };
  const taint = missing[0]?.taints[0];
  return {
    findings: [
      makeFinding({
        analyzer: name,
        kind: 'daemonset-unscheduled',
        object: `DaemonSet/${ns}/${dsName}`,
        title: `DaemonSet ${dsName} does not run on ${missing.length > 0 ? `${missing.length} node(s)` : `${desired - scheduled} desired node(s)`}`,
        summary:
          missing.length > 0
            ? `Nodes ${missing.map((m) => nodeName(m.node)).join(', ')} carry taints the DaemonSet does not tolerate, so it places no pod there.`
            : `${scheduled} of ${desired} desired pods are scheduled.`,
        evidence: [
          `status: desired ${desired}, current ${scheduled}, ready ${ds.status?.numberReady ?? 0}, misscheduled ${ds.status?.numberMisscheduled ?? 0}`,
          ...missing.map((m) => `node ${nodeName(m.node)}: taints ${m.taints.map((t) => `${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}`).join(', ')}`),
          `tolerations: ${(tolerations ?? []).map((t) => `${t.key ?? '*'}:${t.effect ?? '*'}`).join(', ') || 'none'}`,
        ],
        fix: taint
          ? `Add to spec.template.spec.tolerations of daemonset/${dsName}: {key: "${taint.key}", operator: "Exists", effect: "${taint.effect}"}`
          : `kubectl -n ${ns} describe daemonset ${dsName}: see why the remaining pods are not scheduled.`,
        severity: 'warning',
      }),
    ],
    proposals: [],
  };
};
