import { builtinAnalyzers } from '../analyzers/index.js';
import { runAnalyzers } from '../run-analyzers.js';
import type { Analyzer, AnalyzerResult, Evidence, Finding, FindingSeverity } from '../types.js';
import { settleEvidence } from './settled.js';
import { triageUnit } from './triage.js';
import { healths, sweepKinds, type Health, type SweepRef, type SweepUnit, type Triage, type UnitVerdict } from './types.js';

const severityOrder: Record<FindingSeverity, number> = { critical: 0, warning: 1, info: 2 };

/**
 * A unit's verdict from its status and the analyzers' findings. A critical finding makes it
 * failing whatever the status says; a warning never makes a unit whose status is fine
 * unhealthy (an HPA at its maximum serves), but stays with it as a remark. The cause of an
 * examined unit is its most severe finding (analyzers are ordered most specific first), else
 * the status's reason; proposals are kept only from an examined unit.
 */
export function verdictOf(ref: SweepRef, triage: Triage, result: AnalyzerResult | undefined, examined: boolean): UnitVerdict {
  const findings = (result?.findings ?? [])
    .filter((f) => f.severity !== 'info')
    .map((f, i) => ({ f, i }))
    .sort((a, b) => severityOrder[a.f.severity] - severityOrder[b.f.severity] || a.i - b.i)
    .map(({ f }) => f);
  const critical = findings.some((f) => f.severity === 'critical');
  // A critical finding on a unit whose status shows it still serving (a stuck rollout behind
  // ready old replicas) keeps it degraded; on one whose status looks fine, it is failing: the
  // analyzer saw what the status cannot.
  const health: Health = critical ? (triage.health === 'degraded' ? 'degraded' : 'failing') : triage.health;
  const [top] = findings;
  // Unexamined, the analyzers saw no events, logs or revisions: the status's own words are safer.
  const fromFinding = top ? causeOf(top, ref) : undefined;
  const cause = health === 'healthy' ? undefined : examined ? (fromFinding ?? triage.reason) : (triage.reason ?? fromFinding);
  return {
    ref,
    health,
    ...(cause === undefined ? {} : { cause }),
    ...(triage.state === undefined ? {} : { state: triage.state }),
    ...(triage.since === undefined || health === 'healthy' ? {} : { since: triage.since }),
    findings,
    proposals: health === 'healthy' || !examined ? [] : (result?.proposals ?? []),
    examined,
  };
}

/**
 * A finding as one line: its title without the object's own label ("deployment/checkout in
 * shop is crash-looping" → "is crash-looping"), then its summary's first two sentences.
 */
export function causeOf(finding: Finding, ref: SweepRef): string {
  const own = `${ref.kind.toLowerCase()}/${ref.name}`;
  const labels = [`${own} in ${ref.namespace}`, `namespace ${ref.namespace}`, own];
  let title = finding.title;
  const leading = labels.find((label) => title.startsWith(label));
  if (leading !== undefined) title = title.slice(leading.length).replace(/^[:\s]+/, '');
  else title = title.replace(`${own} in ${ref.namespace}`, own);
  // Sentences end at a stop followed by a capital: "pull registry.example.com/x:1.2 (…)" is one.
  const summary = finding.summary.split(/(?<=[.!?])\s+(?=[A-Z])/).slice(0, 2).join(' ').trim();
  return summary ? `${title} — ${summary}` : title;
}

/** Failing first, then degraded, then healthy; among equals workloads before Services and claims, then by name. */
export function rankVerdicts(verdicts: readonly UnitVerdict[]): UnitVerdict[] {
  return [...verdicts].sort(
    (a, b) =>
      healths.indexOf(a.health) - healths.indexOf(b.health) ||
      sweepKinds.indexOf(a.ref.kind) - sweepKinds.indexOf(b.ref.kind) ||
      a.ref.namespace.localeCompare(b.ref.namespace) ||
      a.ref.name.localeCompare(b.ref.name),
  );
}

/** The unit a gathered Evidence is about: its workload, or the one pod it examined. */
export function unitOfEvidence(evidence: Evidence): SweepUnit | undefined {
  const w = evidence.workload;
  const pods = evidence.pods;
  if (w?.deployment) return { kind: 'Deployment', object: w.deployment, ref: w.ref, pods };
  if (w?.statefulSet) return { kind: 'StatefulSet', object: w.statefulSet, ref: w.ref, pods };
  if (w?.daemonSet) return { kind: 'DaemonSet', object: w.daemonSet, ref: w.ref, pods };
  const [pod] = pods;
  if (!w && pod && pods.length === 1) {
    return { kind: 'Pod', object: pod, ref: { kind: 'Pod', namespace: pod.metadata?.namespace ?? evidence.namespace ?? 'default', name: pod.metadata?.name ?? '?' }, pods };
  }
  return undefined;
}

/**
 * The verdict on one gathered workload (an incident's, or one named in a question): the same
 * rules as the sweep, over evidence that includes events and logs. Undefined when the
 * evidence names no workload or pod.
 */
export function assessEvidence(gathered: Evidence, now: number, analyzers: readonly Analyzer[] = builtinAnalyzers): { verdict: UnitVerdict; result: AnalyzerResult } | undefined {
  // Pods still terminating after the workload's rollout is done are not judged, as in a sweep.
  const evidence = settleEvidence(gathered);
  const unit = unitOfEvidence(evidence);
  if (!unit) return undefined;
  const result = runAnalyzers(evidence, now, analyzers);
  return { verdict: verdictOf(unit.ref, triageUnit(unit, now), result, true), result };
}

/** "deployment/checkout" as kubectl names it. */
export function refLabel(ref: SweepRef): string {
  return `${ref.kind === 'PersistentVolumeClaim' ? 'pvc' : ref.kind.toLowerCase()}/${ref.name}`;
}
