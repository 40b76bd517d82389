import type { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { type Harness, useHarness } from './harness.js';

describe('execution and verification jobs', () => {
  let redis: Redis;
  let h: Harness;

  useHarness((r, created) => {
    redis = r;
    h = created;
  });

  async function approved(overrides: Parameters<typeof h.proposal>[0] = {}) {
    const p = h.proposal(overrides);
    await h.store.save(p);
    expect(await h.clicks.approve({ proposalId: p.id, user: 'UALICE', channel: 'C0OPS' })).toEqual({ ok: true });
    return p;
  }

  it('posts the dry run, runs for real once, then verifies and posts the verdict with evidence', async () => {
    const p = await approved();
    expect(await h.execute(h.job(p.id))).toBe('executed');
    expect(h.cluster.state.dryRuns).toHaveLength(1);
    expect(h.cluster.state.realRuns).toEqual([p.action]);
    expect(h.verifications).toEqual([p.id]);
    expect(await h.verify(h.job(p.id))).toBe('verified');
    const texts = h.slack.texts();
    expect(texts[0]).toMatch(/Dry run .* passed/);
    expect(texts[1]).toMatch(/Executed .*scaled deployment\/web to 4/);
    expect(texts[2]).toMatch(/Verified .*4\/4 replicas ready/);
    expect(JSON.stringify(h.slack.posts[2]?.message.blocks)).toContain('deployment/web: 4 ready');
    expect(h.slack.posts.every((post) => post.threadTs === p.threadTs)).toBe(true);
    const record = await h.store.get(p.id);
    expect(record).toMatchObject({ status: 'executed', outcome: 'ok', verification: { ok: true } });
    expect((await h.audit.recent({ incidentId: p.incidentId, limit: 10 })).map((e) => e.type)).toEqual(['verification', 'execution', 'dry_run', 'approval']);
  });

  it('a retried job after success runs nothing again and posts nothing twice', async () => {
    const p = await approved();
    await h.execute(h.job(p.id));
    const posts = h.slack.posts.length;
    expect(await h.execute(h.job(p.id, 1))).toBe('executed');
    expect(h.cluster.state.realRuns).toHaveLength(1);
    expect(h.slack.posts).toHaveLength(posts);
    expect((await h.audit.recent({ incidentId: p.incidentId, limit: 10 })).filter((e) => e.type === 'execution')).toHaveLength(1);
  });

  it('concurrent jobs for one proposal run the action once', async () => {
    const p = await approved();
    let release!: () => void;
    h.cluster.state.onRealRun = () => new Promise<void>((resolve) => (release = resolve));
    const first = h.execute(h.job(p.id));
    await expect.poll(() => h.cluster.state.realRuns.length).toBe(1);
    const others = await Promise.allSettled(Array.from({ length: 5 }, () => h.execute(h.job(p.id))));
    expect(others.every((o) => o.status === 'rejected' && String(o.reason).includes('held by another worker'))).toBe(true);
    release();
    expect(await first).toBe('executed');
    expect(h.cluster.state.realRuns).toHaveLength(1);
  });

  it('a worker killed mid-execution: the retried job never runs the action again, says the state is unknown and verifies', async () => {
    const p = await approved();
    // The dead worker took the lock, passed the dry run and wrote the "real run started" marker.
    expect(await h.store.beginExecution(p.id, 'dead-worker', 30_000)).toEqual({ outcome: 'started' });
    expect(await h.store.markApplying(p.id, 'dead-worker', 30_000)).toBe('ok');
    // While its lock lives, a retry backs off.
    await expect(h.execute(h.job(p.id, 1))).rejects.toThrow('held by another worker');
    await redis.del(`${h.prefix}:proposal:${p.id}:lock`); // its TTL ran out
    expect(await h.execute(h.job(p.id, 2))).toBe('unknown');
    expect(h.cluster.state.realRuns).toEqual([]);
    expect(h.cluster.state.dryRuns).toEqual([]);
    expect(await h.store.get(p.id)).toMatchObject({ status: 'failed', outcome: 'unknown' });
    expect(h.slack.texts().at(-1)).toContain('unknown');
    expect(h.verifications).toEqual([p.id]);
    expect(await h.verify(h.job(p.id))).toBe('verified');
    expect(await h.execute(h.job(p.id, 3))).toBe('unknown');
    expect(h.cluster.state.realRuns).toEqual([]);
    expect(h.slack.texts().filter((t) => t.includes('unknown'))).toHaveLength(1);
  });

  it('a worker killed during the dry run: the retry takes over and runs it exactly once', async () => {
    const p = await approved();
    await h.store.beginExecution(p.id, 'dead-worker', 30_000);
    await redis.del(`${h.prefix}:proposal:${p.id}:lock`);
    expect(await h.execute(h.job(p.id, 1))).toBe('executed');
    expect(h.cluster.state.realRuns).toHaveLength(1);
  });

  it('runs nothing when paused at execution time', async () => {
    const p = await approved();
    await h.pause.pause({ user: 'UBOB' });
    expect(await h.execute(h.job(p.id))).toBe('paused');
    expect(h.cluster.state.dryRuns).toEqual([]);
    expect(h.cluster.state.realRuns).toEqual([]);
    expect(await h.store.get(p.id)).toMatchObject({ status: 'refused', reason: 'paused' });
    expect(h.slack.texts().at(-1)).toContain('paused');
  });

  it('stops after the dry run when paused in between', async () => {
    const p = await approved();
    h.cluster.state.dryRun = { ok: true, summary: 'accepted' };
    const realSnapshot = h.cluster.connection.snapshot.bind(h.cluster.connection);
    h.cluster.connection.snapshot = async (action) => {
      await h.pause.pause({ user: 'UBOB' });
      return realSnapshot(action);
    };
    expect(await h.execute(h.job(p.id))).toBe('paused');
    expect(h.cluster.state.realRuns).toEqual([]);
  });

  it('a failed dry run changes nothing and counts toward the breaker', async () => {
    const p = await approved();
    h.cluster.state.dryRun = { ok: false, code: 'invalid', message: 'replicas: must be >= 0', retryable: false };
    expect(await h.execute(h.job(p.id))).toBe('dry_run_failed');
    expect(h.cluster.state.realRuns).toEqual([]);
    expect(await h.store.get(p.id)).toMatchObject({ status: 'failed' });
    expect(h.slack.texts().at(-1)).toMatch(/Dry run .* failed/);
    expect((await h.breaker.state('prod')).failures).toBe(1);
  });

  it('a retryable dry-run failure retries the job, which then runs once', async () => {
    const p = await approved();
    h.cluster.state.dryRun = { ok: false, code: 'unavailable', message: 'api server timeout', retryable: true };
    await expect(h.execute(h.job(p.id))).rejects.toThrow('dry run failed');
    h.cluster.state.dryRun = { ok: true, summary: 'accepted' };
    expect(await h.execute(h.job(p.id, 1))).toBe('executed');
    expect(h.cluster.state.realRuns).toHaveLength(1);
  });

  it('a failed verification offers the inverse as a new proposal with buttons, and feeds the breaker', async () => {
    const p = await approved();
    await h.execute(h.job(p.id));
    h.cluster.state.verdict = { ok: false, summary: '1/4 replicas ready after 120 s', evidence: ['pod web-3: CrashLoopBackOff'] };
    expect(await h.verify(h.job(p.id))).toBe('failed_inverse_offered');
    const inverse = await h.store.get(`${p.id}-inverse`);
    expect(inverse?.proposal.action).toEqual({ ...p.action, replicas: 2 });
    expect(inverse?.proposal.undoOf).toBe(p.id);
    expect(inverse?.status).toBe('pending');
    const offer = h.slack.posts.at(-1);
    expect(JSON.stringify(offer?.message.blocks)).toContain('proposal_approve');
    expect((await h.breaker.state('prod')).failures).toBe(1);
    // A retried verification job proposes nothing twice.
    expect(await h.verify(h.job(p.id))).toBe('failed_inverse_offered');
    expect(h.slack.posts.filter((x) => x.idempotencyKey === `proposal-${p.id}-inverse`)).toHaveLength(1);
  });

  it('five failed runs open the breaker and the thread says so', async () => {
    h.cluster.state.realRun = { ok: false, code: 'conflict', message: 'object was modified', retryable: false };
    for (let i = 0; i < 5; i++) {
      const p = await approved();
      expect(await h.execute(h.job(p.id))).toBe('failed');
    }
    expect((await h.breaker.state('prod')).open).toBe(true);
    expect(h.slack.texts().at(-1)).toContain('Circuit breaker open');
  });
});
