import type { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Action } from '../../src/decisions/actions/catalog.js';
import { createAnalysisProcessor } from '../../src/analysis/worker.js';
import { proposeInverse, submitProposal } from '../../src/decisions/submit.js';
import { AppError } from '../../src/shared/errors.js';
import { actionIds } from '../../src/decisions/action-ids.js';
import { fakeReader, now } from '../analysis/fixtures.js';
import { channelConfig, incident } from '../analysis/helpers.js';
import { checkoutWorld } from '../analysis/scenario-worlds.js';
import { createTestRedis } from '../helpers/redis.js';
import { buttonsOf, createHarness } from './harness.js';

/** Slack fails the first proposal post for good (an outage longer than the messenger's retries). */
function failFirstProposalPost(h: ReturnType<typeof createHarness>): void {
  const messenger = h.deps.messenger;
  const realPost = messenger.post.bind(messenger);
  let failed = false;
  messenger.post = (input) => {
    if (!failed && input.idempotencyKey.startsWith('proposal-')) {
      failed = true;
      return Promise.reject(new AppError('upstream', 'Slack chat.postMessage failed: HTTP 500'));
    }
    return realPost(input);
  };
}

describe('submitProposal retried after its message failed to post', () => {
  let redis: Redis;
  beforeEach(() => {
    redis = createTestRedis();
  });
  afterEach(async () => {
    await redis.quit();
  });

  it('posts the stored proposal once, with its buttons, and audits it once', async () => {
    const h = createHarness(redis, { channel: { mode: 'approval' } });
    failFirstProposalPost(h);
    const p = h.proposal();
    await expect(submitProposal(h.deps, p, { allowAuto: true })).rejects.toThrow('HTTP 500');
    expect(await h.store.get(p.id)).toMatchObject({ status: 'pending' });

    expect(await submitProposal(h.deps, p, { allowAuto: true })).toBe('awaiting_approval');
    expect(await submitProposal(h.deps, p, { allowAuto: true })).toBe('duplicate');
    expect(h.slack.posts).toHaveLength(1);
    expect(buttonsOf(h.slack.posts[0]?.message)).toEqual([actionIds.approve, actionIds.reject]);
    expect((await h.store.get(p.id))?.proposal.messageTs).toBe(h.slack.posts[0]?.ts);
    expect((await h.audit.recent({ limit: 10 })).map((e) => e.type)).toEqual(['proposal']);
  });

  it('in yolo, announces and enqueues the approval the first attempt made, and never runs it twice', async () => {
    const h = createHarness(redis, { channel: { mode: 'yolo' } });
    failFirstProposalPost(h);
    const p = h.proposal({ risk: 'medium', confidence: 0.9 });
    await expect(submitProposal(h.deps, p, { allowAuto: true })).rejects.toThrow('HTTP 500');
    expect(await h.store.get(p.id)).toMatchObject({ status: 'approved', auto: true });
    expect(h.executions).toEqual([]);

    expect(await submitProposal(h.deps, p, { allowAuto: true })).toBe('auto_run');
    expect(h.executions).toEqual([p.id]);
    expect(h.slack.posts).toHaveLength(1);
    expect(buttonsOf(h.slack.posts[0]?.message)).toEqual([]);
    expect(JSON.stringify(h.slack.posts[0]?.message.blocks)).toContain('yolo');
    expect((await h.audit.recent({ limit: 10 })).map((e) => e.type)).toEqual(['approval', 'proposal']);

    // The execution job runs once; a later re-submit finds it decided and posted.
    expect(await h.execute(h.job(p.id))).toBe('executed');
    expect(await submitProposal(h.deps, p, { allowAuto: true })).toBe('duplicate');
    expect(h.cluster.state.realRuns).toHaveLength(1);
  });

  it('in yolo, queues the execution an attempt announced but died before queueing', async () => {
    const h = createHarness(redis, { channel: { mode: 'yolo' } });
    const enqueue = h.deps.enqueueExecution;
    let failed = false;
    h.deps.enqueueExecution = (id) => {
      if (!failed) {
        failed = true;
        return Promise.reject(new Error('redis went away'));
      }
      return enqueue(id);
    };
    const p = h.proposal({ risk: 'medium', confidence: 0.9 });
    await expect(submitProposal(h.deps, p, { allowAuto: true })).rejects.toThrow('redis went away');
    expect(h.slack.posts).toHaveLength(1);
    expect(h.executions).toEqual([]);

    expect(await submitProposal(h.deps, p, { allowAuto: true })).toBe('duplicate');
    expect(h.executions).toEqual([p.id]);
    expect(h.slack.posts).toHaveLength(1);
    expect(await h.execute(h.job(p.id))).toBe('executed');
    expect(await submitProposal(h.deps, p, { allowAuto: true })).toBe('duplicate');
    expect(h.cluster.state.realRuns).toHaveLength(1);
  });

  it('leaves an unposted proposal alone once it is no longer pending', async () => {
    const h = createHarness(redis, { channel: { mode: 'approval' } });
    failFirstProposalPost(h);
    const p = h.proposal();
    await expect(submitProposal(h.deps, p, { allowAuto: true })).rejects.toThrow('HTTP 500');
    await h.store.expire(p.id);
    expect(await submitProposal(h.deps, p, { allowAuto: true })).toBe('duplicate');
    expect(h.slack.posts).toEqual([]);
  });

  it("the analysis worker's retried job posts the proposal its first attempt stored, exactly once", async () => {
    const h = createHarness(redis, { channel: { mode: 'approval' } });
    h.clock.set(now);
    failFirstProposalPost(h);
    const process = createAnalysisProcessor({
      incidents: { get: () => Promise.resolve(incident({ channel: 'C0OPS' })) },
      messenger: h.deps.messenger,
      proposals: { submit: (proposal) => submitProposal(h.deps, proposal, { allowAuto: true }) },
      analysisDeps: () => ({
        reader: () => fakeReader(checkoutWorld()),
        channel: channelConfig(),
        policy: { protectedNamespaces: [], deny: [], proposalTtlMinutes: 30 },
        snapshot: (_c: string, action: Action) => Promise.resolve({ kind: 'Deployment', namespace: 'shop', name: 'name' in action ? action.name : 'x', current: { replicas: 3 } }),
        clock: () => now,
      }),
      log: h.deps.log,
    });
    const job = (attemptsMade: number) => ({ id: 'job-1', data: { incidentId: 'inc-1' }, attemptsMade, opts: { attempts: 3 } });

    await expect(process(job(0))).rejects.toThrow('HTTP 500');
    await process(job(1));

    const proposalPosts = h.slack.posts.filter((p) => p.idempotencyKey.startsWith('proposal-'));
    expect(proposalPosts).toHaveLength(1);
    expect(buttonsOf(proposalPosts[0]?.message)).toEqual([actionIds.approve, actionIds.reject]);
    expect(h.slack.posts.filter((p) => p.idempotencyKey.includes(':findings:'))).toHaveLength(1);
    const [record] = await h.store.listByIncident('inc-1');
    expect(record).toMatchObject({ status: 'pending', proposal: { action: { type: 'rollout_undo' }, messageTs: proposalPosts[0]?.ts } });
  });
});

