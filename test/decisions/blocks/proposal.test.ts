import { describe, expect, it } from 'vitest';
import type { Proposal } from '../../../src/decisions/actions/proposal.js';
import { renderKubectl } from '../../../src/decisions/actions/kubectl.js';
import { actionIds } from '../../../src/decisions/action-ids.js';
import { buildProposalBlocks, buildProposalMessage } from '../../../src/decisions/blocks/proposal.js';

const proposal: Proposal = {
  id: 'p-123',
  incidentId: 'inc-1',
  channel: 'C1',
  cluster: 'prod',
  action: { type: 'rollout_undo', namespace: 'shop', name: 'checkout', toRevision: 1 },
  risk: 'high',
  riskReasons: ['rolls the whole workload back to an older revision'],
  confidence: 0.85,
  rationale: 'Crashes began with revision 2 <!channel> see <http://evil.example|here> & more',
  origin: 'analyzer:crash-loop',
  createdAt: '2026-11-21T12:00:00.000Z',
  expiresAt: '2026-11-21T12:30:00.000Z',
};
const kubectl = renderKubectl(proposal.action);

function allText(blocks: unknown): string {
  return JSON.stringify(blocks);
}

describe('buildProposalBlocks', () => {
  it('shows action, exact kubectl command, risk, confidence and rationale with Approve/Reject carrying the id', () => {
    const blocks = buildProposalBlocks(proposal, { mode: 'approval', kubectl });
    const text = allText(blocks);
    expect(text).toContain('Roll back deployment/checkout in shop to revision 1');
    expect(text).toContain('```kubectl rollout undo deployment/checkout --to-revision=1 -n shop```');
    expect(text).toContain(':red_circle: high risk');
    expect(text).toContain('85%');
    const actions = blocks.find((b) => b.type === 'actions');
    expect(actions).toMatchObject({
      elements: [
        { action_id: actionIds.approve, value: 'p-123' },
        { action_id: actionIds.reject, value: 'p-123' },
      ],
    });
  });

  it('escapes model text so it cannot ping or link', () => {
    const text = allText(buildProposalBlocks(proposal, { mode: 'approval', kubectl }));
    expect(text).not.toContain('<!channel>');
    expect(text).not.toContain('<http://evil');
    expect(text).toContain('&lt;!channel&gt;');
    expect(text).toContain('&amp; more');
  });

  it('has no buttons for a forbidden action and says why', () => {
    const blocks = buildProposalBlocks({ ...proposal, risk: 'forbidden', riskReasons: ['namespace prod is not allowed for this channel'] }, { mode: 'approval', kubectl });
    expect(blocks.some((b) => b.type === 'actions')).toBe(false);
    expect(allText(blocks)).toContain('forbidden here and can never run');
  });

  it('has no buttons in plan mode and says why', () => {
    const blocks = buildProposalBlocks(proposal, { mode: 'plan', kubectl });
    expect(blocks.some((b) => b.type === 'actions')).toBe(false);
    expect(allText(blocks)).toContain('plan mode');
  });

  it('keeps every text within Slack limits for a huge rationale', () => {
    const blocks = buildProposalBlocks({ ...proposal, rationale: 'x'.repeat(10_000) }, { mode: 'yolo', kubectl });
    const sections = blocks.flatMap((b) => (b.type === 'section' ? [b.text!.text.length] : []));
    // The rationale is there, cut to fit (not dropped), and no section passes Slack's limit.
    expect(Math.max(...sections)).toBeGreaterThan(2000);
    expect(sections.filter((n) => n > 3000)).toEqual([]);
    expect(blocks.length).toBeLessThanOrEqual(50);
    expect(buildProposalMessage(proposal, { mode: 'approval', kubectl }).text).toContain('kubectl rollout undo');
  });
});
