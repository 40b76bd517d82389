import type { Proposal } from '../../actions/proposal.js';
import { renderKubectl } from '../../actions/kubectl.js';
import { actionIds } from '../action-ids.js';
import { buildProposalBlocks } from './proposal.js';
import type { KnownBlock, SlackMessage } from '../../slack/messenger.js';

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

/** A Slack date token: shown in the reader's time zone, falls back to the ISO time. */
export function slackDate(iso: string): string {
  const seconds = Math.floor(Date.parse(iso) / 1000);
  return Number.isFinite(seconds) ? `<!date^${seconds}^{date_short_pretty} {time}|${iso}>` : iso;
}

/** The decision line(s) that replace the buttons. */
export function describeDecision(decision: Decision): string {
  switch (decision.kind) {
    case 'approved': {
      const who = decision.auto
        ? 'Ran by itself (yolo policy)'
        : `Approved by ${decision.approvers.map((a) => `<@${a.user}> at ${slackDate(a.at)}`).join(' and ')}`;
      return `:white_check_mark: ${who}. Next: ${decision.next}`;
    }
    case 'rejected':
      return `:x: Rejected by <@${decision.by}> at ${slackDate(decision.at)}. Nothing will run.`;
    case 'expired':
      return decision.why === 'incident_resolved'
        ? `:hourglass: Expired at ${slackDate(decision.at)}: the incident resolved. Nothing will run.`
        : `:hourglass: Expired at ${slackDate(decision.at)} without a decision. Nothing will run.`;
    case 'refused':
      return `:no_entry_sign: Refused at ${slackDate(decision.at)}: ${decision.explanation}`;
  }
}

/**
 * The proposal message after a decision (chat.update): the proposal's summary, then who
 * decided, when, and what happens next, with no Approve / Reject buttons. A stale proposal
 * gets a "Fresh analysis" button instead. Pure.
 */
export function buildDecidedProposalBlocks(proposal: Proposal, decision: Decision): KnownBlock[] {
  const blocks: KnownBlock[] = [
    ...buildProposalSummaryBlocks(proposal),
    { type: 'section', text: { type: 'mrkdwn', text: clip(describeDecision(decision), 3000) } },
  ];
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
  return { text: clip(`${renderKubectl(proposal.action)}: ${describeDecision(decision)}`, 3000), blocks: buildDecidedProposalBlocks(proposal, decision) };
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
