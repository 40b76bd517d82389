import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Job } from 'bullmq';
import type { CircuitBreaker } from '../breaker.js';
import { inverseAction } from '../../actions/inverse.js';
import type { AuditLog } from '../audit-log.js';
import { AppError } from '../../shared/errors.js';
import type { Logger } from '../../shared/logger.js';
import type { SlackMessage, SlackMessenger } from '../../slack/messenger.js';
import { buildDryRunMessage, buildExecutionMessage, buildUnknownOutcomeMessage, simple } from '../messages.js';
import type { ActionConnections, ExecutionResult } from '../connections.js';
import type { DecisionRecord, ProposalStore } from '../proposal-store.js';
import { ExecutionJobData } from './job.js';

export interface ExecutionDeps {
  store: ProposalStore;
  connections: ActionConnections;
  messenger: SlackMessenger;
  audit: AuditLog;
  breaker: Pick<CircuitBreaker, 'recordFailure'>;
  enqueueVerification: (proposalId: string) => Promise<void>;
  log: Logger;
  /** Execution lock TTL; renewed every third of it while the worker is alive (default 30 s). */
  lockTtlMs?: number;
}

/**
 * The `execution` job: dry run, then the real run, each posted in the thread, then the
 * verification job. Exactly once, whatever happens to workers:
 * - beginExecution moves approved → executing under a lock {owner, TTL} (and checks the kill
 *   switch in the same atomic step), so concurrent or retried jobs cannot both start;
 * - a lock held by another live worker → retry later (BullMQ backoff);
 * - crash during the dry run (phase dry_run, lock expired) → safe to take over and redo it;
 * - crash after markApplying (the persisted "real run started" marker) → never run again
 *   blindly: mark failed/unknown, say so in the thread and verify the target instead.
 */
export function createExecutionProcessor(deps: ExecutionDeps) {
  const lockTtlMs = deps.lockTtlMs ?? 30_000;
  return async (job: Pick<Job, 'data' | 'id' | 'attemptsMade' | 'opts'>): Promise<string> => {
    const { proposalId } = ExecutionJobData.parse(job.data);
    const log = deps.log.child({ jobId: job.id, proposalId });
    const record = await deps.store.get(proposalId);
    if (!record) return 'missing';
    const owner = `${hostname()}:${process.pid}:${randomUUID()}`;
    const begin = await deps.store.beginExecution(proposalId, owner, lockTtlMs);
    const say = (message: SlackMessage, key: string) => postInThread(deps, record, message, key);
    switch (begin.outcome) {
      case 'missing':
      case 'not_runnable':
        log.info({ begin }, 'execution skipped');
        return begin.outcome;
      case 'in_progress':
        throw new AppError('conflict', `execution of ${proposalId} is held by another worker`, { retryable: true });
      case 'paused':
        await say(simple(':double_vertical_bar: Not executed: Deckhand is paused. Propose it again after /k8s resume.'), `paused-${proposalId}`);
        await audit(deps, record, 'execution', 'not executed: paused');
        return 'paused';
      case 'unknown':
        if (await deps.store.markUnknown(proposalId, 'worker stopped after the real run began')) {
          await say(buildUnknownOutcomeMessage(record.proposal), `unknown-${proposalId}`);
          await audit(deps, record, 'execution', 'outcome unknown: worker stopped after the real run began');
          await deps.enqueueVerification(proposalId);
        }
        return 'unknown';
      case 'started':
      case 'resumed':
        break;
    }

    const heartbeat = setInterval(() => {
      deps.store.extendLock(proposalId, owner, lockTtlMs).catch((err: unknown) => log.warn({ err: String(err) }, 'lock renewal failed'));
    }, Math.max(1000, Math.floor(lockTtlMs / 3)));
    try {
      const connection = await deps.connections.get(record.proposal.cluster);
      const dry = await settle(connection.execute(record.proposal.action, { dryRun: true }));
      const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      if (!dry.ok && dry.retryable && !lastAttempt) {
        // Nothing changed yet: let BullMQ retry; the next attempt takes over (phase dry_run).
        await deps.store.releaseLock(proposalId, owner);
        throw new AppError('unavailable', `dry run failed: ${dry.message}`, { retryable: true });
      }
      await say(buildDryRunMessage(record.proposal, dry), `dryrun-${proposalId}`);
      await audit(deps, record, 'dry_run', dry.ok ? `dry run passed: ${dry.summary}` : `dry run failed (${dry.code}): ${dry.message}`);
      if (!dry.ok) {
        await deps.store.finishExecution(proposalId, owner, { ok: false, summary: `dry run failed: ${dry.message}` });
        await recordFailure(deps, record);
        return 'dry_run_failed';
      }

      const before = await connection.snapshot(record.proposal.action).catch(() => undefined);
      const applying = await deps.store.markApplying(proposalId, owner, lockTtlMs, before ?? record.proposal.target);
      if (applying === 'paused') {
        await say(simple(':double_vertical_bar: Stopped before the real run: Deckhand was paused. Nothing was changed.'), `paused-${proposalId}`);
        await audit(deps, record, 'execution', 'not executed: paused after the dry run');
        return 'paused';
      }
      if (applying === 'lost_lock') {
        log.error({}, 'execution lock lost before the real run');
        return 'lost_lock';
      }

      let thrown = false;
      const result = await connection.execute(record.proposal.action, { dryRun: false }).catch((err: unknown): ExecutionResult => {
        thrown = true;
        return { ok: false, code: 'error', message: `${err instanceof Error ? err.message : String(err)} (the change may or may not have been applied)`, retryable: false };
      });
      await deps.store.finishExecution(proposalId, owner, { ok: result.ok, summary: result.ok ? result.summary : result.message });
      const undo = record.auto && result.ok && inverseAction(record.proposal.action, before ?? record.proposal.target) !== undefined;
      await say(buildExecutionMessage(record.proposal, result, { auto: record.auto, undo }), `executed-${proposalId}`);
      await audit(deps, record, 'execution', result.ok ? `executed: ${result.summary}` : `failed (${result.code}): ${result.message}`);
      if (result.ok || thrown) await deps.enqueueVerification(proposalId);
      else await recordFailure(deps, record);
      return result.ok ? 'executed' : 'failed';
    } finally {
      clearInterval(heartbeat);
    }
  };
}

