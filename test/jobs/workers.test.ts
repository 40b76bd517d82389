import type { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { queueNames } from '../../src/jobs/queues.js';
import { createQueues, createWorkers, type Queues, type Workers } from '../../src/jobs/registry.js';
import { createMetrics } from '../../src/metrics/metrics.js';
import { createSilentLogger } from '../../src/shared/logger.js';
import { waitFor } from '../../sandbox/shared/wait.js';
import { createTestRedis, uniquePrefix } from '../helpers/redis.js';

/** Several BullMQ workers share one queue's concurrency (`fetchers`), so a burst does not wait for one worker's sequential fetches. */
describe('workers.start with fetchers', () => {
  let redis: Redis;
  let queues: Queues;
  let workers: Workers;
  const metrics = createMetrics();
  const log = createSilentLogger();

  beforeEach(() => {
    redis = createTestRedis();
    const prefix = uniquePrefix('workers');
    queues = createQueues({ connection: redis, prefix, log });
    workers = createWorkers({ connection: redis, prefix, log, metrics });
  });
  afterEach(async () => {
    await workers.close();
    await queues.close();
    await redis.quit();
  });

  const completed = async () => (await metrics.jobs.get()).values.find((v) => v.labels.queue === queueNames.analysis && v.labels.state === 'completed')?.value ?? 0;

  it('never has more fetchers than slots', async () => {
    let running = 0;
    let most = 0;
    workers.start(
      queueNames.analysis,
      async () => {
        running++;
        most = Math.max(most, running);
        await new Promise((resolve) => setImmediate(resolve));
        running--;
      },
      { concurrency: 2, fetchers: 5 },
    );
    const queue = queues.get(queueNames.analysis);
    const before = await completed();
    await queue.addBulk(Array.from({ length: 6 }, (_, i) => ({ name: 'job', data: {}, opts: { jobId: `k${i}` } })));
    await waitFor(async () => (await completed()) - before === 6, { message: 'not every job completed' });
    expect(await queue.getWorkersCount()).toBe(2);
    expect(most).toBeLessThanOrEqual(2);
  });

  it('runs as many jobs at once as the concurrency asks, across its fetchers, and each once', async () => {
    const before = await completed();
    let running = 0;
    let most = 0;
    const ran: string[] = [];
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    workers.start(
      queueNames.analysis,
      async (job) => {
        running++;
        most = Math.max(most, running);
        ran.push(String(job.id));
        await released;
        running--;
      },
      { concurrency: 6, fetchers: 3 },
    );
    const queue = queues.get(queueNames.analysis);
    await queue.addBulk(Array.from({ length: 9 }, (_, i) => ({ name: 'job', data: {}, opts: { jobId: `j${i}` } })));
    // Six run at once (two per fetcher); the other three wait for a free slot.
    await waitFor(() => running === 6, { message: 'six jobs never ran at once' });
    expect(await queue.getJobCounts('waiting')).toEqual({ waiting: 3 });
    // Three BullMQ workers serve the queue, each with its own blocking connection.
    expect(await queue.getWorkersCount()).toBe(3);
    release();
    await waitFor(async () => (await completed()) - before === 9, { message: 'not every job completed' });
    expect(most).toBe(6);
    expect(new Set(ran).size).toBe(9);
    expect(ran).toHaveLength(9);
  });
});
