import { describe, expect, it } from 'vitest';
import { actionIds } from '../../src/decisions/action-ids.js';
import { approveAll, offerApproveAll } from '../../src/decisions/approve-all.js';
import { submitProposal } from '../../src/decisions/submit.js';
import { buttonsOf, type Harness, useHarness } from './harness.js';

describe('Approve all', () => {
  let h: Harness;
  const deps = () => ({ store: h.store, messenger: h.slack.messenger, clock: h.clock.now, approve: (c: Parameters<typeof h.clicks.approve>[0]) => h.clicks.approve(c) });

  useHarness((_redis, created) => {
    h = created;
  }, { channel: { mode: 'approval' } });

  it('approves each waiting proposal through the one Approve path: medium runs, high needs a second approver, forbidden never', async () => {
    const medium = h.proposal({ risk: 'medium' });
    const other = h.proposal({ risk: 'medium', action: { type: 'rollout_restart', namespace: 'shop', kind: 'Deployment', name: 'web' } });
    const high = h.proposal({ risk: 'high', action: { type: 'scale', namespace: 'shop', kind: 'Deployment', name: 'web', replicas: 9 } });
    const forbidden = h.proposal({ risk: 'forbidden', action: { type: 'cordon_node', node: 'node-1' } });
    for (const p of [medium, other, high, forbidden]) await submitProposal(h.deps, p, { allowAuto: true });

    expect(await offerApproveAll(deps(), 'inc-1')).toBe(3);
    const offer = h.slack.posts.at(-1);
    expect(buttonsOf(offer?.message)).toEqual([actionIds.approveAll]);
    expect(JSON.stringify(offer?.message.blocks)).toContain('Approve all (3)');

    // bob is an approver; the same rules as one click each.
    const bob = await approveAll(deps(), { incidentId: 'inc-1', user: 'UBOB', channel: 'C0OPS' });
    expect(bob).toMatchObject({ ok: true, notice: expect.stringContaining('Approved 2') });
    expect(bob).toMatchObject({ notice: expect.stringContaining('recorded on 1 high-risk') });
    expect([...h.executions].sort()).toEqual([medium.id, other.id].sort());
    expect((await h.store.get(high.id))?.status).toBe('pending');
    expect((await h.store.get(forbidden.id))?.status).toBe('pending');

    // A second Approve all by bob changes nothing; alice's completes the high-risk one.
    expect(await approveAll(deps(), { incidentId: 'inc-1', user: 'UBOB', channel: 'C0OPS' })).toMatchObject({ ok: false, message: expect.stringContaining('already approved') });
    expect(await approveAll(deps(), { incidentId: 'inc-1', user: 'UALICE', channel: 'C0OPS' })).toMatchObject({ ok: true, notice: expect.stringContaining('Approved 1') });
    expect(h.executions).toContain(high.id);
    expect(h.executions).not.toContain(forbidden.id);
  });

  it('refuses a non-approver, changing nothing', async () => {
    for (const replicas of [3, 5]) await submitProposal(h.deps, h.proposal({ action: { type: 'scale', namespace: 'shop', kind: 'Deployment', name: 'web', replicas } }), { allowAuto: true });
    expect(await approveAll(deps(), { incidentId: 'inc-1', user: 'UMALLORY', channel: 'C0OPS' })).toMatchObject({ ok: false, reason: 'not_approver' });
    expect(h.executions).toEqual([]);
  });

  it('offers nothing for a single proposal', async () => {
    await submitProposal(h.deps, h.proposal(), { allowAuto: true });
    expect(await offerApproveAll(deps(), 'inc-1')).toBe(0);
  });
});
