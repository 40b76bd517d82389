import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Job } from 'bullmq';
import type { CircuitBreaker } from '../breaker.js';
import type { AuditLog } from '../audit-log.js';
import { AppError } from '../../shared/errors.js';
import type { Logger } from '../../shared/logger.js';
import type { SlackMessenger } from '../../slack/messenger.js';
import { buildDryRunMessage } from '../messages.js';
import type { ActionConnection, ActionConnections, ExecutionResult } from '../connections.js';
import type { DecisionRecord, ProposalStore } from '../proposal-store.js';
import { audit, postInThread, reportOutcome, type ReportDeps } from '../report.js';
import { ExecutionJobData } from '../stage-jobs.js';
import { checkStaleness } from '../staleness.js';
import { describeRunIdentity, type RunAsPolicy, type RunIdentity } from '../run-as.js';

export interface ExecutionDeps {
  store: ProposalStore;
  connections: ActionConnections;
  messenger: SlackMessenger;
  audit: AuditLog;
  breaker: Pick<CircuitBreaker, 'recordFailure'>;
  enqueueVerification: (proposalId: string) => Promise<void>;
  /** Who the action runs as (Deckhand, or the approver whose click completed the approval). */
  runAs: Pick<RunAsPolicy, 'runIdentityOf'>;
  log: Logger;
  metrics?: NonNullable<ReportDeps['metrics']>;
  /** Execution lock TTL; renewed every third of it while the worker is alive (default executionLockTtlMs). */
  lockTtlMs?: number;
}

/**
 * The execution lock's TTL. A dead worker's lock must run out before a retry may take over
 * (dry run) or call the outcome unknown (real run), so it bounds recovery after a crash; the
 * heartbeat renews it every third, so only an event loop stalled for 10 s (or a Redis outage
 * that long) could let it lapse under a live run — and even then the scripts never run
 * anything twice, they at worst report the outcome as unknown.
 */
export const executionLockTtlMs = 10_000;

/**
 * The `execution` job: dry run, then the real run, each posted in the thread, then the report
 * (reportOutcome: thread post, audit, verification job). Exactly once, whatever happens to workers:
 * - beginExecution moves approved → executing under a lock {owner, TTL} (and checks the kill
 *   switch in the same atomic step), so concurrent or retried jobs cannot both start;
 * - a lock held by another live worker → retry later (BullMQ backoff);
 * - crash during the dry run (phase dry_run, lock expired) → safe to take over and redo it;
 * - crash after markApplying (the persisted "real run started" marker) → never run again
 *   blindly: mark failed/unknown, say so in the thread and verify the target instead;
 * - the outcome is recorded (finishExecution) before it is reported; a retry that finds a
 *   recorded outcome resumes the report where it stopped (a crash, or Slack down longer than
 *   the client's retries), so nothing applied goes unreported or unverified.
 */
export function createExecutionProcessor(deps: ExecutionDeps) {
  const lockTtlMs = deps.lockTtlMs ?? executionLockTtlMs;
  return async (job: Pick<Job, 'data' | 'id' | 'attemptsMade' | 'opts'>): Promise<string> => {
    const { proposalId } = ExecutionJobData.parse(job.data);
    const log = deps.log.child({ jobId: job.id, proposalId });
    const record = await deps.store.get(proposalId);
    if (!record) return 'missing';
    const owner = `${hostname()}:${process.pid}:${randomUUID()}`;
    const begin = await deps.store.beginExecution(proposalId, owner, lockTtlMs);
    switch (begin.outcome) {
      case 'missing':
        return 'missing';
      case 'in_progress':
        throw new AppError('conflict', `execution of ${proposalId} is held by another worker`, { retryable: true });
      case 'unknown':
        if (!(await deps.store.markUnknown(proposalId, 'worker stopped after the real run began'))) {
          // Someone took the lock in between: theirs to finish (or to find unknown later).
          const now = await deps.store.get(proposalId);
          if (now?.status === 'executing') throw new AppError('conflict', `execution of ${proposalId} is held by another worker`, { retryable: true });
        }
        return report(log, proposalId);
      case 'not_runnable':
      case 'paused':
        return report(log, proposalId);
      case 'started':
      case 'resumed':
        break;
    }
    const ran = await runOwned({ deps, record, owner, lockTtlMs, lastAttempt: job.attemptsMade + 1 >= (job.opts.attempts ?? 1), log });
    return ran === 'lost_lock' ? ran : report(log, proposalId);
  };

  async function report(log: Logger, proposalId: string): Promise<string> {
    const outcome = await reportOutcome(deps, proposalId);
    if (!outcome) log.info({}, 'execution skipped: nothing to run or report');
    return outcome ?? 'not_runnable';
  }
}

interface RunInput {
  deps: ExecutionDeps;
  record: DecisionRecord;
  owner: string;
  lockTtlMs: number;
  lastAttempt: boolean;
  log: Logger;
}

