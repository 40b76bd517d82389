import type { Proposal } from '../actions/proposal.js';
import { renderKubectl } from '../actions/kubectl.js';
import { actionIds } from '../action-ids.js';
import { buildProposalBlocks } from './proposal.js';
import type { KnownBlock, SlackMessage } from '../../slack/messenger.js';
import { joinMd, md, mention, message, safe, section, slackDate, type Mrkdwn } from '../../slack/blocks/mrkdwn.js';

/** What was decided about a proposal, as shown in place of its buttons. */
export type Decision =
  | { kind: 'approved'; approvers: { user: string; at: string }[]; auto: boolean; next: string }
  | { kind: 'rejected'; by: string; at: string }
  | { kind: 'expired'; at: string; why: 'ttl' | 'incident_resolved' }
  | { kind: 'refused'; at: string; explanation: string; offerReanalysis: boolean };


/**
 * The head of a proposal message: D's buildProposalBlocks (action, kubectl command, risk,
 * confidence, rationale) without its Approve / Reject buttons and their expiry line.
 */
export function buildProposalSummaryBlocks(proposal: Proposal): KnownBlock[] {
  const blocks = buildProposalBlocks(proposal, { mode: 'approval', kubectl: renderKubectl(proposal.action) });
  return blocks.filter((b) => b.type !== 'actions' && !(b.type === 'context' && JSON.stringify(b.elements).includes('if nobody decides')));
}

/** The decision line(s) that replace the buttons. */
export function describeDecision(decision: Decision): Mrkdwn {
  switch (decision.kind) {
    case 'approved': {
      const who = decision.auto
        ? md`Ran by itself (yolo policy)`
        : md`Approved by ${joinMd(decision.approvers.map((a) => md`${mention(a.user)} ${slackDate(a.at)}`), ' and ')}`;
      return md`:white_check_mark: ${who}. Next: ${safe(decision.next)}`;
    }
    case 'rejected':
      return md`:x: Rejected by ${mention(decision.by)} ${slackDate(decision.at)}. Nothing will run.`;
    case 'expired':
      return decision.why === 'incident_resolved'
        ? md`:hourglass: Expired ${slackDate(decision.at)}: the incident resolved. Nothing will run.`
        : md`:hourglass: Expired ${slackDate(decision.at)} without a decision. Nothing will run.`;
    case 'refused':
      return md`:no_entry_sign: Refused ${slackDate(decision.at)}: ${safe(decision.explanation)}`;
  }
}

/**
 * The proposal message after a decision (chat.update): the proposal's summary, then who
 * decided, when, and what happens next, with no Approve / Reject buttons. A stale proposal
 * gets a "Fresh analysis" button instead. Pure.
 */
export function buildDecidedProposalBlocks(proposal: Proposal, decision: Decision): KnownBlock[] {
  const blocks: KnownBlock[] = [...buildProposalSummaryBlocks(proposal), section(describeDecision(decision))];
  if (decision.kind === 'refused' && decision.offerReanalysis) {
    blocks.push({
      type: 'actions',
      block_id: `decided-${proposal.id}`.slice(0, 255),
      elements: [{ type: 'button', action_id: actionIds.reanalyze, text: { type: 'plain_text', text: 'Fresh analysis' }, value: proposal.id }],
    });
  }
  return blocks;
}

export function buildDecidedProposalMessage(proposal: Proposal, decision: Decision): SlackMessage {
  return message(md`${safe(renderKubectl(proposal.action))}: ${describeDecision(decision)}`, buildDecidedProposalBlocks(proposal, decision));
}
