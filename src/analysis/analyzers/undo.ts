import type { V1Pod } from '@kubernetes/client-node';
import type { Evidence, ProposedAction } from '../types.js';
import { formatAge, latestRevisionChange, podBelongsTo } from './helpers.js';

/** A change older than this is unlikely to be what broke things just now. */
const recentMs = 24 * 60 * 60 * 1000;

export interface UndoOptions {
  analyzer: string;
  /** What is wrong, for the rationale ("pods crash on start"). */
  symptom: string;
  failingPods: V1Pod[];
  confidence: number;
  /** Raise confidence when one of the changes matches (e.g. /image/ for pull errors). */
  relevantChange?: RegExp;
}

export interface UndoDecision {
  proposal?: ProposedAction;
  /** Evidence lines about the latest revision, whether or not an undo is proposed. */
  evidence: string[];
}

/**
 * Proposes `rollout_undo` to the previous revision when the failing pods run the newest
 * ReplicaSet of a Deployment and its template differs from the previous one: the failure
 * arrived with the change, so taking the change back is the targeted fix. Without such a
 * change nothing is proposed (a restart would bring the same template back).
 */
export function decideUndo(evidence: Evidence, now: number, options: UndoOptions): UndoDecision {
  const workload = evidence.workload;
  if (workload?.ref.kind !== 'Deployment') return { evidence: [] };
  const change = latestRevisionChange(evidence, now);
  if (!change) return { evidence: ['the deployment has a single revision: no earlier template to go back to'] };
  const age = change.ageMs === undefined ? '' : ` ${formatAge(change.ageMs)} ago`;
  const lines = [`revision ${change.currentRevision} (created${age}) changed: ${change.changes.join('; ') || 'nothing visible'}`];
  const onCurrent = options.failingPods.filter((p) => podBelongsTo(p, change.current));
  const onPrevious = options.failingPods.filter((p) => podBelongsTo(p, change.previous));
  if (onCurrent.length === 0 || onPrevious.length > 0 || change.changes.length === 0) {
    lines.push(`failing pods are not specific to revision ${change.currentRevision}: no rollback proposed`);
    return { evidence: lines };
  }
  let confidence = options.confidence;
  if (options.relevantChange && change.changes.some((c) => options.relevantChange?.test(c))) confidence += 0.05;
  if (change.ageMs !== undefined && change.ageMs > recentMs) confidence -= 0.2;
  const proposal: ProposedAction = {
    action: { type: 'rollout_undo', namespace: workload.ref.namespace, name: workload.ref.name, toRevision: change.previousRevision },
    confidence: Math.max(0.1, Math.min(0.95, Number(confidence.toFixed(2)))),
    rationale:
      `${options.symptom} only on revision ${change.currentRevision}, which changed ${change.changes.join('; ')}. ` +
      `Rolling back to revision ${change.previousRevision} restores the last template that worked.`,
    origin: `analyzer:${options.analyzer}`,
  };
  return { proposal, evidence: lines };
}