async function settle(promise: Promise<ExecutionResult>): Promise<ExecutionResult> {
  return promise.catch((err: unknown) => ({ ok: false, code: 'error', message: err instanceof Error ? err.message : String(err), retryable: true }));
}

export async function postInThread(deps: { messenger: SlackMessenger }, record: DecisionRecord, message: SlackMessage, key: string): Promise<void> {
  await deps.messenger.post({
    channel: record.proposal.channel,
    ...(record.proposal.threadTs ? { threadTs: record.proposal.threadTs } : {}),
    message,
    idempotencyKey: key,
  });
}

export async function audit(deps: { audit: AuditLog }, record: DecisionRecord, type: 'dry_run' | 'execution' | 'verification' | 'breaker', summary: string): Promise<void> {
  await deps.audit.append({
    type,
    actor: 'deckhand',
    channel: record.proposal.channel,
    incidentId: record.proposal.incidentId,
    proposalId: record.proposal.id,
    cluster: record.proposal.cluster,
    summary,
  });
}

/** Counts a failure toward the cluster's breaker and says so in the thread when it opens. */
export async function recordFailure(deps: { breaker: Pick<CircuitBreaker, 'recordFailure'>; messenger: SlackMessenger; audit: AuditLog }, record: DecisionRecord): Promise<void> {
  const { opened } = await deps.breaker.recordFailure(record.proposal.cluster);
  if (!opened) return;
  await postInThread(
    deps,
    record,
    simple(`:rotating_light: Circuit breaker open for cluster \`${record.proposal.cluster}\` after repeated failures: nothing runs by itself there for 5 minutes (or until two approved runs succeed).`),
    `breaker-${record.proposal.id}`,
  );
  await audit(deps, record, 'breaker', `circuit breaker opened for ${record.proposal.cluster}`);
}
