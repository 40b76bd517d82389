import { redactText } from '../../shared/redact.js';
import type { Analyzer, Finding, ProposedAction } from '../types.js';
import { latestRevisionChange, workloadLabel } from './helpers.js';
import { subjectId } from './objects.js';

const name = 'failed-rollout';

/** A Deployment whose rollout exceeded its progress deadline: roll back to the previous revision. */
export const analyzeFailedRollout: Analyzer = (evidence, now) => {
  const dep = evidence.workload?.deployment;
  const ref = evidence.workload?.ref;
  const progressing = dep?.status?.conditions?.find((c) => c.type === 'Progressing');
  if (!dep || !ref || progressing?.status !== 'False' || progressing.reason !== 'ProgressDeadlineExceeded') return { findings: [], proposals: [] };
  const change = latestRevisionChange(evidence, now);
  const lines = [
    `Progressing=False ProgressDeadlineExceeded: ${redactText(progressing.message ?? '')}`,
    `replicas: ${dep.spec?.replicas ?? '?'} desired, ${dep.status?.updatedReplicas ?? 0} updated, ${dep.status?.readyReplicas ?? 0} ready, ${dep.status?.availableReplicas ?? 0} available`,
  ];
  const proposals: ProposedAction[] = [];
  if (change) {
    lines.push(`revision ${change.currentRevision} changed: ${change.changes.join('; ') || 'nothing visible'}`);
    proposals.push({
      action: { type: 'rollout_undo', namespace: ref.namespace, name: ref.name, toRevision: change.previousRevision },
      confidence: 0.85,
      rationale: `The rollout of revision ${change.currentRevision} (${change.changes.join('; ') || 'template change'}) never became ready and exceeded its progress deadline; revision ${change.previousRevision} is the last known-good template. Rolling back ends the failed rollout.`,
      origin: `analyzer:${name}`,
    });
  } else {
    lines.push('no previous revision is known: no rollback proposed');
  }
  const finding: Finding = {
    analyzer: name,
    kind: 'bad-rollout',
    object: subjectId(evidence) ?? '?',
    ...(proposals.length > 0 ? {} : { fix: `kubectl -n ${ref.namespace} rollout status deployment/${ref.name}; fix the template, or roll back by hand.` }),
    title: `Rollout of ${workloadLabel(evidence)} failed`,
    severity: 'critical',
    summary: `The new revision did not become available within the progress deadline${change && (dep.status?.availableReplicas ?? 0) > 0 ? `; revision ${change.previousRevision} is still serving` : ''}.`,
    evidence: lines,
  };
  return { findings: [finding], proposals };
};
