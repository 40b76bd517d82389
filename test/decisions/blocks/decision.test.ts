import { describe, expect, it } from 'vitest';
import { buildDecidedProposalBlocks, buildDecidedProposalMessage, describeDecision } from '../../../src/decisions/blocks/decision.js';
import { actionIds } from '../../../src/decisions/action-ids.js';
import { makeProposal } from '../fixtures.js';
import { slackDate } from '../../../src/slack/blocks/mrkdwn.js';

const at = '2026-11-21T12:05:00.000Z';

describe('decided proposal blocks', () => {
  const proposal = makeProposal();

  it('keep the proposal (kubectl command, risk, confidence, rationale) and drop Approve / Reject', () => {
    const blocks = buildDecidedProposalBlocks(proposal, { kind: 'approved', approvers: [{ user: 'UALICE', at }], auto: false, next: 'a dry run.' });
    const json = JSON.stringify(blocks);
    expect(json).toContain('kubectl scale deployment/web --replicas=4 -n shop');
    expect(json).toMatch(/medium/i);
    expect(json).toContain('confidence *85%*');
    expect(json).toContain(proposal.rationale);
    expect(json).not.toContain(actionIds.approve);
    expect(json).not.toContain(actionIds.reject);
    expect(blocks.some((b) => b.type === 'actions')).toBe(false);
  });

  it('say who decided, when and what happens next', () => {
    expect(describeDecision({ kind: 'approved', approvers: [{ user: 'UALICE', at }, { user: 'UBOB', at }], auto: false, next: 'a dry run.' })).toBe(
      `:white_check_mark: Approved by <@UALICE> ${slackDate(at)} and <@UBOB> ${slackDate(at)}. Next: a dry run.`,
    );
    expect(describeDecision({ kind: 'rejected', by: 'UBOB', at })).toContain('Rejected by <@UBOB>');
    expect(describeDecision({ kind: 'expired', at, why: 'incident_resolved' })).toContain('incident resolved');
    // One time format everywhere, reading as a phrase: "today at 5:23 AM", never "at today 5:23 AM".
    expect(slackDate(at)).toBe(`<!date^${Date.parse(at) / 1000}^{date_short_pretty} at {time}|${at}>`);
    for (const decision of [
      describeDecision({ kind: 'approved', approvers: [{ user: 'UALICE', at }], auto: false, next: 'x' }),
      describeDecision({ kind: 'rejected', by: 'UBOB', at }),
      describeDecision({ kind: 'expired', at, why: 'ttl' }),
      describeDecision({ kind: 'refused', at, explanation: 'stale', offerReanalysis: false }),
    ]) {
      expect(decision).not.toMatch(/\bat <!date/);
    }
  });

  it('offer a fresh analysis for a stale proposal', () => {
    const blocks = buildDecidedProposalBlocks(proposal, { kind: 'refused', at, explanation: 'the target changed.', offerReanalysis: true });
    const actions = blocks.filter((b) => b.type === 'actions');
    expect(JSON.stringify(actions)).toContain(actionIds.reanalyze);
    expect(JSON.stringify(actions)).toContain(proposal.id);
  });

  it('carry fallback text for notifications', () => {
    expect(buildDecidedProposalMessage(proposal, { kind: 'rejected', by: 'UBOB', at }).text).toContain('kubectl scale');
  });
});
