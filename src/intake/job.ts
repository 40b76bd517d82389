import { createHash } from 'node:crypto';
import type { Queue } from 'bullmq';
import * as z from 'zod';
import { Alert } from '../core/incident.js';
import { safeJobId } from '../jobs/job-id.js';
import { AppError } from '../shared/errors.js';
import { withTimeout } from '../shared/timeout.js';

/** Data of a job on the `intake` queue: one normalised alert, as received. */
export const IntakeJobData = z.object({ alert: Alert });
export type IntakeJobData = z.infer<typeof IntakeJobData>;

export type EnqueueAlert = (alert: Alert) => Promise<{ jobId: string }>;

/**
 * Queues an alert durably on `intake`. The job id is derived from the delivery id, and
 * BullMQ ignores an add whose id exists (completed jobs are kept a day), so a redelivery
 * queues nothing new — atomically, whichever process receives it. Redis being down or
 * slow becomes AppError('unavailable') → 503, and the sender retries.
 */
export function createAlertEnqueuer(options: { queue: Queue; timeoutMs?: number }): EnqueueAlert {
  const timeoutMs = options.timeoutMs ?? 3000;
  return async (alert) => {
    const jobId = safeJobId('intake', alert.source, createHash('sha256').update(alert.deliveryId).digest('hex').slice(0, 32));
    const data: IntakeJobData = { alert };
    try {
      await withTimeout(options.queue.add(alert.eventType, data, { jobId }), timeoutMs, () => {
        throw new AppError('unavailable', 'queue did not answer in time');
      });
      return { jobId };
    } catch (err) {
      if (err instanceof AppError) throw err;
      throw new AppError('unavailable', 'alert queue unavailable, retry later', { cause: err });
    }
  };
}
