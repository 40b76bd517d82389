import type { KnownBlock, SlackMessage } from '../../slack/messenger.js';
import { truncate } from '../../slack/blocks/text.js';
import { contextBlock, md, message, section } from '../../slack/blocks/mrkdwn.js';
import { actionIds } from '../action-ids.js';

/**
 * "Approve all" under an incident's proposals: one click stands for clicking Approve on each
 * of them, one by one, through the same decision path — each is risk-checked again, a
 * high-risk one still needs a second, different approver, a forbidden one never runs. Pure.
 */
export function buildApproveAllMessage(input: { incidentId: string; count: number; high: number }): SlackMessage {
  // The button carries the incident id; anything but an id of ours gets no button.
  const incidentId = /^[\w.:-]{1,100}$/.test(input.incidentId) ? input.incidentId : undefined;
  const text = md`:ballot_box_with_check: ${input.count} proposals wait for approval.`;
  const high = input.high > 0 ? md` ${input.high} of them are high risk: your click counts as the first of two approvals there.` : md``;
  const blocks: KnownBlock[] = [
    section(md`${text} *Approve all* approves each one as if you clicked its Approve: each is checked again, nothing forbidden ever runs.${high}`),
  ];
  if (incidentId) {
    blocks.push({
      type: 'actions',
      block_id: truncate(`approve-all:${incidentId}`, 255),
      elements: [
        {
          type: 'button',
          action_id: actionIds.approveAll,
          text: { type: 'plain_text', text: `Approve all (${input.count})` },
          style: 'primary',
          value: incidentId,
          confirm: {
            title: { type: 'plain_text', text: 'Approve all?' },
            text: { type: 'plain_text', text: `Approve each of the ${input.count} pending proposals of this incident.` },
            confirm: { type: 'plain_text', text: 'Approve all' },
            deny: { type: 'plain_text', text: 'Cancel' },
          },
        },
      ],
    });
  }
  blocks.push(contextBlock(md`Or decide each proposal on its own above.`));
  return message(text, blocks);
}
