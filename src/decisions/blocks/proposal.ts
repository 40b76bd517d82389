import type { Action } from '../actions/catalog.js';
import type { Proposal } from '../actions/proposal.js';
import type { ChannelMode } from '../../core/config/file.js';
import { actionIds } from '../action-ids.js';
import type { KnownBlock, SlackMessage } from '../../slack/messenger.js';
import { truncate } from '../../slack/blocks/text.js';
import { codeBlock, contextBlock, md, message, safe, section, slackDate, type Mrkdwn } from '../../slack/blocks/mrkdwn.js';

export const riskTags: Record<Proposal['risk'], string> = {
  low: ':large_green_circle: low risk',
  medium: ':large_yellow_circle: medium risk',
  high: ':red_circle: high risk',
  forbidden: ':no_entry: forbidden',
};

/** One line saying what the action does, in words. */
export function describeAction(action: Action): string {
  switch (action.type) {
    case 'restart_pod':
      return `Restart pod ${action.pod} in ${action.namespace}`;
    case 'rollout_restart':
      return `Rolling restart of ${action.kind.toLowerCase()}/${action.name} in ${action.namespace}`;
    case 'scale':
      return `Scale ${action.kind.toLowerCase()}/${action.name} in ${action.namespace} to ${action.replicas} replicas`;
    case 'rollout_undo':
      return `Roll back deployment/${action.name} in ${action.namespace}${action.toRevision === undefined ? ' to the previous revision' : ` to revision ${action.toRevision}`}`;
    case 'set_resources': {
      const parts = [
        ...Object.entries(action.limits ?? {}).map(([k, v]) => `${k} limit ${String(v)}`),
        ...Object.entries(action.requests ?? {}).map(([k, v]) => `${k} request ${String(v)}`),
      ];
      return `Set ${parts.join(', ')} on container ${action.container} of ${action.kind.toLowerCase()}/${action.name} in ${action.namespace}`;
    }
    case 'cordon_node':
      return `Cordon node ${action.node}`;
    case 'uncordon_node':
      return `Uncordon node ${action.node}`;
  }
}

export interface ProposalView {
  mode: ChannelMode;
  /** renderKubectl(proposal.action, { context }). */
  kubectl: string;
}

/**
 * A live proposal (contract: "Slack behaviour"): action, exact kubectl command, risk tag,
 * confidence, rationale, and Approve / Reject carrying the proposal id — no buttons for a
 * forbidden action or in plan mode, with the reason said instead.
 */
export function buildProposalBlocks(proposal: Proposal, view: ProposalView): KnownBlock[] {
  const reasons = proposal.riskReasons.length > 0 ? md` — ${safe(proposal.riskReasons.join('; '))}` : md``;
  const source = safe(proposal.origin === 'claude' ? 'proposed by Claude' : `from the ${proposal.origin.replace(/^analyzer:/, '')} analyzer`);
  const confidence = Math.round(proposal.confidence * 100);
  const blocks: KnownBlock[] = [
    section(md`:wrench: *Proposed action:* ${safe(describeAction(proposal.action))}`),
    section(codeBlock(view.kubectl)),
    contextBlock(md`*${safe(riskTags[proposal.risk])}*${reasons} · confidence *${confidence}%* · ${source} · cluster ${safe(proposal.cluster)}`),
    // The rationale is model text: masked and escaped like any other outside text.
    section(md`*Why:* ${safe(proposal.rationale || 'no rationale given')}`),
  ];
  const blockedBecause = whyNoButtons(proposal, view.mode);
  if (blockedBecause) {
    blocks.push(contextBlock(blockedBecause));
  } else {
    blocks.push({
      type: 'actions',
      block_id: truncate(`proposal:${proposal.id}`, 255),
      elements: [
        { type: 'button', action_id: actionIds.approve, text: { type: 'plain_text', text: 'Approve' }, style: 'primary', value: proposal.id },
        { type: 'button', action_id: actionIds.reject, text: { type: 'plain_text', text: 'Reject' }, style: 'danger', value: proposal.id },
      ],
    });
    blocks.push(contextBlock(md`Expires ${slackDate(proposal.expiresAt)} if nobody decides.`));
  }
  return blocks;
}

function whyNoButtons(proposal: Proposal, mode: ChannelMode): Mrkdwn | undefined {
  if (proposal.risk === 'forbidden') return md`:no_entry: This action is forbidden here and can never run from this channel; it is shown for information only.`;
  if (mode === 'plan') return md`:memo: This channel is in plan mode: Deckhand only proposes. Run the command yourself if you agree.`;
  return undefined;
}

export function buildProposalMessage(proposal: Proposal, view: ProposalView): SlackMessage {
  return message(md`Proposed: ${safe(view.kubectl)} (${safe(proposal.risk)} risk, ${Math.round(proposal.confidence * 100)}% confidence)`, buildProposalBlocks(proposal, view));
}
