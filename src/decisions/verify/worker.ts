import type { Job } from 'bullmq';
import type { CircuitBreaker } from '../breaker.js';
import type { Clock } from '../../shared/clock.js';
import { buildVerdictMessage, simple } from '../messages.js';
import type { ExecutionDeps } from '../execute/worker.js';
import { audit, postInThread, recordFailureOnce } from '../report.js';
import { settleIfDone } from '../resume.js';
import type { Verdict } from '../connections.js';
import type { DecisionRecord } from '../proposal-store.js';
import { type ClassifyRisk, type SubmitDeps, proposeInverse } from '../submit.js';
import { VerificationJobData } from '../stage-jobs.js';

export interface VerificationDeps extends SubmitDeps, Pick<ExecutionDeps, 'connections' | 'messenger' | 'audit' | 'store' | 'log'> {
  breaker: Pick<CircuitBreaker, 'recordFailure' | 'recordSuccess' | 'state'>;
  classify: ClassifyRisk;
  clock: Clock;
  proposalTtlMs: number;
  /** How long the target may take to become healthy, and how long it must stay so. */
  timeoutMs?: number;
  settleMs?: number;
  pollMs?: number;
  /** A fix took: the incident may become mitigated (idempotent; a retried job calls it again). */
  onFixVerified?: (input: { incidentId: string; summary: string }) => Promise<void>;
}

/**
 * The `verification` job: asks the cluster whether the action worked, posts the verdict with
 * its evidence, feeds the circuit breaker, and on failure offers the inverse action as a new
 * proposal that always waits for a human. The verdict is recorded first (the first one
 * stands); every later step is idempotent — the audit by its once-key, the breaker by a
 * claimed step, the posts by their keys, the inverse by its id — so a retried job, after a
 * crash or a Slack outage, finishes what is left without verifying, auditing or proposing twice.
 */
export function createVerificationProcessor(deps: VerificationDeps) {
  return async (job: Pick<Job, 'data' | 'id'>): Promise<string> => {
    const { proposalId } = VerificationJobData.parse(job.data);
    const record = await deps.store.get(proposalId);
    if (!record) return 'missing';
    const verifiable = record.status === 'executed' || (record.status === 'failed' && (record.outcome === 'unknown' || record.outcome === 'error'));
    if (!verifiable) return 'not_verifiable';
    const { proposal } = record;

    let verdict: Verdict | undefined = record.verification;
    if (!verdict) {
      const connection = await deps.connections.get(proposal.cluster);
      const found = await connection.verify(proposal.action, {
        timeoutMs: deps.timeoutMs ?? 120_000,
        settleMs: deps.settleMs ?? 10_000,
        ...(deps.pollMs === undefined ? {} : { pollMs: deps.pollMs }),
      });
      const recorded = await deps.store.recordVerification(proposalId, found);
      verdict = recorded ?? found;
      deps.metrics?.verifications.inc({ verdict: verdict.ok ? 'verified' : 'failed' });
    }
    await audit(deps, record, 'verification', `${verdict.ok ? 'verified' : 'verification failed'}: ${verdict.summary}`);
    await feedBreaker(deps, record, verdict);
    await postInThread(deps, record, buildVerdictMessage(proposal, verdict), `verdict-${proposalId}`);
    if (verdict.ok) await deps.onFixVerified?.({ incidentId: proposal.incidentId, summary: `${proposal.action.type} ${verdict.summary}` });
    const outcome = verdict.ok ? 'verified' : await offerInverse(deps, record, verdict);
    await deps.store.markDone(proposalId, 'verdict');
    await settleIfDone(deps.store, proposalId);
    return outcome;
  };
}

async function feedBreaker(deps: VerificationDeps, record: DecisionRecord, verdict: Verdict): Promise<void> {
  const { proposal } = record;
  if (!verdict.ok) {
    await recordFailureOnce(deps, record, 'verdict_breaker');
    return;
  }
  if (record.status !== 'executed' || !(await deps.store.claimStep(proposal.id, 'verdict_breaker'))) return;
  const { closed } = await deps.breaker.recordSuccess(proposal.cluster, { human: !record.auto });
  if (closed) {
    await postInThread(deps, record, simple(`:large_green_circle: Circuit breaker for \`${proposal.cluster}\` closed after successful approved runs.`), `breaker-closed-${proposal.id}`);
    await audit(deps, record, 'breaker', `circuit breaker closed for ${proposal.cluster}`, 'breaker-closed');
  }
}

async function offerInverse(deps: VerificationDeps, record: DecisionRecord, verdict: Verdict): Promise<'failed_inverse_offered' | 'failed_no_inverse'> {
  const { proposal } = record;
  const offered = await proposeInverse(deps, record, {
    kind: 'inverse',
    rationale: `Verification of ${proposal.action.type} failed (${verdict.summary}); this restores the previous state.`,
    allowAuto: false,
  });
  if (offered !== 'no_inverse') return 'failed_inverse_offered';
  await postInThread(deps, record, simple('There is no automatic inverse for this action; check the workload by hand.'), `no-inverse-${proposal.id}`);
  return 'failed_no_inverse';
}
