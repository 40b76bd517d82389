import { decideAutoRun } from '../actions/policy.js';
import type { Proposal } from '../actions/proposal.js';
import { buildDecidedProposalMessage } from '../slack/blocks/decision.js';
import { simple } from './messages.js';
import { type SubmitDeps, yoloActor } from './submit.js';

export type PostedOutcome = 'auto_run' | 'awaiting_approval' | 'not_yolo' | 'already_decided';

/**
 * The port the analysis worker saves its proposals through (`proposals.save`): it saves each
 * proposal before posting it and again with `messageTs` after. The first save stores it
 * (pending) and audits it; the second records the message and, in yolo mode, applies the
 * auto-run policy to the posted message: run it (buttons replaced by "ran by itself") or say
 * in the thread why a human must decide (breaker open, paused, thresholds). Idempotent.
 */
export function createProposalSink(deps: SubmitDeps) {
  return {
    async save(proposal: Proposal): Promise<void> {
      const created = await deps.store.save(proposal);
      if (created) {
        await deps.audit.append({
          type: 'proposal',
          actor: proposal.requestedBy ?? 'deckhand',
          channel: proposal.channel,
          incidentId: proposal.incidentId,
          proposalId: proposal.id,
          cluster: proposal.cluster,
          summary: `proposed ${proposal.action.type} (${proposal.risk} risk, confidence ${proposal.confidence.toFixed(2)}) from ${proposal.origin}`,
          details: { action: JSON.stringify(proposal.action) },
        });
      }
      if (proposal.messageTs !== undefined) {
        await deps.store.setMessageTs(proposal.id, proposal.messageTs);
        await applyAutoRunToPosted(deps, proposal);
      }
    },
  };
}

/** Yolo for a proposal whose message (with buttons) is already in the thread. */
export async function applyAutoRunToPosted(deps: SubmitDeps, proposal: Proposal): Promise<PostedOutcome> {
  const mode = await deps.modes.effectiveMode(proposal.channel);
  if (mode !== 'yolo') return 'not_yolo';
  const record = await deps.store.get(proposal.id);
  if (!record || record.status !== 'pending' || record.approvals.length > 0) return 'already_decided';
  const [paused, breaker] = await Promise.all([deps.pause.isPaused(), deps.breaker.state(proposal.cluster)]);
  const config = deps.channelConfig(proposal.channel);
  const auto = decideAutoRun({ mode, risk: proposal.risk, confidence: proposal.confidence, yolo: config.yolo, breakerOpen: breaker.open, paused });
  const thread = { channel: proposal.channel, ...(proposal.threadTs ? { threadTs: proposal.threadTs } : {}) };
  if (!auto.run) {
    if (auto.fallback === 'approval') {
      await deps.messenger.post({ ...thread, message: simple(`:raised_hand: Not running by itself: ${auto.explanation}. A human decides.`), idempotencyKey: `yolo-skip-${proposal.id}` });
    }
    return 'awaiting_approval';
  }
  const approved = await deps.store.approve(proposal.id, yoloActor, { auto: true });
  if (approved.outcome !== 'approved') return 'already_decided';
  const fresh = (await deps.store.get(proposal.id)) ?? record;
  if (proposal.messageTs) {
    await deps.messenger
      .update({
        channel: proposal.channel,
        ts: proposal.messageTs,
        message: buildDecidedProposalMessage(fresh.proposal, { kind: 'approved', approvers: fresh.approvals, auto: true, next: 'a dry run, then the real run, then verification, posted in this thread.' }),
      })
      .catch((err: unknown) => deps.log.warn({ proposalId: proposal.id, err: String(err) }, 'proposal message update failed'));
  }
  await deps.audit.append({
    type: 'approval',
    actor: yoloActor,
    channel: proposal.channel,
    incidentId: proposal.incidentId,
    proposalId: proposal.id,
    cluster: proposal.cluster,
    summary: `auto-approved ${proposal.action.type} under the yolo policy`,
  });
  await deps.enqueueExecution(proposal.id);
  return 'auto_run';
}
