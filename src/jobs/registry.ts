import { Queue, UnrecoverableError, Worker, type Job, type JobsOptions, type WorkerOptions } from 'bullmq';
import { isConnectionError } from '../shared/throttle.js';
import type { Redis } from 'ioredis';
import type { Metrics } from '../metrics/metrics.js';
import { isAppError } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';
import { queueNames, type QueueName } from './queues.js';

/** Retry and retention defaults for every queue. Completed jobs are kept a day: their ids dedup redeliveries. */
export const defaultJobOptions: JobsOptions = {
  attempts: 6,
  backoff: { type: 'exponential', delay: 1000, jitter: 0.3 },
  removeOnComplete: { age: 24 * 3600, count: 50_000 },
  removeOnFail: { age: 7 * 24 * 3600, count: 50_000 },
};

/**
 * How fast a job of a dead worker (kill -9, OOM, a pod evicted) runs again. BullMQ's defaults
 * (30 s lock, 30 s stalled check) take 30–60 s, more with the claim and lock TTLs behind them.
 * A worker renews its jobs' locks every lockDuration / 2 (3 s) from a timer, which awaits no
 * job, so only an event loop blocked for 6 s or a Redis unreachable that long lets a live
 * job's lock lapse — and every job here is idempotent per step (the proposal scripts never
 * run an action twice), so the cost of that is a repeated no-op, never a second run. Any
 * live worker checks for stalled jobs every 3 s; a job whose lock lapsed is back in `wait`
 * within about 6 + 3 s, and the
 * resume sweep of the decision loop (every 5 s) re-queues what has no job at all. A job is taken back from a stalled worker up to 5 times (BullMQ's
 * default 1 would fail it for good after a second stall, e.g. two deploys in a row).
 */
export const workerRecovery = { lockDuration: 6000, stalledInterval: 3000, maxStalledCount: 5 } as const;

export interface Queues {
  get(name: QueueName): Queue;
  /** Job counts per queue and state, for /metrics. */
  jobCounts(): Promise<Record<string, Record<string, number>>>;
  close(): Promise<void>;
}

/**
 * One BullMQ Queue per pipeline stage, all under the app's key prefix. Producers use a
 * connection that fails fast while Redis is down (so a webhook answers 503 at once).
 */
export function createQueues(options: { connection: Redis; prefix: string; log: Logger; onRedisError?: (data: Record<string, unknown>) => void }): Queues {
  const queues = new Map<QueueName, Queue>();
  const get = (name: QueueName): Queue => {
    let queue = queues.get(name);
    if (!queue) {
      queue = new Queue(name, { connection: options.connection, prefix: options.prefix, defaultJobOptions });
      queue.on('error', (err) => {
        if (options.onRedisError && isConnectionError(err)) options.onRedisError({ queue: name, err: err.message });
        else options.log.warn({ queue: name, err: err.message }, 'queue redis error');
      });
      queues.set(name, queue);
    }
    return queue;
  };
  return {
    get,
    async jobCounts() {
      const result: Record<string, Record<string, number>> = {};
      for (const name of Object.values(queueNames)) {
        result[name] = await get(name).getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed');
      }
      return result;
    },
    async close() {
      await Promise.all([...queues.values()].map((q) => q.close()));
      queues.clear();
    },
  };
}

export type JobProcessor<T> = (job: Job<T>) => Promise<unknown>;

export interface Workers {
  /**
   * Starts a worker on one queue, wired for metrics and logging, closed by the app on stop.
   * Throw an AppError with `retryable: false` for a failure that retrying cannot fix: it
   * becomes a BullMQ UnrecoverableError (no further attempts).
   */
  start<T>(queue: QueueName, processor: JobProcessor<T>, options?: StartOptions): void;
  /** Waits for active jobs to finish, then closes every worker. */
  close(): Promise<void>;
}

export interface StartOptions extends Partial<Pick<WorkerOptions, 'concurrency' | 'lockDuration'>> {
  /**
   * How many BullMQ workers share `concurrency` (default 1). A BullMQ worker fetches its jobs
   * one Redis round trip after another and starts none until it holds `concurrency` of them
   * or the queue is empty: with 64 slots and a busy Redis or event loop, the first of a
   * burst of jobs waited for 63 fetches (bench figure 2: ~0.4 s with a worker process,
   * ~1.7 s in one process under the webhook flood). Several workers fetch side by side.
   */
  fetchers?: number;
}

export function createWorkers(options: { connection: Redis; prefix: string; log: Logger; metrics: Metrics; onRedisError?: (data: Record<string, unknown>) => void }): Workers {
  const { log, metrics } = options;
  const workers: Worker[] = [];
  return {
    start<T>(queue: QueueName, processor: JobProcessor<T>, startOptions: StartOptions = {}) {
      const { fetchers = 1, ...workerOptions } = startOptions;
      const run = async (job: Job<T>) => {
        try {
          return await processor(job);
        } catch (err) {
          if (isAppError(err) && !err.retryable) throw new UnrecoverableError(`${err.code}: ${err.message}`);
          throw err;
        }
      };
      // The slots are split exactly: never more at once than `concurrency`, never a worker without one.
      const total = Math.max(1, Math.floor(workerOptions.concurrency ?? 4));
      const count = Math.min(total, Math.max(1, Math.floor(fetchers)));
      for (let i = 0; i < count; i++) {
        const concurrency = Math.floor(total / count) + (i < total % count ? 1 : 0);
        // One stalled-job check per queue and process is enough: the others skip it.
        const worker = new Worker<T>(queue, run, { connection: options.connection, prefix: options.prefix, ...workerRecovery, ...workerOptions, concurrency, skipStalledCheck: i > 0 });
        worker.on('completed', () => metrics.jobs.inc({ queue, state: 'completed' }));
        worker.on('failed', (job, err) => {
          const final = !job || err instanceof UnrecoverableError || job.attemptsMade >= (job.opts.attempts ?? 1);
          metrics.jobs.inc({ queue, state: final ? 'failed' : 'retried' });
          const data = { queue, jobId: job?.id, attemptsMade: job?.attemptsMade, err: err.message };
          if (final) log.error(data, 'job failed');
          else log.warn(data, 'job attempt failed, will retry');
        });
        worker.on('error', (err) => {
          if (options.onRedisError && isConnectionError(err)) options.onRedisError({ queue, worker: true, err: err.message });
          else log.warn({ queue, err: err.message }, 'worker redis error');
        });
        workers.push(worker as Worker);
      }
    },
    async close() {
      await Promise.all(workers.map((w) => w.close()));
      workers.length = 0;
    },
  };
}