/** The dry run and the real run under our lock, ending with the outcome recorded in the store. */
async function runOwned({ deps, record, owner, lockTtlMs, lastAttempt, log }: RunInput): Promise<'recorded' | 'lost_lock'> {
  const proposalId = record.proposal.id;
  const heartbeat = setInterval(() => {
    deps.store.extendLock(proposalId, owner, lockTtlMs).catch((err: unknown) => log.warn({ err: String(err) }, 'lock renewal failed'));
  }, Math.max(1000, Math.floor(lockTtlMs / 3)));
  try {
    const prepared = await prepareRun(deps, record);
    if (!prepared.ok && prepared.retryable && !lastAttempt) {
      await deps.store.releaseLock(proposalId, owner);
      throw new AppError('unavailable', prepared.message, { retryable: true });
    }
    if (!prepared.ok) {
      await deps.store.finishExecution(proposalId, owner, { ok: false, summary: `dry run failed: ${prepared.message}`, code: prepared.code });
      return 'recorded';
    }
    const { connection, own, run } = prepared;
    const as = ` (as ${describeRunIdentity(run)})`;
    const dry = await settle(connection.execute(record.proposal.action, { dryRun: true }));
    if (!dry.ok && dry.retryable && !lastAttempt) {
      // Nothing changed yet: let BullMQ retry; the next attempt takes over (phase dry_run).
      await deps.store.releaseLock(proposalId, owner);
      throw new AppError('unavailable', `dry run failed: ${dry.message}`, { retryable: true });
    }
    if (!dry.ok) {
      await deps.store.finishExecution(proposalId, owner, { ok: false, summary: `dry run failed: ${dry.message}${as}`, code: dry.code });
      return 'recorded';
    }
    await postInThread(deps, record, buildDryRunMessage(record.proposal, dry), `dryrun-${proposalId}`);
    await audit(deps, record, 'dry_run', `dry run passed as ${describeRunIdentity(run)}: ${dry.summary}`);

    const before = await own.snapshot(record.proposal.action).catch(() => undefined);
    const applying = await deps.store.markApplying(proposalId, owner, lockTtlMs, before ?? record.proposal.target);
    if (applying === 'paused') return 'recorded';
    if (applying === 'lost_lock') {
      log.error({}, 'execution lock lost before the real run');
      return 'lost_lock';
    }

    let thrown = false;
    const result = await connection.execute(record.proposal.action, { dryRun: false }).catch((err: unknown): ExecutionResult => {
      thrown = true;
      return { ok: false, code: 'error', message: `${err instanceof Error ? err.message : String(err)} (the change may or may not have been applied)`, retryable: false };
    });
    // The identity it ran as goes into the recorded outcome, so the thread post and the audit entry say it.
    const recorded = await deps.store.finishExecution(proposalId, owner, {
      ok: result.ok,
      summary: `${result.ok ? result.summary : result.message}${as}`,
      ...(result.ok ? {} : { code: result.code }),
      uncertain: thrown,
    });
    // Not recorded: our lock lapsed and a retry already called the outcome unknown; its report stands.
    if (!recorded) log.error({ ok: result.ok }, 'execution outcome not recorded: the lock was lost during the real run');
    return 'recorded';
  } finally {
    clearInterval(heartbeat);
  }
}

type Prepared = { ok: true; connection: ActionConnection; own: ActionConnection; run: RunIdentity } | { ok: false; code: string; message: string; retryable?: boolean };

/**
 * Inside the lock, just before the dry run: who the action runs as, and whether its target
 * is still what was approved (it may have changed between the click and now — a queue wait,
 * a retry, a restart). A stale target or an approver no longer mapped is recorded as a failed
 * dry run: nothing was changed.
 */
async function prepareRun(deps: ExecutionDeps, record: DecisionRecord): Promise<Prepared> {
  const { proposal } = record;
  let run: RunIdentity;
  try {
    run = await deps.runAs.runIdentityOf(record);
  } catch (err) {
    return { ok: false, code: 'forbidden', message: err instanceof Error ? err.message : String(err) };
  }
  const connection = await deps.connections.get(proposal.cluster, run.kind === 'person' ? run.identity : undefined);
  // Deckhand's own read: its check, not a request of the action.
  const own = await deps.connections.get(proposal.cluster);
  let current;
  try {
    current = await own.snapshot(proposal.action);
  } catch (err) {
    return { ok: false, code: 'unavailable', message: `could not read the target to check it is unchanged: ${err instanceof Error ? err.message : String(err)}`, retryable: true };
  }
  const staleness = checkStaleness(proposal.target, current);
  if (staleness.stale) return { ok: false, code: 'stale', message: `refused at execution: ${staleness.explanation}` };
  return { ok: true, connection, own, run };
}

async function settle(promise: Promise<ExecutionResult>): Promise<ExecutionResult> {
  return promise.catch((err: unknown) => ({ ok: false, code: 'error', message: err instanceof Error ? err.message : String(err), retryable: true }));
}
