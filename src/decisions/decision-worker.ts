import type { Job } from 'bullmq';
import type { AuditLog } from './audit-log.js';
import { isAppError } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';
import { buildDecidedProposalMessage, type Decision } from './blocks/decision.js';
import type { SlackMessenger } from '../slack/messenger.js';
import type { DecisionRecord, ProposalStore } from './proposal-store.js';
import { settleIfDone } from './resume.js';
import { DecisionJobData } from './stage-jobs.js';
import type { DecisionLoopMetrics } from '../metrics/metrics.js';


export interface DecisionJobDeps {
  store: Pick<ProposalStore, 'get' | 'markDone' | 'settle'>;
  audit: AuditLog;
  messenger: SlackMessenger;
  enqueueExecution: (proposalId: string) => Promise<void>;
  log: Logger;
  metrics?: DecisionLoopMetrics;
}

/**
 * The `decision` job: the consequences of an Approve or Reject click, done from the stored
 * state rather than the click handler's memory, so a click whose process died right after
 * the store recorded it still gets them (the resume sweep queues this job again). For an
 * approval the execution is queued first (idempotent per proposal), so a slow or absent
 * Slack never delays or loses the run; then the audit entry (once) and the message edit.
 */
export function createDecisionProcessor(deps: DecisionJobDeps) {
  return async (job: Pick<Job, 'data' | 'id'>): Promise<string> => {
    const { proposalId } = DecisionJobData.parse(job.data);
    const record = await deps.store.get(proposalId);
    if (!record) return 'missing';
    const outcome = await applyDecision(deps, record);
    if (outcome !== 'undecided') {
      await deps.store.markDone(proposalId, 'decision');
      await settleIfDone(deps.store, proposalId);
    }
    return outcome;
  };
}

async function applyDecision(deps: DecisionJobDeps, record: DecisionRecord): Promise<'approved' | 'rejected' | 'undecided' | 'done'> {
  const { proposal } = record;
  if (record.done.includes('decision')) return 'done';
  if (record.status === 'rejected') {
    const by = record.decidedBy ?? 'unknown';
    await auditOnce(deps, record, 'rejection', by, `rejected ${proposal.action.type} by ${by}`);
    await show(deps, record, { kind: 'rejected', by, at: record.decidedAt ?? new Date().toISOString() });
    deps.metrics?.decisions.inc({ decision: 'rejected', by: 'human', reason: '' });
    return 'rejected';
  }
  if (record.auto || record.approvals.length < record.requiredApprovals) return 'undecided';
  const users = record.approvals.map((a) => a.user);
  const last = users.at(-1) ?? 'unknown';
  if (record.status === 'approved') await deps.enqueueExecution(proposal.id);
  await auditOnce(deps, record, 'approval', last, `approved ${proposal.action.type} by ${users.join(' and ')}`);
  // An approval the incident's resolution expired before it ran keeps the expiry on its message.
  if (record.status !== 'expired') {
    await show(deps, record, { kind: 'approved', approvers: record.approvals, auto: false, next: 'a dry run, then the real run, then verification, posted in this thread.' });
  }
  deps.metrics?.decisions.inc({ decision: 'approved', by: 'human', reason: '' });
  return 'approved';
}

async function auditOnce(deps: DecisionJobDeps, record: DecisionRecord, type: 'approval' | 'rejection', actor: string, summary: string): Promise<void> {
  const { proposal } = record;
  await deps.audit.appendOnce(`${proposal.id}:${type}`, {
    type,
    actor,
    channel: proposal.channel,
    incidentId: proposal.incidentId,
    proposalId: proposal.id,
    cluster: proposal.cluster,
    summary,
  });
}

/** The message edit; a retryable Slack failure fails the job (it is retried), any other is logged. */
async function show(deps: DecisionJobDeps, record: DecisionRecord, decision: Decision): Promise<void> {
  const ts = record.proposal.messageTs;
  if (!ts) return;
  try {
    await deps.messenger.update({ channel: record.proposal.channel, ts, message: buildDecidedProposalMessage(record.proposal, decision) });
  } catch (err) {
    if (!isAppError(err) || err.retryable) throw err;
    deps.log.warn({ proposalId: record.proposal.id, err: err.message }, 'proposal message update refused');
  }
}
