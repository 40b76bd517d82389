import { describe, expect, it } from 'vitest';
import { buildDryRunMessage, buildExecutionMessage, buildVerdictMessage } from '../../src/decisions/messages.js';
import type { Proposal } from '../../src/decisions/actions/proposal.js';

const proposal: Proposal = {
  id: 'p-1',
  incidentId: 'inc-1',
  channel: 'C1',
  cluster: 'prod',
  action: { type: 'rollout_restart', namespace: 'shop', kind: 'Deployment', name: 'checkout' },
  risk: 'medium',
  riskReasons: [],
  confidence: 0.9,
  rationale: 'r',
  origin: 'analyzer:test',
  createdAt: '2026-11-21T00:00:00Z',
  expiresAt: '2026-11-21T00:30:00Z',
};

const hostile = 'connect postgres://app:hunter2pass@db:5432/shop failed <!channel> <https://evil.example|click>';

describe('decision messages', () => {
  it('mask credentials and escape mrkdwn in verification evidence read from the cluster', () => {
    const message = buildVerdictMessage(proposal, { ok: false, summary: hostile, evidence: [`log: ${hostile}`] });
    const wire = JSON.stringify(message);
    expect(wire).not.toContain('hunter2pass');
    expect(wire).not.toContain('<!channel>');
    expect(wire).not.toContain('<https://evil.example');
    expect(wire).toContain('&lt;!channel&gt;');
  });

  it('mask and escape API messages in dry-run and execution results', () => {
    for (const message of [
      buildDryRunMessage(proposal, { ok: false, code: 'invalid', message: hostile, retryable: false }),
      buildExecutionMessage(proposal, { ok: true, summary: hostile }, { auto: false, undo: false }),
    ]) {
      const wire = JSON.stringify(message);
      expect(wire).not.toContain('hunter2pass');
      expect(wire).not.toContain('<!channel>');
    }
  });
});
