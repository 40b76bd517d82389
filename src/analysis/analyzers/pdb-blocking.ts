import type { V1PodDisruptionBudget } from '@kubernetes/client-node';
import type { Analyzer, Finding, ProposedAction } from '../types.js';
import { inScope, isPodReady, livePods, makeFinding, matchesSelector, namespaceOf, podLabels, podTemplate } from './objects.js';

const name = 'pdb-blocking';

/**
 * A PodDisruptionBudget that allows no disruption (`disruptionsAllowed: 0`, or a spec that can
 * never allow one: minAvailable ≥ the pods it covers, maxUnavailable 0): every eviction and
 * node drain waits on it forever. When all covered pods are healthy and minAvailable equals
 * the replicas, one more replica cures it (proposed); otherwise the fix is text.
 */
export const analyzePdbBlocking: Analyzer = (evidence) => {
  const findings: Finding[] = [];
  const proposals: ProposedAction[] = [];
  const ns = namespaceOf(evidence);
  const labels = podTemplate(evidence)?.metadata?.labels;
  for (const pdb of evidence.objects?.pdbs ?? []) {
    const pdbName = pdb.metadata?.name ?? '?';
    if (!inScope(evidence, 'PodDisruptionBudget', pdbName, labels !== undefined && matchesSelector(pdb.spec?.selector, labels))) continue;
    const pods = livePods(evidence).filter((p) => matchesSelector(pdb.spec?.selector, podLabels(p)));
    // The disruption controller's status counts only once it has observed the budget.
    const status = pdb.status?.observedGeneration !== undefined ? pdb.status : undefined;
    const healthy = status?.currentHealthy ?? pods.filter(isPodReady).length;
    const expected = status?.expectedPods ?? pods.length;
    if (expected === 0) continue;
    const allowed = status?.disruptionsAllowed ?? computeAllowed(pdb, expected, healthy);
    if (allowed > 0) continue;
    const rule = pdb.spec?.minAvailable !== undefined ? `minAvailable ${String(pdb.spec.minAvailable)}` : `maxUnavailable ${String(pdb.spec?.maxUnavailable ?? '?')}`;
    const ref = evidence.workload?.ref;
    const replicas = evidence.workload?.deployment?.spec?.replicas ?? evidence.workload?.statefulSet?.spec?.replicas;
    const kind = ref?.kind === 'Deployment' || ref?.kind === 'StatefulSet' ? ref.kind : undefined;
    const cure = ref !== undefined && kind !== undefined && replicas !== undefined && healthy === expected && pdb.spec?.minAvailable === replicas;
    if (cure) {
      proposals.push({
        action: { type: 'scale', namespace: ref.namespace, kind, name: ref.name, replicas: replicas + 1 },
        confidence: 0.55,
        rationale: `PDB ${pdbName} requires ${rule} of ${replicas} pods, so no pod may ever be evicted (node drains hang). With ${replicas + 1} replicas one disruption is allowed.`,
        origin: `analyzer:${name}`,
      });
    }
    findings.push(
      makeFinding({
        analyzer: name,
        kind: 'pdb-blocking',
        object: `PodDisruptionBudget/${ns}/${pdbName}`,
        title: `PodDisruptionBudget ${pdbName} allows no disruption`,
        summary: `PDB ${pdbName} (${rule}) covers ${expected} pod(s), ${healthy} healthy: disruptionsAllowed is 0, so evictions are refused ("Cannot evict pod as it would violate the pod's disruption budget.") and node drains wait forever.`,
        evidence: [`spec: ${rule}, selector ${JSON.stringify(pdb.spec?.selector?.matchLabels ?? pdb.spec?.selector ?? {})}`, `status: expectedPods ${expected}, currentHealthy ${healthy}, desiredHealthy ${status?.desiredHealthy ?? '?'}, disruptionsAllowed ${allowed}`],
        ...(cure ? {} : { fix: healthy < expected ? `Make the covered pods healthy first (see their findings); the budget then allows evictions again.` : `Lower the budget: kubectl -n ${ns} patch pdb ${pdbName} --type=merge -p '{"spec":{"minAvailable":null,"maxUnavailable":1}}' — or run more replicas than minAvailable.` }),
        severity: 'warning',
      }),
    );
  }
  return { findings, proposals };
};

function computeAllowed(pdb: V1PodDisruptionBudget, expected: number, healthy: number): number {
  const abs = (v: number | string | undefined, roundUp: boolean) => {
    if (v === undefined) return undefined;
    if (typeof v === 'number') return v;
    const pct = /^(\d+)%$/.exec(v);
    if (pct) return (roundUp ? Math.ceil : Math.floor)((Number(pct[1]) / 100) * expected);
    return Number(v);
  };
  const min = abs(pdb.spec?.minAvailable, true);
  if (min !== undefined) return Math.max(0, healthy - min);
  const maxUnavailable = abs(pdb.spec?.maxUnavailable, true) ?? 0;
  return Math.max(0, healthy - (expected - maxUnavailable));
}
