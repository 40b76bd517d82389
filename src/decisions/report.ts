import type { CircuitBreaker } from './breaker.js';
import { inverseAction } from './actions/inverse.js';
import type { AuditLog } from './audit-log.js';
import type { SlackMessage, SlackMessenger } from '../slack/messenger.js';
import { buildDryRunMessage, buildExecutionMessage, buildStaleAtExecutionMessage, buildUnknownOutcomeMessage, simple } from './messages.js';
import type { ExecutionResult } from './connections.js';
import type { DecisionRecord, ProposalStore } from './proposal-store.js';
import { needsVerification, runOutcomeOf, type RunOutcome } from './outcome.js';
import { settleIfDone } from './resume.js';
import type { DecisionLoopMetrics } from '../metrics/metrics.js';

export interface ReportDeps {
  store: Pick<ProposalStore, 'get' | 'markDone' | 'claimStep' | 'settle'>;
  messenger: SlackMessenger;
  audit: AuditLog;
  breaker: Pick<CircuitBreaker, 'recordFailure'>;
  enqueueVerification: (proposalId: string) => Promise<void>;
  metrics?: DecisionLoopMetrics;
}

/**
 * Reports a finished execution from its stored record: the thread post, the audit entry, then
 * the verification job or the breaker count. Each step is idempotent (the post by its key, the
 * audit by its once-key, the job by its id, the breaker by a claimed step), so a retried job —
 * after a crash or a Slack outage at any step — does exactly what is left, and the thread ends
 * up saying what happened to the cluster. Undefined when the record holds no finished run.
 */
export async function reportOutcome(deps: ReportDeps, proposalId: string): Promise<RunOutcome | undefined> {
  const record = await deps.store.get(proposalId);
  if (!record) return undefined;
  const outcome = runOutcomeOf(record);
  if (!outcome) return undefined;
  if (!record.done.includes('reported')) {
    const { message, key, type, summary } = describeOutcome(record, outcome);
    await postInThread(deps, record, message, key);
    await audit(deps, record, type, summary);
    if (needsVerification(record)) await deps.enqueueVerification(proposalId);
    // A target that changed since approval is no failure of the cluster: the breaker does not count it.
    else if ((outcome === 'failed' || outcome === 'dry_run_failed') && record.errorCode !== 'stale') await recordFailureOnce(deps, record, 'breaker');
    await deps.store.markDone(proposalId, 'reported');
    deps.metrics?.executions.inc({ outcome });
  }
  await settleIfDone(deps.store, proposalId);
  return outcome;
}

function describeOutcome(record: DecisionRecord, outcome: RunOutcome): { message: SlackMessage; key: string; type: 'dry_run' | 'execution'; summary: string } {
  const { proposal } = record;
  const id = proposal.id;
  const summary = record.summary ?? '';
  const code = record.errorCode ?? 'error';
  switch (outcome) {
    case 'paused': {
      // startedAt: the proposal was executing (dry run done or under way) when the switch was found.
      const started = record.startedAt !== undefined;
      return {
        message: simple(
          started
            ? ':double_vertical_bar: Stopped before the real run: Deckhand was paused. Nothing was changed.'
            : ':double_vertical_bar: Not executed: Deckhand is paused. Propose it again after /k8s resume.',
        ),
        key: `paused-${id}`,
        type: 'execution',
        summary: started ? 'not executed: paused after the dry run' : 'not executed: paused',
      };
    }
    case 'unknown':
      return { message: buildUnknownOutcomeMessage(proposal), key: `unknown-${id}`, type: 'execution', summary: `outcome unknown: ${summary}` };
    case 'dry_run_failed': {
      const message = summary.replace(/^dry run failed: /, '');
      if (code === 'stale') {
        return {
          message: buildStaleAtExecutionMessage(proposal, message),
          key: `dryrun-${id}`,
          type: 'dry_run',
          summary: `not run: ${message}`,
        };
      }
      return {
        message: buildDryRunMessage(proposal, { ok: false, code, message, retryable: false }),
        key: `dryrun-${id}`,
        type: 'dry_run',
        summary: `dry run failed (${code}): ${message}`,
      };
    }
    case 'executed':
    case 'failed': {
      const result: ExecutionResult = outcome === 'executed' ? { ok: true, summary } : { ok: false, code, message: summary, retryable: false };
      const undo = record.auto && result.ok && inverseAction(proposal.action, record.preSnapshot ?? proposal.target) !== undefined;
      return {
        message: buildExecutionMessage(proposal, result, { auto: record.auto, undo }),
        key: `executed-${id}`,
        type: 'execution',
        summary: result.ok ? `executed: ${result.summary}` : `failed (${result.code}): ${result.message}`,
      };
    }
  }
}

export async function postInThread(deps: { messenger: SlackMessenger }, record: DecisionRecord, message: SlackMessage, key: string): Promise<void> {
  await deps.messenger.post({
    channel: record.proposal.channel,
    ...(record.proposal.threadTs ? { threadTs: record.proposal.threadTs } : {}),
    message,
    idempotencyKey: key,
  });
}

/** A deckhand audit entry about a proposal, once per proposal and `step` (default: its type). */
export async function audit(
  deps: { audit: AuditLog },
  record: DecisionRecord,
  type: 'dry_run' | 'execution' | 'verification' | 'breaker',
  summary: string,
  step: string = type,
): Promise<void> {
  await deps.audit.appendOnce(`${record.proposal.id}:${step}`, {
    type,
    actor: 'deckhand',
    channel: record.proposal.channel,
    incidentId: record.proposal.incidentId,
    proposalId: record.proposal.id,
    cluster: record.proposal.cluster,
    summary,
  });
}

/**
 * Counts a failure toward the cluster's breaker, at most once per proposal and `step` (a
 * crash right after the claim loses one count rather than doubling it), and says so in the
 * thread when that count opened it — also on a retry after the post failed.
 */
export async function recordFailureOnce(
  deps: { store: Pick<ProposalStore, 'claimStep' | 'markDone'>; breaker: Pick<CircuitBreaker, 'recordFailure'>; messenger: SlackMessenger; audit: AuditLog },
  record: DecisionRecord,
  step: 'breaker' | 'verdict_breaker',
): Promise<void> {
  const openedStep = step === 'breaker' ? 'breaker_opened' : 'verdict_breaker_opened';
  let opened = record.done.includes(openedStep);
  if (await deps.store.claimStep(record.proposal.id, step)) {
    opened = (await deps.breaker.recordFailure(record.proposal.cluster)).opened;
    if (opened) await deps.store.markDone(record.proposal.id, openedStep);
  }
  if (!opened) return;
  await postInThread(
    deps,
    record,
    simple(`:rotating_light: Circuit breaker open for cluster \`${record.proposal.cluster}\` after repeated failures: nothing runs by itself there for 5 minutes (or until two approved runs succeed).`),
    `breaker-${record.proposal.id}`,
  );
  await audit(deps, record, 'breaker', `circuit breaker opened for ${record.proposal.cluster}`, 'breaker-opened');
}
