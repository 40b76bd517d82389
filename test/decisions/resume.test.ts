import type { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../src/decisions/audit-log.js';
import { createResumer, type Stage } from '../../src/decisions/resume.js';
import { createSilentLogger } from '../../src/shared/logger.js';
import { type Harness, useHarness } from './harness.js';

/**
 * Issue 11: a failure injected at each step after a decision — the process dying (an
 * exception where the real process would stop) or Slack failing longer than the client's
 * retries — then the job retried and the resume sweep run: exactly one run, one post of each
 * kind, one audit entry per step, verification queued once, and nothing left owed.
 */
describe('a decision survives crashes and Slack outages', () => {
  let redis: Redis;
  let h: Harness;

  useHarness((r, created) => {
    redis = r;
    h = created;
  });

  const click = (proposalId: string, user = 'UALICE') => ({ proposalId, user, channel: 'C0OPS' });

  async function posted() {
    const p = h.proposal();
    await h.store.save(p);
    await h.store.setMessageTs(p.id, '1700000000.000200');
    return p;
  }

  /**
   * The resume sweep with workers behind it: every stage it finds owed is run (as a queued
   * job would be), until a sweep finds nothing owed. Answers the stages it had to resume.
   */
  async function sweepUntilSettled(): Promise<Stage[]> {
    const resumed: Stage[] = [];
    const owed: { stage: Stage; id: string }[] = [];
    const resumer = createResumer({
      store: h.store,
      ensureJob: (stage, id) => {
        owed.push({ stage, id });
        return Promise.resolve('queued');
      },
      log: createSilentLogger(),
    });
    for (let round = 0; round < 10; round++) {
      await resumer.sweep();
      if (owed.length === 0) return resumed;
      for (const { stage, id } of owed.splice(0)) {
        resumed.push(stage);
        const job = { id: `${stage}-${id}`, data: { proposalId: id }, attemptsMade: 0, opts: { attempts: 10 } };
        if (stage === 'decision') await h.decide(job);
        else if (stage === 'execution') await h.execute(job);
        else await h.verify(job);
      }
    }
    throw new Error('the sweep never settled');
  }

  async function auditTypes(incidentId: string): Promise<AuditEntry['type'][]> {
    return (await h.audit.recent({ incidentId, limit: 50 })).map((e) => e.type).reverse();
  }

  /** Runs the verification the report queued, as its worker would. */
  async function verifyQueued(): Promise<void> {
    for (const id of h.verifications) await h.verify(h.job(id));
  }

  /** Everything the thread and the audit must say after one approved, executed, verified run. */
  async function expectOneCompleteRun(p: { id: string; incidentId: string }) {
    expect(h.cluster.state.realRuns).toHaveLength(1);
    const texts = h.slack.texts();
    expect(texts.filter((t) => t.includes('Dry run'))).toHaveLength(1);
    expect(texts.filter((t) => t.includes('Executed'))).toHaveLength(1);
    expect(texts.filter((t) => t.includes('Verified'))).toHaveLength(1);
    expect(h.slack.updates.filter((u) => u.message.text.includes('Approved by'))).toHaveLength(1);
    // Refusals of later clicks aside, one entry per step.
    expect((await auditTypes(p.incidentId)).filter((t) => t !== 'refusal')).toEqual(['approval', 'dry_run', 'execution', 'verification']);
    expect(h.verifications).toEqual([p.id]);
    expect(await h.store.get(p.id)).toMatchObject({ status: 'executed', verification: { ok: true } });
    expect(await h.store.listActive()).toEqual([]);
  }

  it('the process dies right after the store approved: the sweep queues the execution and the decision job', async () => {
    const p = await posted();
    const enqueue = h.deps.enqueueExecution;
    h.deps.enqueueExecution = () => Promise.reject(new Error('process killed'));
    await expect(h.clicks.approve(click(p.id))).rejects.toThrow('process killed');
    h.deps.enqueueExecution = enqueue;
    expect(await h.store.get(p.id)).toMatchObject({ status: 'approved' });
    expect(h.executions).toEqual([]);
    expect(h.slack.updates).toEqual([]);
    // A later click hears "already decided"; the sweep is what finishes it.
    expect(await h.clicks.approve(click(p.id, 'UBOB'))).toMatchObject({ ok: false, reason: 'already_decided' });

    expect(await sweepUntilSettled()).toEqual(['decision', 'execution', 'verification']);
    await expectOneCompleteRun(p);
  });

  it('Slack fails the message edit: the execution is queued anyway and the edit is retried, audited once', async () => {
    const p = await posted();
    h.queue.inline = false;
    h.slack.outage.updates = true;
    expect(await h.clicks.approve(click(p.id))).toEqual({ ok: true });
    expect(h.executions).toEqual([p.id]);
    expect(h.decisions).toEqual([p.id]);
    await expect(h.decide(h.job(p.id))).rejects.toThrow('503');
    // The run does not wait for Slack's edit.
    expect(await h.execute(h.job(p.id))).toBe('executed');
    await expect(h.decide(h.job(p.id, 1))).rejects.toThrow('503');
    h.slack.outage.updates = false;
    expect(await h.decide(h.job(p.id, 2))).toBe('approved');
    expect(await h.decide(h.job(p.id, 3))).toBe('done');
    await verifyQueued();
    expect(await sweepUntilSettled()).toEqual([]);
    expect((await auditTypes(p.incidentId)).filter((t) => t === 'approval')).toHaveLength(1);
    await expectOneCompleteRun(p);
  });

  it('Slack fails the Executed post longer than the retries: the retried job reports, audits and verifies once', async () => {
    const p = await posted();
    await h.clicks.approve(click(p.id));
    h.slack.outage.posts = ['executed-'];
    await expect(h.execute(h.job(p.id))).rejects.toThrow('503');
    expect(await h.store.get(p.id)).toMatchObject({ status: 'executed' });
    expect(h.verifications).toEqual([]);
    // Still failing on the job's next attempt: nothing runs again.
    await expect(h.execute(h.job(p.id, 1))).rejects.toThrow('503');
    h.slack.outage.posts = [];
    // The job gave up meanwhile; the sweep finds the unreported run.
    expect(await sweepUntilSettled()).toEqual(['execution', 'verification']);
    await expectOneCompleteRun(p);
  });

  it('the process dies between the outcome and its audit: the retry posts nothing twice and audits once', async () => {
    const p = await posted();
    await h.clicks.approve(click(p.id));
    const appendOnce = h.audit.appendOnce.bind(h.audit);
    h.audit.appendOnce = (key, entry) => (entry.type === 'execution' ? Promise.reject(new Error('process killed')) : appendOnce(key, entry));
    await expect(h.execute(h.job(p.id))).rejects.toThrow('process killed');
    h.audit.appendOnce = appendOnce;
    expect(h.slack.texts().filter((t) => t.includes('Executed'))).toHaveLength(1);
    expect(await h.execute(h.job(p.id, 1))).toBe('executed');
    await verifyQueued();
    await expectOneCompleteRun(p);
  });

  it('the process dies after the audit, before verification is queued: the retry queues it once', async () => {
    const p = await posted();
    await h.clicks.approve(click(p.id));
    h.queue.failVerification = new Error('process killed');
    await expect(h.execute(h.job(p.id))).rejects.toThrow('process killed');
    h.queue.failVerification = undefined;
    expect(h.verifications).toEqual([]);
    expect(await sweepUntilSettled()).toEqual(['execution', 'verification']);
    await expectOneCompleteRun(p);
  });

  it('a failed dry run reported after an outage counts once toward the breaker', async () => {
    const p = await posted();
    await h.clicks.approve(click(p.id));
    h.cluster.state.dryRun = { ok: false, code: 'invalid', message: 'replicas: must be >= 0', retryable: false };
    h.slack.outage.posts = ['dryrun-'];
    await expect(h.execute(h.job(p.id))).rejects.toThrow('503');
    await expect(h.execute(h.job(p.id, 1))).rejects.toThrow('503');
    h.slack.outage.posts = [];
    expect(await h.execute(h.job(p.id, 2))).toBe('dry_run_failed');
    expect(await h.execute(h.job(p.id, 3))).toBe('dry_run_failed');
    expect(h.cluster.state.realRuns).toEqual([]);
    expect(h.slack.texts().filter((t) => /Dry run .* failed/.test(t))).toHaveLength(1);
    expect((await h.breaker.state('prod')).failures).toBe(1);
    expect(await auditTypes(p.incidentId)).toEqual(['approval', 'dry_run']);
    expect(await h.store.listActive()).toEqual([]);
  });

  it('the breaker opened by a failed run is announced once, even when Slack failed the first try', async () => {
    h.cluster.state.realRun = { ok: false, code: 'conflict', message: 'object was modified', retryable: false };
    for (let i = 0; i < 4; i++) {
      const p = await posted();
      await h.clicks.approve(click(p.id));
      expect(await h.execute(h.job(p.id))).toBe('failed');
    }
    const p = await posted();
    await h.clicks.approve(click(p.id));
    h.slack.outage.posts = ['breaker-'];
    await expect(h.execute(h.job(p.id))).rejects.toThrow('503');
    h.slack.outage.posts = [];
    expect(await sweepUntilSettled()).toEqual(['execution']);
    expect((await h.breaker.state('prod')).failures).toBe(5);
    expect(h.slack.texts().filter((t) => t.includes('Circuit breaker open'))).toHaveLength(1);
    expect((await auditTypes(p.incidentId)).filter((t) => t === 'breaker')).toHaveLength(1);
  });

  it('Slack fails the verdict post: the retried verification neither verifies nor audits twice', async () => {
    const p = await posted();
    await h.clicks.approve(click(p.id));
    await h.execute(h.job(p.id));
    let verifies = 0;
    const verify = h.cluster.connection.verify.bind(h.cluster.connection);
    h.cluster.connection.verify = (action, options) => {
      verifies++;
      return verify(action, options);
    };
    h.slack.outage.posts = ['verdict-'];
    await expect(h.verify(h.job(p.id))).rejects.toThrow('503');
    expect(await h.store.listActive()).toEqual([p.id]);
    h.slack.outage.posts = [];
    expect(await sweepUntilSettled()).toEqual(['verification']);
    expect(verifies).toBe(1);
    await expectOneCompleteRun(p);
  });

  it('a rejection whose process died before its job is finished by the sweep', async () => {
    const p = await posted();
    h.queue.inline = false;
    expect(await h.clicks.reject(click(p.id, 'UBOB'))).toEqual({ ok: true });
    h.decisions.length = 0; // the queued job was lost with the process
    expect(await sweepUntilSettled()).toEqual(['decision']);
    expect(h.slack.updates.map((u) => u.message.text)).toEqual([expect.stringContaining('Rejected by <@UBOB>')]);
    expect(await auditTypes(p.incidentId)).toEqual(['rejection']);
    expect(h.executions).toEqual([]);
  });

  it('an executing proposal whose worker died during the dry run is taken over and run once', async () => {
    const p = await posted();
    await h.clicks.approve(click(p.id));
    expect(await h.store.beginExecution(p.id, 'dead-worker', 30_000)).toEqual({ outcome: 'started' });
    await redis.del(`${h.prefix}:proposal:${p.id}:lock`); // its TTL ran out
    expect(await sweepUntilSettled()).toEqual(['execution', 'verification']);
    await expectOneCompleteRun(p);
  });
});
