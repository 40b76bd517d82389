import type { DecisionRecord } from './proposal-store.js';

/**
 * Pure reading of a proposal's stored state: what its run came to and what is still owed
 * after it. The report, the workers and the resume sweep all decide from this alone.
 */

/** What a finished execution came to, read from the stored record alone. */
export type RunOutcome = 'executed' | 'failed' | 'dry_run_failed' | 'unknown' | 'paused';

export function runOutcomeOf(record: DecisionRecord): RunOutcome | undefined {
  if (record.status === 'executed') return 'executed';
  if (record.status === 'refused' && record.reason === 'paused') return 'paused';
  if (record.status !== 'failed') return undefined;
  if (record.outcome === 'unknown') return 'unknown';
  return record.phase === 'dry_run' ? 'dry_run_failed' : 'failed';
}

/** Whether the outcome asks the verifier: it ran, or it may have. */
export function needsVerification(record: DecisionRecord): boolean {
  const outcome = runOutcomeOf(record);
  return outcome === 'executed' || outcome === 'unknown' || (outcome === 'failed' && record.uncertain === true);
}

/** The jobs that carry a decision's consequences, one per proposal each (deterministic job ids). */
export type Stage = 'decision' | 'execution' | 'verification';

/**
 * What is still owed for a proposal, from its stored state alone:
 * - `decision`: a human approval or rejection not yet audited and shown on its message;
 * - `execution`: approved or executing (nobody finished it), or finished but not reported;
 * - `verification`: reported, asks for a verdict, none posted yet.
 */
export function pendingWork(record: DecisionRecord): Stage[] {
  const stages: Stage[] = [];
  const done = new Set(record.done);
  const humanApproval = !record.auto && record.approvals.length >= record.requiredApprovals;
  if (!done.has('decision') && (record.status === 'rejected' || humanApproval)) stages.push('decision');
  const finished = runOutcomeOf(record) !== undefined;
  if (record.status === 'approved' || record.status === 'executing' || (finished && !done.has('reported'))) stages.push('execution');
  if (finished && done.has('reported') && needsVerification(record) && !done.has('verdict')) stages.push('verification');
  return stages;
}

