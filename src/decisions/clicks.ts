import type { AuditLog } from './audit-log.js';
import type { ChannelConfig } from '../core/config/file.js';
import type { ModeStore } from './mode-store.js';
import type { PauseSwitch } from './pause.js';
import type { Clock } from '../shared/clock.js';
import type { Logger } from '../shared/logger.js';
import { buildDecidedProposalMessage, type Decision } from './blocks/decision.js';
import type { SlackMessenger } from '../slack/messenger.js';
import type { ApproverResolver } from './approvers.js';
import { type ClickKind, type RefusalReason, authorizeClick } from './authorize.js';
import { simple } from './messages.js';
import type { ActionConnections } from './connections.js';
import type { DecisionRecord } from './proposal-store.js';
import { checkStaleness } from './staleness.js';
import { type ClassifyRisk, type SubmitDeps, proposeInverse } from './submit.js';
import type { ApproverCheck } from './run-as.js';

export interface Click {
  proposalId: string;
  user: string;
  /** Channel the click came from. */
  channel: string;
}

/** `notice`: tell the clicker (ephemeral) something even though it worked (e.g. "1 of 2"). */
export type ClickResult = { ok: true; notice?: string } | { ok: false; reason: RefusalReason; message: string };

export interface ClickDeps extends SubmitDeps {
  approvers: ApproverResolver;
  modes: Pick<ModeStore, 'effectiveMode'>;
  pause: Pick<PauseSwitch, 'isPaused'>;
  connections: ActionConnections;
  classify: ClassifyRisk;
  /** Queues the `decision` job (audit + message edit of an approval or rejection), once per proposal. */
  enqueueDecision: (proposalId: string) => Promise<void>;
  /** Queues a fresh analysis of the incident (the "Fresh analysis" button). */
  enqueueAnalysis: (input: { incidentId: string; reason: string }) => Promise<void>;
  audit: AuditLog;
  messenger: SlackMessenger;
  clock: Clock;
  log: Logger;
  channelConfig: (channel: string) => ChannelConfig;
  proposalTtlMs: number;
}

/**
 * The click core behind the Approve / Reject / Undo / Fresh analysis buttons. A refused click
 * changes nothing (the caller tells the clicker why, ephemerally); every decision and
 * refusal is audited. The atomic store is the last word: authorisation here reads state
 * that may race, the Lua scripts re-check it.
 */
