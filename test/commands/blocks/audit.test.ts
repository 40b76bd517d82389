import { describe, expect, it } from 'vitest';
import { buildAuditMessage } from '../../../src/commands/blocks/audit.js';

describe('buildAuditMessage', () => {
  it('lists entries with actor, type and incident', () => {
    const msg = buildAuditMessage({ limit: 10, entries: [{ at: '2026-01-01T10:00:00.000Z', actor: 'UALICE', type: 'mode.changed', detail: 'plan → yolo', incidentId: 'inc-1' }] });
    const all = JSON.stringify(msg.blocks);
    expect(all).toContain('<@UALICE> *mode changed* `inc-1` — plan → yolo');
    expect(all).toContain('<!date^1767261600^{date_short_pretty} at {time}|2026-01-01T10:00:00.000Z>');
  });

  it('says refusals and lifecycle steps in words, with people as mentions, not raw ids and codes', () => {
    const msg = buildAuditMessage({
      limit: 10,
      entries: [
        { at: '2026-01-01T10:00:00.000Z', actor: 'UALICE', type: 'refusal', detail: 'approve by UALICE refused: already_approved_by_you' },
        { at: '2026-01-01T10:01:00.000Z', actor: 'deckhand:yolo', type: 'approval', detail: 'auto-approved scale under the yolo policy' },
        { at: '2026-01-01T10:02:00.000Z', actor: 'deckhand', type: 'incident_status', detail: 'incident mitigated (was triggered): fix verified' },
      ],
    });
    const all = JSON.stringify(msg.blocks);
    expect(all).toContain('approve by <@UALICE> refused: they had already approved it');
    expect(all).not.toContain('already_approved_by_you');
    expect(all).not.toMatch(/[^@]UALICE/);
    expect(all).toContain('Deckhand (yolo policy) *approved*');
    expect(all).toContain('Deckhand *incident status* — incident mitigated (was triggered)');
    expect(all).not.toContain('incident_status');
  });
  it('says there is nothing rather than posting an empty list', () => {
    expect(buildAuditMessage({ limit: 5, incidentId: 'inc-9', entries: [] }).text).toBe('No audit entries for incident `inc-9`.');
  });
  it('spreads many entries over several sections within Slack limits', () => {
    const entries = Array.from({ length: 50 }, (_, i) => ({ at: '2026-01-01T10:00:00.000Z', actor: 'deckhand', type: 'action.executed', detail: `${i} ${'d'.repeat(250)}` }));
    const msg = buildAuditMessage({ limit: 50, entries });
    expect(msg.blocks!.length).toBeGreaterThan(1);
    for (const b of msg.blocks!) expect(JSON.stringify(b).length).toBeLessThan(3200);
  });
});
