import { createHash } from 'node:crypto';
import type { Queue } from 'bullmq';
import type { Alert } from '../incidents/model.js';
import { safeJobId, type IntakeJobData } from '../jobs/job-data.js';
import { systemClock, type Clock } from '../shared/clock.js';
import { AppError } from '../shared/errors.js';

export type EnqueueAlert = (alert: Alert) => Promise<{ jobId: string }>;

/**
 * Queues an alert durably on `intake`. The job id is derived from the delivery id, and
 * BullMQ ignores an add whose id exists (completed jobs are kept a day), so a redelivery
 * queues nothing new — atomically, whichever process receives it. Redis being down or
 * slow becomes AppError('unavailable') → 503, and the sender retries.
 *
 * The sender's clock orders an incident's events, so a time after this receive time (a
 * sender's clock off, or a bogus 2099) is clamped to the receive time: one such event must
 * not make every later one look older and be ignored.
 */
export function createAlertEnqueuer(options: { queue: Queue; timeoutMs?: number; clock?: Clock }): EnqueueAlert {
  const timeoutMs = options.timeoutMs ?? 3000;
  const clock = options.clock ?? systemClock;
  return async (alert) => {
    const jobId = safeJobId('intake', alert.source, createHash('sha256').update(alert.deliveryId).digest('hex').slice(0, 32));
    const data: IntakeJobData = { alert: { ...alert, occurredAt: clampToReceiveTime(alert.occurredAt, clock()) } };
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new AppError('unavailable', 'queue did not answer in time')), timeoutMs);
    });
    try {
      await Promise.race([options.queue.add(alert.eventType, data, { jobId }), timeout]);
      return { jobId };
    } catch (err) {
      if (err instanceof AppError) throw err;
      throw new AppError('unavailable', 'alert queue unavailable, retry later', { cause: err });
    } finally {
      clearTimeout(timer);
    }
  };
}

/** The sender's time, unless it is unreadable or after `receivedAt`: then the receive time. */
export function clampToReceiveTime(occurredAt: string, receivedAt: number): string {
  const at = Date.parse(occurredAt);
  return Number.isNaN(at) || at > receivedAt ? new Date(receivedAt).toISOString() : occurredAt;
}
