import type { Feature } from '../core/feature.js';
import { createAlertAccepter, enqueuerFor, requeueAfterMs } from './accept.js';
import { IntakeJobData } from './job.js';
import { createPendingAlerts } from './pending.js';
import { createIngestRoutes } from './routes.js';
import { enqueueAnalysis } from '../analysis/job.js';
import { queueNames } from '../jobs/queues.js';
import { AppError, isAppError } from '../shared/errors.js';
import { createMitigation } from './lifecycle.js';
import { createIntakeProcessor, incidentLockName } from './worker.js';
import { createWorkloadAliases } from '../core/workload-aliases.js';

/**
 * The intake stage as a Feature: webhook routes that record each delivery in one round trip
 * (accept.ts), and a worker on `intake` that applies each incident's newest pending alert
 * (pending.ts): it opens / edits incident threads
 * and hands each trigger to `analysis` (data `{ incidentId }`, jobId
 * `analysis-<incidentId>-<trigger>`: a re-trigger re-analyses, a duplicate does not).
 * It also applies, every `resumeUpdatesMs` and once at start, the Slack message edits a
 * crashed process (or a long Slack outage) left unconfirmed.
 */
export interface IntakeFeatureOptions {
  concurrency?: number;
  resumeUpdatesMs?: number;
  /** How often the sweep looks for pending alerts without a job (default 5 s). */
  sweepMs?: number;
  /** A pending alert whose job was queued this long ago gets another (default 15 s). */
  requeueAfterMs?: number;
}

/** BullMQ workers that share intake's concurrency, each fetching its own jobs (8 at a time each). */
const intakeFetchers = 16;

export function createIntakeFeature(options: IntakeFeatureOptions = {}): Feature {
  const requeueAfter = options.requeueAfterMs ?? requeueAfterMs;
  let timer: NodeJS.Timeout | undefined;
  let sweepTimer: NodeJS.Timeout | undefined;
  let resuming: Promise<unknown> = Promise.resolve();
  let sweeping: Promise<unknown> = Promise.resolve();
  return {
    name: 'intake',
    routes: (ctx) =>
      createIngestRoutes({
        config: ctx.config,
        accept: createAlertAccepter({ queue: ctx.queues.get(queueNames.intake), redis: ctx.producer, prefix: ctx.prefix, requeueAfterMs: requeueAfter, log: ctx.log.child({ component: 'ingest' }), clock: ctx.clock }),
        metrics: ctx.metrics,
        log: ctx.log.child({ component: 'ingest' }),
        clock: ctx.clock,
      }),
    stop: async () => {
      clearInterval(timer);
      clearInterval(sweepTimer);
      await Promise.all([resuming, sweeping]);
    },
    start(ctx) {
      const resume = () => {
        resuming = ctx.slack.resumeUpdates().catch((err: unknown) => {
          ctx.log.warn({ err: err instanceof Error ? err.message : String(err) }, 'resuming slack updates failed');
        });
      };
      resume();
      timer = setInterval(resume, options.resumeUpdatesMs ?? 15_000);
      timer.unref();
      const aliases = createWorkloadAliases({ redis: ctx.redis, prefix: ctx.prefix });
      const process = createIntakeProcessor({
        store: ctx.incidents,
        locks: ctx.locks,
        slack: ctx.slack,
        routes: ctx.config.file.routes,
        fallbackChannel: ctx.config.env.ALERT_CHANNEL,
        channels: ctx.config.file.channels,
        log: ctx.log.child({ feature: 'intake' }),
        metrics: ctx.metrics,
        clock: ctx.clock,
        onResolved: async (incidentId) => {
          await aliases.release(incidentId);
          await ctx.incidentEvents.emitResolved(incidentId);
        },
        onStatusChanged: (change) => ctx.incidentEvents.emitStatusChanged(change),
        join: {
          store: ctx.incidents,
          aliases,
          clusterOfChannel: (channel) => (channel === undefined ? undefined : ctx.config.file.channels[channel]?.cluster),
        },
        enqueueAnalysis: (incidentId, trigger) => enqueueAnalysis(ctx.queues, incidentId, String(trigger)),
      });
      ctx.metrics.loop.setSource('openIncidents', async () => (await ctx.incidents.listOpen()).map((i) => i.status));
      const mitigate = createMitigation({
        store: ctx.incidents,
        locks: ctx.locks,
        slack: ctx.slack,
        clock: ctx.clock,
        log: ctx.log.child({ feature: 'intake' }),
        onStatusChanged: (change) => ctx.incidentEvents.emitStatusChanged(change),
      });
      ctx.incidentEvents.onFixVerified(async (input) => {
        await mitigate(input);
      });
      const pending = createPendingAlerts({ redis: ctx.redis, prefix: ctx.prefix });
      const isFinal = (err: unknown) => isAppError(err) && !err.retryable;
      ctx.workers.start(
        queueNames.intake,
        async (job) => {
          const parsed = IntakeJobData.safeParse(job.data);
          if (!parsed.success) throw new AppError('bad_request', `invalid intake job ${job.id}`, { retryable: false, cause: parsed.error });
          const data = parsed.data;
          if ('alert' in data) return process(data.alert);
          return ctx.locks.withLock(incidentLockName(data.incidentKey), () => pending.drain(data.incidentKey, process.applyHeld, isFinal));
        },
        // Intake jobs wait on Redis and Slack, not the CPU, and never contend across incidents
        // (the lock is per incident): enough of them run at once that a storm's new incidents
        // get their thread roots without waiting for each other, fetched by several workers
        // side by side (registry.ts, `fetchers`). Bench figure 2, 100 new incidents at once in
        // one process: roots p99 2.4–2.8 s with 16 jobs, 1.3–2.7 s with 64 by one worker (the
        // 63 fetches before any start took ~1.7 s under the flood), 0.93–1.25 s with 64 or
        // 128 by 8 or 16 workers (128 keeps the storm's 100 new incidents in one wave).
        { concurrency: options.concurrency ?? 128, fetchers: intakeFetchers },
      );
      // A pending alert whose job was lost (an add that failed after the alert was stored, a
      // job failed for good) gets a new one.
      const enqueue = enqueuerFor(ctx.queues.get(queueNames.intake));
      const sweep = () => {
        sweeping = pending.sweep(enqueue, requeueAfter, ctx.clock()).catch((err: unknown) => {
          ctx.log.warn({ err: err instanceof Error ? err.message : String(err) }, 'intake sweep failed');
        });
      };
      sweepTimer = setInterval(sweep, options.sweepMs ?? 5000);
      sweepTimer.unref();
    },
  };
}
