import { UnrecoverableError } from 'bullmq';
import { describe, expect, it } from 'vitest';
import type { Action } from '../../src/decisions/actions/catalog.js';
import { analyzeIncident, type AnalyzeDeps } from '../../src/analysis/analyze-incident.js';
import { createAnalysisProcessor, type AnalysisProcessorDeps } from '../../src/analysis/worker.js';
import { AppError } from '../../src/shared/errors.js';
import { createSilentLogger } from '../../src/shared/logger.js';
import { fakeReader, now } from './fixtures.js';
import { channelConfig, incident, memoryMessenger, memoryProposals } from './helpers.js';
import { cartWorld, checkoutWorld } from './scenario-worlds.js';

function analysisDeps(overrides: Partial<AnalyzeDeps> = {}): Omit<AnalyzeDeps, 'idFactory'> {
  const world = checkoutWorld();
  return {
    reader: () => fakeReader(world),
    channel: channelConfig(),
    policy: { protectedNamespaces: [], deny: [], proposalTtlMinutes: 30 },
    snapshot: (_c: string, action: Action) =>
      Promise.resolve({ kind: 'Deployment', namespace: 'shop', name: 'name' in action ? action.name : 'x', current: { replicas: 3, 'limits.memory': '128Mi' } }),
    clock: () => now,
    ...overrides,
  };
}

function setup(overrides: Partial<AnalysisProcessorDeps> = {}, analysis = analysisDeps()) {
  const messenger = memoryMessenger();
  const proposals = memoryProposals();
  const deps: AnalysisProcessorDeps = {
    incidents: { get: (id) => Promise.resolve(id === 'inc-1' ? incident() : undefined) },
    messenger,
    proposals,
    analysisDeps: () => analysis,
    log: createSilentLogger(),
    ...overrides,
  };
  return { process: createAnalysisProcessor(deps), messenger, proposals };
}

const job = (data: unknown = { incidentId: 'inc-1' }, attemptsMade = 0, attempts = 3) => ({ id: 'job-1', data, attemptsMade, opts: { attempts } });

describe('analysis worker', () => {
  it('posts findings in the incident thread and submits the proposal to the decision loop', async () => {
    const { process, messenger, proposals } = setup();
    await process(job());
    expect(messenger.posts.map((p) => p.threadTs)).toEqual(['1700000000.000100']);
    expect(JSON.stringify(messenger.posts[0]!.message)).toContain('crash-looping');
    expect(JSON.stringify(messenger.posts[0]!.message)).toContain('Built-in analyzers only');
    const saved = [...proposals.all.values()];
    expect(saved).toHaveLength(1);
    expect(saved[0]).toMatchObject({
      action: { type: 'rollout_undo', name: 'checkout', toRevision: 1 },
      risk: 'high',
      incidentId: 'inc-1',
      channel: 'C0SHOP',
      threadTs: '1700000000.000100',
      expiresAt: new Date(now + 30 * 60_000).toISOString(),
    });
  });

  it('a retried job posts nothing twice and keeps the same proposal ids', async () => {
    const { process, messenger, proposals } = setup();
    messenger.failNext = 0;
    await process(job());
    const ids = [...proposals.all.keys()];
    await process(job(undefined, 1));
    expect(messenger.posts).toHaveLength(1);
    expect([...proposals.all.keys()]).toEqual(ids);
  });

  it('a job that failed half-way re-posts nothing and submits the same proposal again', async () => {
    const { process, messenger, proposals } = setup();
    const realSubmit = proposals.submit.bind(proposals);
    let calls = 0;
    proposals.submit = (p) => (++calls === 1 ? Promise.reject(new AppError('unavailable', 'redis down')) : realSubmit(p));
    await expect(process(job())).rejects.toThrow('redis down');
    await process(job(undefined, 1));
    expect(messenger.posts.map((p) => p.idempotencyKey)).toEqual(['analysis:inc-1:job-1:findings:0']);
    expect(calls).toBe(2);
    expect(proposals.all.size).toBe(1);
  });

  it('a different job (re-trigger) posts a new analysis', async () => {
    const { process, messenger } = setup();
    await process(job());
    await process({ ...job(), id: 'job-2' });
    expect(messenger.posts).toHaveLength(2);
  });

  it('says "analysis failed" in the thread when the job fails for good', async () => {
    const { process, messenger } = setup({
      analysisDeps: () => {
        throw new AppError('upstream', 'kube API unreachable');
      },
    });
    await expect(process(job(undefined, 2, 3))).rejects.toBeInstanceOf(UnrecoverableError);
    expect(messenger.posts.map((p) => p.message.text)).toEqual([expect.stringContaining('Analysis failed: upstream: kube API unreachable')]);
  });

  it('does not announce failure while retries remain', async () => {
    const { process, messenger } = setup({
      analysisDeps: () => {
        throw new AppError('upstream', 'kube API unreachable');
      },
    });
    await expect(process(job(undefined, 0, 3))).rejects.toThrow('kube API unreachable');
    expect(messenger.posts).toHaveLength(0);
  });

  it('rejects invalid job data without retrying', async () => {
    const { process } = setup();
    await expect(process(job({ incident: 42 }))).rejects.toBeInstanceOf(UnrecoverableError);
  });
});

describe('analyzeIncident', () => {
  it('computes risk itself: a namespace outside the channel is forbidden', async () => {
    const outcome = await analyzeIncident(incident(), { ...analysisDeps({ channel: channelConfig({ namespaces: ['other'] }) }), idFactory: () => 'p1' });
    expect(outcome.proposals.map((p) => p.risk)).toEqual(['forbidden']);
  });

  it('cart: set_resources 128Mi→256Mi is medium risk', async () => {
    const world = cartWorld();
    const outcome = await analyzeIncident(incident({ target: { namespace: 'shop', deployment: 'cart' } }), {
      ...analysisDeps({ reader: () => fakeReader(world) }),
      idFactory: () => 'p1',
    });
    expect(outcome.proposals[0]).toMatchObject({ action: { limits: { memory: '256Mi' } }, risk: 'medium' });
  });

  it('an unknown cluster gives a note, not a crash', async () => {
    const outcome = await analyzeIncident(incident(), {
      ...analysisDeps({
        reader: (c) => {
          throw new Error(`no cluster ${c}`);
        },
      }),
      idFactory: () => 'p1',
    });
    expect(outcome.notes.join()).toContain('no cluster prod');
  });

  it('when the investigator is down, posts the analyzers result and says AI is unavailable', async () => {
    const outcome = await analyzeIncident(incident(), {
      ...analysisDeps({ investigator: { investigate: () => Promise.reject(new AppError('unavailable', 'Claude is overloaded')) } }),
      idFactory: () => 'p1',
    });
    expect(outcome.aiStatus).toEqual({ state: 'unavailable', reason: 'Claude is overloaded' });
    expect(outcome.proposals.map((p) => p.action.type)).toEqual(['rollout_undo']);
  });
});
