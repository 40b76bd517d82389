import type { Feature } from '../core/feature.js';
import { createAlertEnqueuer, IntakeJobData } from './job.js';
import { createIngestRoutes } from './routes.js';
import { enqueueAnalysis } from '../analysis/job.js';
import { queueNames } from '../jobs/queues.js';
import { AppError } from '../shared/errors.js';
import { createIntakeProcessor } from './worker.js';

/**
 * The intake stage as a Feature: a worker on `intake` that opens / edits incident threads
 * and hands each trigger to `analysis` (data `{ incidentId }`, jobId
 * `analysis-<incidentId>-<trigger>`: a re-trigger re-analyses, a duplicate does not).
 */
export function createIntakeFeature(options: { concurrency?: number } = {}): Feature {
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
    start(ctx) {
      const process = createIntakeProcessor({
        store: ctx.incidents,
        locks: ctx.locks,
        slack: ctx.slack,
        routes: ctx.config.file.routes,
        fallbackChannel: ctx.config.env.ALERT_CHANNEL,
        log: ctx.log.child({ feature: 'intake' }),
        metrics: ctx.metrics,
        clock: ctx.clock,
        onResolved: (incidentId) => ctx.incidentEvents.emitResolved(incidentId),
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
