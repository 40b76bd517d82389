import type { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { submitProposal } from '../../src/decisions/submit.js';
import { actionIds } from '../../src/decisions/action-ids.js';
import { buttonsOf, createHarness, type Harness, useHarness } from './harness.js';

describe('submitting proposals: modes and yolo', () => {
  let redis: Redis;
  let h: Harness;

  useHarness((r, created) => {
    redis = r;
    h = created;
  }, { channel: { mode: 'yolo' } });

  it('yolo runs what its policy allows, posts it without buttons, and offers Undo after it ran', async () => {
    const p = h.proposal({ risk: 'medium', confidence: 0.85 });
    expect(await submitProposal(h.deps, p, { allowAuto: true })).toBe('auto_run');
    expect(h.executions).toEqual([p.id]);
    expect(buttonsOf(h.slack.posts[0]?.message)).toEqual([]);
    expect(JSON.stringify(h.slack.posts[0]?.message.blocks)).toContain('yolo');
    expect(await h.store.get(p.id)).toMatchObject({ status: 'approved', auto: true, approvals: [{ user: 'deckhand:yolo' }] });

    expect(await h.execute(h.job(p.id))).toBe('executed');
    const executed = h.slack.posts.at(-1);
    expect(buttonsOf(executed?.message)).toEqual([actionIds.undo]);

    // Undo goes through the same rules: here yolo again, so the inverse runs by itself.
    expect(await h.clicks.undo({ proposalId: p.id, user: 'UMALLORY', channel: 'C0OPS' })).toMatchObject({ ok: false, reason: 'not_approver' });
    expect(await h.clicks.undo({ proposalId: p.id, user: 'UBOB', channel: 'C0OPS' })).toMatchObject({ ok: true });
    const undo = await h.store.get(`${p.id}-undo`);
    expect(undo?.proposal.action).toEqual({ ...p.action, replicas: 2 });
    expect(h.executions).toEqual([p.id, `${p.id}-undo`]);
    expect(await h.clicks.undo({ proposalId: p.id, user: 'UBOB', channel: 'C0OPS' })).toMatchObject({ ok: false });
  });

  it('an Undo in approval mode is posted with buttons for a human', async () => {
    h = createHarness(redis, { channel: { mode: 'approval' } });
    const p = h.proposal();
    await submitProposal(h.deps, p, { allowAuto: true });
    await h.clicks.approve({ proposalId: p.id, user: 'UALICE', channel: 'C0OPS' });
    await h.execute(h.job(p.id));
    expect(await h.clicks.undo({ proposalId: p.id, user: 'UALICE', channel: 'C0OPS' })).toMatchObject({ ok: true });
    expect(buttonsOf(h.slack.posts.at(-1)?.message)).toEqual([actionIds.approve, actionIds.reject]);
    expect(h.executions).toEqual([p.id]);
  });

  it('of six simultaneous Undo clicks, one proposes the undo and the others are told it already was', async () => {
    const users = ['UALICE', 'UBOB', 'UCAROL', 'UDAVE', 'UERIN', 'UFRANK'];
    h = createHarness(redis, { channel: { mode: 'approval', approvers: { users, groups: [] } } });
    const p = h.proposal();
    await submitProposal(h.deps, p, { allowAuto: true });
    await h.clicks.approve({ proposalId: p.id, user: 'UALICE', channel: 'C0OPS' });
    await h.execute(h.job(p.id));
    const results = await Promise.all(users.map((user) => h.clicks.undo({ proposalId: p.id, user, channel: 'C0OPS' })));
    const proposed = results.filter((r) => r.ok);
    expect(proposed).toHaveLength(1);
    expect(proposed[0]).toMatchObject({ notice: expect.stringContaining('Undo proposed') });
    for (const r of results.filter((x) => !x.ok)) expect(r).toMatchObject({ ok: false, message: expect.stringContaining('already proposed') });
    expect(h.slack.posts.filter((post) => JSON.stringify(post.message).includes(`${p.id}-undo`))).toHaveLength(1);
  });

  it('tells a non-approver that an action that ran may be undone only by approvers', async () => {
    h = createHarness(redis, { channel: { mode: 'approval' } });
    const p = h.proposal();
    await submitProposal(h.deps, p, { allowAuto: true });
    await h.clicks.approve({ proposalId: p.id, user: 'UALICE', channel: 'C0OPS' });
    await h.execute(h.job(p.id));
    const refused = await h.clicks.undo({ proposalId: p.id, user: 'UMALLORY', channel: 'C0OPS' });
    expect(refused).toMatchObject({ ok: false, reason: 'not_approver', message: expect.stringContaining('undo an action Deckhand ran') });
    expect(refused).not.toMatchObject({ message: expect.stringContaining('proposals') });
  });

  it('a restarted pod has nothing to undo', async () => {
    const p = h.proposal({ action: { type: 'restart_pod', namespace: 'shop', pod: 'web-1' }, target: undefined });
    await submitProposal(h.deps, p, { allowAuto: true });
    await h.execute(h.job(p.id));
    expect(buttonsOf(h.slack.posts.at(-1)?.message)).toEqual([]);
    expect(await h.clicks.undo({ proposalId: p.id, user: 'UALICE', channel: 'C0OPS' })).toMatchObject({ ok: false, reason: 'no_inverse' });
  });

  it.each([
    ['high risk (not allowed here)', { risk: 'high' as const, confidence: 0.99 }, 'high-risk'],
    ['confidence below the channel minimum', { confidence: 0.75 }, 'below'],
    ['confidence below 0.7', { risk: 'low' as const, confidence: 0.65 }, 'never runs by itself'],
  ])('yolo asks a human for %s and says why', async (_label, overrides, why) => {
    const p = h.proposal(overrides);
    expect(await submitProposal(h.deps, p, { allowAuto: true })).toBe('awaiting_approval');
    expect(h.executions).toEqual([]);
    expect(buttonsOf(h.slack.posts[0]?.message)).toEqual([actionIds.approve, actionIds.reject]);
    expect(JSON.stringify(h.slack.posts[0]?.message.blocks)).toContain(why);
  });

  it('runs high risk by itself only when allowed and confident enough', async () => {
    h = createHarness(redis, { channel: { mode: 'yolo', yolo: { maxRisk: 'high', minConfidence: 0.8, allowHigh: true } } });
    const p = h.proposal({ risk: 'high', confidence: 0.9 });
    expect(await submitProposal(h.deps, p, { allowAuto: true })).toBe('auto_run');
    expect(h.executions).toEqual([p.id]);
  });

  it('falls back to approval while the breaker is open, and the thread says why', async () => {
    for (let i = 0; i < 5; i++) await h.breaker.recordFailure('prod');
    const p = h.proposal();
    expect(await submitProposal(h.deps, p, { allowAuto: true })).toBe('awaiting_approval');
    expect(h.executions).toEqual([]);
    expect(JSON.stringify(h.slack.posts[0]?.message.blocks)).toContain('circuit breaker');
  });

  it('executes nothing by itself while paused', async () => {
    await h.pause.pause({ user: 'UALICE' });
    const p = h.proposal();
    expect(await submitProposal(h.deps, p, { allowAuto: true })).toBe('awaiting_approval');
    expect(h.executions).toEqual([]);
    expect(JSON.stringify(h.slack.posts[0]?.message.blocks)).toContain('paused');
  });

  it('plan mode shows proposals without buttons; approval mode adds Approve / Reject; forbidden never has buttons', async () => {
    await h.modes.setChannelMode({ channel: 'C0OPS', mode: 'plan', user: 'UALICE' });
    expect(await submitProposal(h.deps, h.proposal(), { allowAuto: true })).toBe('shown');
    expect(buttonsOf(h.slack.posts.at(-1)?.message)).toEqual([]);
    await h.modes.setChannelMode({ channel: 'C0OPS', mode: 'approval', user: 'UALICE' });
    expect(await submitProposal(h.deps, h.proposal(), { allowAuto: true })).toBe('awaiting_approval');
    expect(buttonsOf(h.slack.posts.at(-1)?.message)).toEqual([actionIds.approve, actionIds.reject]);
    expect(await submitProposal(h.deps, h.proposal({ risk: 'forbidden' }), { allowAuto: true })).toBe('shown');
    expect(buttonsOf(h.slack.posts.at(-1)?.message)).toEqual([]);
    expect(h.executions).toEqual([]);
  });

  it('submitting the same proposal twice posts it once', async () => {
    h = createHarness(redis, { channel: { mode: 'approval' } });
    const p = h.proposal();
    await submitProposal(h.deps, p, { allowAuto: true });
    expect(await submitProposal(h.deps, p, { allowAuto: true })).toBe('duplicate');
    expect(h.slack.posts).toHaveLength(1);
    expect((await h.store.get(p.id))?.proposal.messageTs).toBe(h.slack.posts[0]?.ts);
  });
});
