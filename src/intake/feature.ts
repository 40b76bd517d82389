import type { Feature } from '../core/feature.js';
import { createAlertEnqueuer, IntakeJobData } from './job.js';
import { createIngestRoutes } from './routes.js';
import { enqueueAnalysis } from '../analysis/job.js';
import { queueNames } from '../jobs/queues.js';
import { AppError } from '../shared/errors.js';
import { createIntakeProcessor } from './worker.js';
import { createWorkloadAliases } from '../core/workload-aliases.js';

/**
 * The intake stage as a Feature: a worker on `intake` that opens / edits incident threads
 * and hands each trigger to `analysis` (data `{ incidentId }`, jobId
 * `analysis-<incidentId>-<trigger>`: a re-trigger re-analyses, a duplicate does not).
 * It also applies, every `resumeUpdatesMs` and once at start, the Slack message edits a
 * crashed process (or a long Slack outage) left unconfirmed.
 */
export function createIntakeFeature(options: { concurrency?: number; resumeUpdatesMs?: number } = {}): Feature {
  let timer: NodeJS.Timeout | undefined;
  let resuming: Promise<unknown> = Promise.resolve();
  return {
    name: 'intake',
    routes: (ctx) =>
      createIngestRoutes({
        config: ctx.config,
        enqueue: createAlertEnqueuer({ queue: ctx.queues.get(queueNames.intake) }),
        metrics: ctx.metrics,
        log: ctx.log.child({ component: 'ingest' }),
        clock: ctx.clock,
      }),
    stop: async () => {
      clearInterval(timer);
      await resuming;
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
        log: ctx.log.child({ feature: 'intake' }),
        metrics: ctx.metrics,
        clock: ctx.clock,
        onResolved: async (incidentId) => {
          await aliases.release(incidentId);
          await ctx.incidentEvents.emitResolved(incidentId);
        },
        join: {
          store: ctx.incidents,
          aliases,
          clusterOfChannel: (channel) => (channel === undefined ? undefined : ctx.config.file.channels[channel]?.cluster),
        },
        enqueueAnalysis: (incidentId, trigger) => enqueueAnalysis(ctx.queues, incidentId, String(trigger)),
      });
      ctx.workers.start(
        queueNames.intake,
        async (job) => {
          const parsed = IntakeJobData.safeParse(job.data);
          if (!parsed.success) throw new AppError('bad_request', `invalid intake job ${job.id}`, { retryable: false, cause: parsed.error });
          return process(parsed.data.alert);
        },
        { concurrency: options.concurrency ?? 4 },
      );
    },
  };
}
