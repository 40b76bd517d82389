import type { Job } from 'bullmq';
import type { CircuitBreaker } from '../breaker.js';
import type { Clock } from '../../shared/clock.js';
import { buildVerdictMessage, simple } from '../messages.js';
import { audit, postInThread, recordFailure, type ExecutionDeps } from '../execute/worker.js';
import type { Verdict } from '../connections.js';
import { type ClassifyRisk, type SubmitDeps, proposeInverse } from '../submit.js';
import { VerificationJobData } from './job.js';

export interface VerificationDeps extends SubmitDeps, Pick<ExecutionDeps, 'connections' | 'messenger' | 'audit' | 'store' | 'log'> {
  breaker: Pick<CircuitBreaker, 'recordFailure' | 'recordSuccess' | 'state'>;
  classify: ClassifyRisk;
  clock: Clock;
  proposalTtlMs: number;
  /** How long the target may take to become healthy, and how long it must stay so. */
  timeoutMs?: number;
  settleMs?: number;
  pollMs?: number;
}

/**
 * The `verification` job: asks the cluster whether the action worked, posts the verdict with
 * its evidence, feeds the circuit breaker, and on failure offers the inverse action as a new
 * proposal that always waits for a human. A verdict is recorded once; a retried job whose
 * verdict exists only re-posts (idempotently) and never proposes twice.
 */
export function createVerificationProcessor(deps: VerificationDeps) {
  return async (job: Pick<Job, 'data' | 'id'>): Promise<string> => {
    const { proposalId } = VerificationJobData.parse(job.data);
    const record = await deps.store.get(proposalId);
    if (!record) return 'missing';
    const verifiable = record.status === 'executed' || (record.status === 'failed' && (record.outcome === 'unknown' || record.outcome === 'error'));
    if (!verifiable) return 'not_verifiable';
    const { proposal } = record;

    let verdict: Verdict;
    if (record.verification) {
      verdict = record.verification;
    } else {
      const connection = await deps.connections.get(proposal.cluster);
      verdict = await connection.verify(proposal.action, {
        timeoutMs: deps.timeoutMs ?? 120_000,
        settleMs: deps.settleMs ?? 10_000,
        ...(deps.pollMs === undefined ? {} : { pollMs: deps.pollMs }),
      });
      await deps.store.recordVerification(proposalId, verdict);
      await audit(deps, record, 'verification', `${verdict.ok ? 'verified' : 'verification failed'}: ${verdict.summary}`);
      if (verdict.ok && record.status === 'executed') {
        const { closed } = await deps.breaker.recordSuccess(proposal.cluster, { human: !record.auto });
        if (closed) {
          await postInThread(deps, record, simple(`:large_green_circle: Circuit breaker for \`${proposal.cluster}\` closed after successful approved runs.`), `breaker-closed-${proposalId}`);
          await audit(deps, record, 'breaker', `circuit breaker closed for ${proposal.cluster}`);
        }
      } else if (!verdict.ok) {
        await recordFailure(deps, record);
      }
    }
    await postInThread(deps, record, buildVerdictMessage(proposal, verdict), `verdict-${proposalId}`);
    if (verdict.ok) return 'verified';

    const offered = await proposeInverse(deps, record, {
      kind: 'inverse',
      rationale: `Verification of ${proposal.action.type} failed (${verdict.summary}); this restores the previous state.`,
      allowAuto: false,
    });
    if (offered === 'no_inverse') {
      await postInThread(deps, record, simple('There is no automatic inverse for this action; check the workload by hand.'), `no-inverse-${proposalId}`);
      return 'failed_no_inverse';
    }
    return 'failed_inverse_offered';
  };
}
