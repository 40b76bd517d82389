import { UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ensureStageJob } from '../../src/decisions/services.js';
import { queueNames } from '../../src/jobs/queues.js';
import { createQueues, type Queues } from '../../src/jobs/registry.js';
import { createSilentLogger } from '../../src/shared/logger.js';
import { waitFor } from '../../sandbox/shared/wait.js';
import { createTestRedis, uniquePrefix } from '../helpers/redis.js';

/** The resume sweep's hand on BullMQ: one job per proposal and stage, queued or retried, never doubled. */
describe('ensureStageJob', () => {
  let redis: Redis;
  let queues: Queues;
  let prefix: string;
  const workers: Worker[] = [];

  beforeEach(() => {
    redis = createTestRedis();
    prefix = uniquePrefix('stage');
    queues = createQueues({ connection: redis, prefix, log: createSilentLogger() });
  });
  afterEach(async () => {
    for (const w of workers.splice(0)) await w.close();
    await queues.close();
    await redis.quit();
  });

  /** Runs the execution queue's jobs with `process` until `id`'s job is finished, then stops the worker. */
  async function processOnce(id: string, process: (job: Job) => Promise<string>, state: 'completed' | 'failed') {
    const connection = createTestRedis();
    const worker = new Worker(queueNames.execution, process, { connection, prefix });
    workers.push(worker);
    try {
      const job = await waitFor(() => queues.get(queueNames.execution).getJob(`exec-${id}`));
      await waitFor(async () => (await job.getState()) === state, { message: `job never ${state}` });
    } finally {
      await worker.close();
      workers.splice(workers.indexOf(worker), 1);
      await connection.quit();
    }
  }

  const ensure = (id: string, retryFailedAfterMs = 0) => ensureStageJob(queues, 'execution', id, { retryFailedAfterMs, now: Date.now() });
  const stateOf = async (id: string) => (await queues.get(queueNames.execution).getJob(`exec-${id}`))?.getState();

  it('queues a missing job once; a waiting one is live', async () => {
    expect(await ensure('p1')).toBe('queued');
    expect(await ensure('p1')).toBe('live');
    expect(await queues.get(queueNames.execution).getJobCounts('waiting')).toEqual({ waiting: 1 });
  });

  it('retries a job that failed for good, but not more often than asked', async () => {
    await ensure('p2');
    await processOnce('p2', () => Promise.reject(new UnrecoverableError('slack down')), 'failed');
    expect(await ensure('p2', 60_000)).toBe('held');
    expect(await stateOf('p2')).toBe('failed');
    expect(await ensure('p2')).toBe('retried');
    expect(await stateOf('p2')).toBe('waiting');
  });

  it('retries a job that completed while its stage is still owed', async () => {
    await ensure('p3');
    await processOnce('p3', () => Promise.resolve('lost_lock'), 'completed');
    expect(await ensure('p3')).toBe('retried');
    expect(await stateOf('p3')).toBe('waiting');
    expect(await ensure('p3')).toBe('live');
  });
});