describe('proposeInverse', () => {
  let redis: Redis;
  beforeEach(() => {
    redis = createTestRedis();
  });
  afterEach(async () => {
    await redis.quit();
  });

  it('restores the state read before the run, not the one the proposal was made against', async () => {
    const h = createHarness(redis, { channel: { mode: 'approval' } });
    const p = h.proposal();
    const preSnapshot = { kind: 'Deployment', namespace: 'shop', name: 'web', current: { replicas: 3 } };
    const outcome = await proposeInverse(h.deps, { proposal: p, preSnapshot }, { kind: 'inverse', rationale: 'verification failed', allowAuto: false });
    expect(outcome).toBe('awaiting_approval');
    expect(await h.store.get(`${p.id}-inverse`)).toMatchObject({ status: 'pending', proposal: { action: { ...p.action, replicas: 3 }, undoOf: p.id, origin: 'inverse' } });
  });

  it('says no_inverse and proposes nothing for an action that cannot be undone', async () => {
    const h = createHarness(redis, { channel: { mode: 'approval' } });
    const p = h.proposal({ action: { type: 'restart_pod', namespace: 'shop', pod: 'web-1' } });
    expect(await proposeInverse(h.deps, { proposal: p }, { kind: 'undo', rationale: 'undo', allowAuto: true })).toBe('no_inverse');
    expect(h.slack.posts).toEqual([]);
  });
});
