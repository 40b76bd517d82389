import type { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { actionIds } from '../../src/decisions/action-ids.js';
import { buttonsOf, createHarness, type Harness, useHarness } from './harness.js';

describe('click handling', () => {
  let redis: Redis;
  let h: Harness;

  useHarness((r, created) => {
    redis = r;
    h = created;
  });

  async function posted(overrides: Parameters<typeof h.proposal>[0] = {}) {
    const p = h.proposal(overrides);
    await h.deps.store.save(p);
    await h.deps.store.setMessageTs(p.id, '1700000000.000200');
    return p;
  }
  const click = (proposalId: string, user = 'UALICE', channel = 'C0OPS') => ({ proposalId, user, channel });

  it('an approver approves: buttons replaced by who and when, execution queued, audited', async () => {
    const p = await posted();
    expect(await h.clicks.approve(click(p.id))).toEqual({ ok: true });
    expect((await h.store.get(p.id))?.status).toBe('approved');
    expect(h.executions).toEqual([p.id]);
    const update = h.slack.updates.at(-1);
    expect(update?.ts).toBe('1700000000.000200');
    expect(buttonsOf(update?.message)).toEqual([]);
    expect(update?.message.text).toContain('Approved by <@UALICE>');
    expect(JSON.stringify(update?.message.blocks)).toContain('Next: a dry run');
    const [entry] = await h.audit.recent({ limit: 1 });
    expect(entry).toMatchObject({ type: 'approval', actor: 'UALICE', channel: 'C0OPS', proposalId: p.id });
  });

  it('a member of an approver user group may approve', async () => {
    h = createHarness(redis, { channel: { approvers: { users: [], groups: ['SONCALL'] } } });
    const p = await posted();
    expect(await h.clicks.approve(click(p.id, 'UGROUPIE'))).toEqual({ ok: true });
  });

  it('refuses a non-approver and changes nothing; the refusal is audited', async () => {
    const p = await posted();
    expect(await h.clicks.approve(click(p.id, 'UMALLORY'))).toMatchObject({ ok: false, reason: 'not_approver' });
    expect(await h.clicks.reject(click(p.id, 'UMALLORY'))).toMatchObject({ ok: false, reason: 'not_approver' });
    expect((await h.store.get(p.id))?.status).toBe('pending');
    expect(h.executions).toEqual([]);
    expect(h.slack.updates).toEqual([]);
    expect((await h.audit.recent({ limit: 1 }))[0]).toMatchObject({ type: 'refusal', actor: 'UMALLORY' });
  });

  it('refuses a second click and a click after a rejection', async () => {
    const p = await posted();
    await h.clicks.approve(click(p.id));
    expect(await h.clicks.approve(click(p.id, 'UBOB'))).toMatchObject({ ok: false, reason: 'already_decided' });
    const q = await posted();
    expect(await h.clicks.reject(click(q.id, 'UBOB'))).toEqual({ ok: true });
    expect(h.slack.updates.at(-1)?.message.text).toContain('Rejected by <@UBOB>');
    expect(await h.clicks.approve(click(q.id))).toMatchObject({ ok: false, reason: 'already_decided' });
    expect(h.executions).toEqual([p.id]);
  });

  it('queues exactly one execution when twenty approvers click at once', async () => {
    h = createHarness(redis, { channel: { approvers: { users: Array.from({ length: 20 }, (_, i) => `U${i}X`), groups: [] } } });
    const p = await posted();
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => h.clicks.approve(click(p.id, `U${i}X`))));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(h.executions).toEqual([p.id]);
    expect((await h.store.get(p.id))?.approvals).toHaveLength(1);
  });

  it('high risk needs two different approvers, and the requester is not one of them', async () => {
    const p = await posted({ risk: 'high', requestedBy: 'UCAROL' });
    expect(await h.clicks.approve(click(p.id, 'UCAROL'))).toMatchObject({ ok: false, reason: 'requester_cannot_approve' });
    expect(await h.clicks.approve(click(p.id, 'UALICE'))).toMatchObject({ ok: true, notice: expect.stringContaining('second') });
    expect(h.slack.texts().at(-1)).toContain('(1 of 2)');
    expect(await h.clicks.approve(click(p.id, 'UALICE'))).toMatchObject({ ok: false, reason: 'already_approved_by_you' });
    expect(h.executions).toEqual([]);
    expect(await h.clicks.approve(click(p.id, 'UBOB'))).toEqual({ ok: true });
    expect(h.executions).toEqual([p.id]);
    expect(h.slack.updates.at(-1)?.message.text).toMatch(/Approved by <@UALICE>.* and <@UBOB>/);
  });

  it('never approves a forbidden action', async () => {
    const p = await posted({ risk: 'forbidden' });
    expect(await h.clicks.approve(click(p.id))).toMatchObject({ ok: false, reason: 'forbidden' });
    expect(h.executions).toEqual([]);
  });

  it('refuses an expired proposal and replaces its buttons', async () => {
    const p = await posted();
    h.clock.advance(31 * 60_000);
    expect(await h.clicks.approve(click(p.id))).toMatchObject({ ok: false, reason: 'expired' });
    expect(await h.clicks.sweepExpired()).toBe(1);
    expect((await h.store.get(p.id))?.status).toBe('expired');
    expect(h.slack.updates.at(-1)?.message.text).toContain('Expired');
  });

  it('expires the proposals of a resolved incident', async () => {
    const p = await posted({ incidentId: 'inc-9' });
    expect(await h.clicks.expireForIncident('inc-9')).toBe(1);
    expect(await h.clicks.approve(click(p.id))).toMatchObject({ ok: false, reason: 'expired' });
    expect(h.slack.updates.at(-1)?.message.text).toContain('incident resolved');
  });

  it('refuses approval while paused and in plan mode', async () => {
    const p = await posted();
    await h.pause.pause({ user: 'UALICE' });
    expect(await h.clicks.approve(click(p.id))).toMatchObject({ ok: false, reason: 'paused' });
    await h.pause.resume({ user: 'UALICE' });
    await h.modes.setChannelMode({ channel: 'C0OPS', mode: 'plan', user: 'UALICE' });
    expect(await h.clicks.approve(click(p.id))).toMatchObject({ ok: false, reason: 'plan_mode' });
    expect((await h.store.get(p.id))?.status).toBe('pending');
    expect(h.executions).toEqual([]);
  });

  it('refuses a click from another channel', async () => {
    const p = await posted();
    expect(await h.clicks.approve(click(p.id, 'UALICE', 'C0ELSE'))).toMatchObject({ ok: false, reason: 'wrong_channel' });
  });

  it('refuses a stale proposal, explains why and offers a fresh analysis', async () => {
    const p = await posted();
    h.cluster.state.snapshot = { kind: 'Deployment', namespace: 'shop', name: 'web', generation: 4, resourceVersion: '150', current: { replicas: 2 } };
    const result = await h.clicks.approve(click(p.id));
    expect(result).toMatchObject({ ok: false, reason: 'stale', message: expect.stringContaining('generation 3 → 4') });
    expect((await h.store.get(p.id))?.status).toBe('refused');
    expect(buttonsOf(h.slack.updates.at(-1)?.message)).toEqual([actionIds.reanalyze]);
    expect(h.executions).toEqual([]);
    expect(await h.clicks.reanalyze(click(p.id))).toMatchObject({ ok: true });
    expect(h.analyses).toEqual([p.incidentId]);
    expect(await h.clicks.reanalyze(click(p.id, 'UMALLORY'))).toMatchObject({ ok: false, reason: 'not_approver' });
  });

  it('changes nothing when the target cannot be read', async () => {
    const p = await posted();
    h.cluster.state.snapshotError = new Error('connection refused');
    expect(await h.clicks.approve(click(p.id))).toMatchObject({ ok: false, reason: 'target_unreadable' });
    expect((await h.store.get(p.id))?.status).toBe('pending');
  });

  it('refuses an unknown proposal id', async () => {
    expect(await h.clicks.approve(click('p-nope'))).toMatchObject({ ok: false, reason: 'unknown_proposal' });
  });
});
