import type { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createProposalStore, type ProposalStore } from '../../src/decisions/proposal-store.js';
import { createTestRedis, uniquePrefix } from '../helpers/redis.js';
import { makeProposal, manualClock } from './fixtures.js';

describe('proposal store', () => {
  let redis: Redis;
  let store: ProposalStore;
  let clock: ReturnType<typeof manualClock>;
  let prefix: string;

  beforeEach(() => {
    redis = createTestRedis();
    prefix = uniquePrefix('store');
    clock = manualClock();
    store = createProposalStore({ redis, prefix, clock: clock.now, pauseKey: `${prefix}:pause` });
  });
  afterEach(async () => {
    await redis.quit();
  });

  it('saves once and reads back the proposal, pending, with no approvals', async () => {
    const p = makeProposal();
    expect(await store.save(p)).toBe(true);
    expect(await store.save({ ...p, rationale: 'other' })).toBe(false);
    const record = await store.get(p.id);
    expect(record?.status).toBe('pending');
    expect(record?.approvals).toEqual([]);
    expect(record?.proposal.rationale).toBe(p.rationale);
    expect(record?.requiredApprovals).toBe(1);
  });

  it('lists proposals by incident', async () => {
    const a = makeProposal({ incidentId: 'inc-a' });
    const b = makeProposal({ incidentId: 'inc-a', createdAt: new Date(Date.parse(a.createdAt) + 1).toISOString() });
    await store.save(a);
    await store.save(b);
    await store.save(makeProposal({ incidentId: 'inc-b' }));
    expect((await store.listByIncident('inc-a')).map((r) => r.proposal.id)).toEqual([a.id, b.id]);
  });

  it('approves exactly once when many approvers click at the same moment', async () => {
    const p = makeProposal();
    await store.save(p);
    const users = Array.from({ length: 25 }, (_, i) => `U${i}`);
    const results = await Promise.all(users.map((u) => store.approve(p.id, u)));
    expect(results.filter((r) => r.outcome === 'approved')).toHaveLength(1);
    expect(results.filter((r) => r.outcome === 'not_pending')).toHaveLength(24);
    const record = await store.get(p.id);
    expect(record?.status).toBe('approved');
    expect(record?.approvals).toHaveLength(1);
  });

  it('needs two different approvers for high risk; one person twice does not count', async () => {
    const p = makeProposal({ risk: 'high' });
    await store.save(p);
    expect(await store.approve(p.id, 'UALICE')).toEqual({ outcome: 'recorded', approvals: 1 });
    expect(await store.approve(p.id, 'UALICE')).toEqual({ outcome: 'duplicate', approvals: 1 });
    expect((await store.get(p.id))?.status).toBe('pending');
    expect(await store.approve(p.id, 'UBOB')).toEqual({ outcome: 'approved', approvals: 2 });
    expect((await store.get(p.id))?.approvals.map((a) => a.user)).toEqual(['UALICE', 'UBOB']);
  });

  it('never approves a forbidden proposal', async () => {
    const p = makeProposal({ risk: 'forbidden' });
    await store.save(p);
    expect(await store.approve(p.id, 'UALICE')).toEqual({ outcome: 'forbidden' });
    expect((await store.get(p.id))?.status).toBe('pending');
  });

  it('expires a proposal clicked after its TTL instead of approving it', async () => {
    const p = makeProposal();
    await store.save(p);
    clock.advance(31 * 60_000);
    expect(await store.approve(p.id, 'UALICE')).toEqual({ outcome: 'expired' });
    expect((await store.get(p.id))?.status).toBe('expired');
  });

  it('does not record an approval while paused', async () => {
    const p = makeProposal();
    await store.save(p);
    await redis.set(`${prefix}:pause`, '1');
    expect(await store.approve(p.id, 'UALICE')).toEqual({ outcome: 'paused' });
    expect((await store.get(p.id))?.approvals).toEqual([]);
  });

  it('rejects only pending proposals and records who rejected', async () => {
    const p = makeProposal();
    await store.save(p);
    expect(await store.reject(p.id, 'UBOB')).toBe(true);
    expect(await store.reject(p.id, 'UBOB')).toBe(false);
    expect(await store.approve(p.id, 'UALICE')).toEqual({ outcome: 'not_pending', status: 'rejected' });
    const record = await store.get(p.id);
    expect(record?.decidedBy).toBe('UBOB');
  });

  it('expires every undecided proposal of a resolved incident, leaving decided ones alone', async () => {
    const pending = makeProposal({ incidentId: 'inc-r' });
    const approved = makeProposal({ incidentId: 'inc-r' });
    const rejected = makeProposal({ incidentId: 'inc-r' });
    for (const p of [pending, approved, rejected]) await store.save(p);
    await store.approve(approved.id, 'UALICE');
    await store.reject(rejected.id, 'UBOB');
    const changed = await store.expireForIncident('inc-r');
    expect(changed.map((r) => r.proposal.id).sort()).toEqual([pending.id, approved.id].sort());
    expect((await store.get(rejected.id))?.status).toBe('rejected');
    expect((await store.get(approved.id))?.reason).toBe('incident_resolved');
  });

  it('sweeps proposals past their TTL', async () => {
    const early = makeProposal({ expiresAt: new Date(clock.now() + 60_000).toISOString() });
    const late = makeProposal();
    await store.save(early);
    await store.save(late);
    clock.advance(2 * 60_000);
    expect((await store.sweepExpired()).map((r) => r.proposal.id)).toEqual([early.id]);
    expect((await store.get(late.id))?.status).toBe('pending');
  });

  describe('execution', () => {
    it('lets only one of many concurrent workers start the execution', async () => {
      const p = makeProposal();
      await store.save(p);
      await store.approve(p.id, 'UALICE');
      const results = await Promise.all(Array.from({ length: 10 }, (_, i) => store.beginExecution(p.id, `w${i}`, 30_000)));
      expect(results.filter((r) => r.outcome === 'started')).toHaveLength(1);
      expect(results.filter((r) => r.outcome === 'in_progress')).toHaveLength(9);
    });

    it('does not start a pending or rejected proposal', async () => {
      const p = makeProposal();
      await store.save(p);
      expect(await store.beginExecution(p.id, 'w', 30_000)).toEqual({ outcome: 'not_runnable', status: 'pending' });
    });

    it('refuses to start while paused, and marks the proposal refused', async () => {
      const p = makeProposal();
      await store.save(p);
      await store.approve(p.id, 'UALICE');
      await redis.set(`${prefix}:pause`, '1');
      expect(await store.beginExecution(p.id, 'w', 30_000)).toEqual({ outcome: 'paused' });
      const record = await store.get(p.id);
      expect(record?.status).toBe('refused');
      expect(record?.reason).toBe('paused');
    });

    it('takes over after a crash during the dry run, but reports unknown after the real run began', async () => {
      const p = makeProposal();
      await store.save(p);
      await store.approve(p.id, 'UALICE');
      expect(await store.beginExecution(p.id, 'w1', 30_000)).toEqual({ outcome: 'started' });
      await redis.del(`${prefix}:proposal:${p.id}:lock`); // w1 died, its lock expired
      expect(await store.beginExecution(p.id, 'w2', 30_000)).toEqual({ outcome: 'resumed' });
      expect(await store.markApplying(p.id, 'w2', 30_000)).toBe('ok');
      expect(await store.beginExecution(p.id, 'w3', 30_000)).toEqual({ outcome: 'in_progress', holder: 'w2' });
      await redis.del(`${prefix}:proposal:${p.id}:lock`); // w2 died mid-run
      expect(await store.beginExecution(p.id, 'w3', 30_000)).toEqual({ outcome: 'unknown', phase: 'applying' });
      expect(await store.finishExecution(p.id, 'w3', { ok: true, summary: 'x' })).toBe(false);
      expect(await store.markUnknown(p.id, 'state unknown')).toBe(true);
      const record = await store.get(p.id);
      expect(record?.status).toBe('failed');
      expect(record?.outcome).toBe('unknown');
    });

    it('only the lock owner may mark the real run or finish it', async () => {
      const p = makeProposal();
      await store.save(p);
      await store.approve(p.id, 'UALICE');
      await store.beginExecution(p.id, 'w1', 30_000);
      expect(await store.markApplying(p.id, 'intruder', 30_000)).toBe('lost_lock');
      expect(await store.markApplying(p.id, 'w1', 30_000)).toBe('ok');
      expect(await store.finishExecution(p.id, 'intruder', { ok: true, summary: 'x' })).toBe(false);
      expect(await store.finishExecution(p.id, 'w1', { ok: true, summary: 'scaled' })).toBe(true);
      const record = await store.get(p.id);
      expect(record?.status).toBe('executed');
      expect(record?.summary).toBe('scaled');
      expect(await redis.exists(`${prefix}:proposal:${p.id}:lock`)).toBe(0);
      expect(await store.beginExecution(p.id, 'w2', 30_000)).toEqual({ outcome: 'not_runnable', status: 'executed' });
    });

    it('stops before the real run when paused after the dry run', async () => {
      const p = makeProposal();
      await store.save(p);
      await store.approve(p.id, 'UALICE');
      await store.beginExecution(p.id, 'w1', 30_000);
      await redis.set(`${prefix}:pause`, '1');
      expect(await store.markApplying(p.id, 'w1', 30_000)).toBe('paused');
      expect((await store.get(p.id))?.status).toBe('refused');
    });
  });
});