export function createClickHandlers(deps: ClickDeps) {
  const iso = () => new Date(deps.clock()).toISOString();

  async function gate(kind: ClickKind, click: Click): Promise<{ record: DecisionRecord } | { refused: ClickResult }> {
    const record = await deps.store.get(click.proposalId);
    if (!record) return { refused: { ok: false, reason: 'unknown_proposal', message: 'This proposal is unknown or too old; ask for a fresh analysis.' } };
    const channelConfig = deps.channelConfig(record.proposal.channel);
    const [isApprover, mode, paused] = await Promise.all([
      deps.approvers.isApprover(channelConfig, click.user),
      deps.modes.effectiveMode(record.proposal.channel),
      deps.pause.isPaused(),
    ]);
    const verdict = authorizeClick({ kind, user: click.user, channel: click.channel, state: record, channelConfig, isApprover, mode, paused, now: deps.clock() });
    if (!verdict.ok) {
      await refusalAudit(record, click, kind, verdict.reason);
      return { refused: verdict };
    }
    return { record };
  }

  /** An audit entry for what a click did (or was refused) to a proposal. */
  async function decisionAudit(type: 'approval' | 'refusal', record: DecisionRecord, click: Click, summary: string): Promise<void> {
    await deps.audit.append({
      type,
      actor: click.user,
      channel: click.channel,
      incidentId: record.proposal.incidentId,
      proposalId: record.proposal.id,
      cluster: record.proposal.cluster,
      summary,
    });
  }

  async function refusalAudit(record: DecisionRecord, click: Click, kind: ClickKind, reason: RefusalReason): Promise<void> {
    await decisionAudit('refusal', record, click, `${kind} by ${click.user} refused: ${reason}`);
  }

  async function showDecision(record: DecisionRecord, decision: Decision): Promise<void> {
    const ts = record.proposal.messageTs;
    if (!ts) return;
    try {
      await deps.messenger.update({ channel: record.proposal.channel, ts, message: buildDecidedProposalMessage(record.proposal, decision) });
    } catch (err) {
      // The decision stands even if Slack is slow; the thread messages that follow say it too.
      deps.log.warn({ proposalId: record.proposal.id, err: err instanceof Error ? err.message : String(err) }, 'proposal message update failed');
    }
  }

  const refuse = (reason: RefusalReason, message: string): ClickResult => ({ ok: false, reason, message });

  /** The SubjectAccessReview gate of `execution.runAs: approver`; a refusal is audited and not counted. */
  async function checkApprover(record: DecisionRecord, click: Click): Promise<{ ok: true } | { ok: false; refused: ClickResult }> {
    const { proposal } = record;
    let verdict: ApproverCheck;
    try {
      verdict = await deps.runAs.checkApprover({ cluster: proposal.cluster, action: proposal.action, slackUser: click.user });
    } catch (err) {
      deps.log.warn({ proposalId: proposal.id, err: err instanceof Error ? err.message : String(err) }, 'access review failed');
      return { ok: false, refused: refuse('access_check_failed', 'Could not ask the cluster whether you may run this; your approval is not counted. Try again in a moment.') };
    }
    if (verdict.ok) return { ok: true };
    const reason: RefusalReason = verdict.reason === 'unmapped' ? 'unmapped_identity' : 'cluster_refused';
    await decisionAudit('refusal', record, click, `approve by ${click.user} refused: ${reason}: ${verdict.message}`);
    return { ok: false, refused: refuse(reason, verdict.message) };
  }

  return {
    async approve(click: Click): Promise<ClickResult> {
      const gated = await gate('approve', click);
      if ('refused' in gated) return gated.refused;
      const { record } = gated;
      const { proposal } = record;
      let current;
      try {
        current = await (await deps.connections.get(proposal.cluster)).snapshot(proposal.action);
      } catch (err) {
        deps.log.warn({ proposalId: proposal.id, err: err instanceof Error ? err.message : String(err) }, 'target snapshot failed');
        return refuse('target_unreadable', 'Could not read the target from the cluster to check it is unchanged; nothing changed. Try again in a moment.');
      }
      const staleness = checkStaleness(proposal.target, current);
      if (staleness.stale) {
        if (await deps.store.refuse(proposal.id, 'stale')) {
          await showDecision(record, { kind: 'refused', at: iso(), explanation: `the target changed. ${staleness.explanation}`, offerReanalysis: true });
          await refusalAudit(record, click, 'approve', 'stale');
        }
        return refuse('stale', `Refused: ${staleness.explanation} Use "Fresh analysis" for an up-to-date proposal.`);
      }
      // runAs approver: the click counts only if the cluster would let this person run it.
      const access = await checkApprover(record, click);
      if (!access.ok) return access.refused;
      const outcome = await deps.store.approve(proposal.id, click.user);
      switch (outcome.outcome) {
        case 'approved':
          // The run first, then its audit and message edit as a job from the stored state: a
          // slow Slack delays neither, and a process dying here leaves the proposal in the
          // store's active set, where the resume sweep finds it.
          await deps.enqueueExecution(proposal.id);
          await deps.enqueueDecision(proposal.id);
          return { ok: true };
        case 'recorded':
          await decisionAudit('approval', record, click, `first of two approvals for high-risk ${proposal.action.type} by ${click.user}`);
          await deps.messenger.post({
            channel: proposal.channel,
            ...(proposal.threadTs ? { threadTs: proposal.threadTs } : {}),
            message: simple(`:ballot_box_with_check: <@${click.user}> approved (${outcome.approvals} of 2). High risk: a second, different approver is needed.`),
            idempotencyKey: `approval-${proposal.id}-${click.user}`,
          });
          return { ok: true, notice: 'Your approval is recorded. High risk needs a second, different approver.' };
        case 'duplicate':
          return refuse('already_approved_by_you', 'You already approved this; a second, different approver is needed.');
        case 'expired':
          await showDecision(record, { kind: 'expired', at: iso(), why: 'ttl' });
          return refuse('expired', 'This proposal has expired; ask for a fresh analysis.');
        case 'paused':
          return refuse('paused', 'Deckhand is paused: nothing runs until someone uses /k8s resume.');
        case 'forbidden':
          return refuse('forbidden', 'This action is forbidden by policy and can never be approved.');
        case 'not_pending':
        case 'missing':
          return refuse('already_decided', 'This proposal was already decided; nothing changed.');
      }
    },

    async reject(click: Click): Promise<ClickResult> {
      const gated = await gate('reject', click);
      if ('refused' in gated) return gated.refused;
      const { record } = gated;
      if (!(await deps.store.reject(record.proposal.id, click.user))) {
        return refuse('already_decided', 'This proposal was already decided; nothing changed.');
      }
      await deps.enqueueDecision(record.proposal.id);
      return { ok: true };
    },

    /** Undo: proposes the inverse, which then goes through the channel's usual rules. */
    async undo(click: Click): Promise<ClickResult> {
      const gated = await gate('undo', click);
      if ('refused' in gated) return gated.refused;
      const { proposal } = gated.record;
      const outcome = await proposeInverse(deps, gated.record, { kind: 'undo', rationale: `Undo of ${proposal.action.type}, asked by <@${click.user}>.`, allowAuto: true });
      if (outcome === 'no_inverse') return refuse('no_inverse', 'This action has no automatic inverse (a deleted pod cannot come back).');
      if (outcome === 'duplicate') return refuse('already_decided', 'An undo of this action was already proposed.');
      return { ok: true, notice: outcome === 'auto_run' ? 'Undo is running under the yolo policy.' : 'Undo proposed in the thread.' };
    },

    /** "Fresh analysis": any approver may ask for one. */
    async reanalyze(click: Click): Promise<ClickResult> {
      const record = await deps.store.get(click.proposalId);
      if (!record) return refuse('unknown_proposal', 'This proposal is unknown or too old.');
      const isApprover = await deps.approvers.isApprover(deps.channelConfig(record.proposal.channel), click.user);
      if (!isApprover) return refuse('not_approver', "Only this channel's approvers may ask for a fresh analysis.");
      await deps.enqueueAnalysis({ incidentId: record.proposal.incidentId, reason: `reanalyze-${record.proposal.id}` });
      return { ok: true, notice: 'A fresh analysis is on its way to the thread.' };
    },

    /** The incident resolved: its undecided proposals expire and their buttons go. */
    async expireForIncident(incidentId: string): Promise<number> {
      const expired = await deps.store.expireForIncident(incidentId);
      for (const record of expired) {
        await showDecision(record, { kind: 'expired', at: iso(), why: 'incident_resolved' });
        await deps.audit.append({ type: 'expiry', incidentId, proposalId: record.proposal.id, summary: 'expired: incident resolved' });
      }
      return expired.length;
    },

    /** Proposals past their TTL: expire them and remove their buttons. Run periodically. */
    async sweepExpired(): Promise<number> {
      const expired = await deps.store.sweepExpired();
      for (const record of expired) {
        await showDecision(record, { kind: 'expired', at: iso(), why: 'ttl' });
        await deps.audit.append({ type: 'expiry', incidentId: record.proposal.incidentId, proposalId: record.proposal.id, summary: 'expired without a decision' });
      }
      return expired.length;
    },
  };
}

export type ClickHandlers = ReturnType<typeof createClickHandlers>;
