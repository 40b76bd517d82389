import * as z from 'zod';
import { Alert } from '../core/incident.js';

/**
 * Data of a job on the `intake` queue: the incident key whose newest pending alert to apply
 * (pending.ts). `{ alert }` is the older form, one job per delivery, still run as it was
 * queued by an earlier version during a rolling upgrade.
 */
export const IntakeJobData = z.union([z.object({ incidentKey: z.string().min(1) }), z.object({ alert: Alert })]);
export type IntakeJobData = z.infer<typeof IntakeJobData>;

/** The sender's time, unless it is unreadable or after `receivedAt`: then the receive time. */
export function clampToReceiveTime(occurredAt: string, receivedAt: number): string {
  const at = Date.parse(occurredAt);
  return Number.isNaN(at) || at > receivedAt ? new Date(receivedAt).toISOString() : occurredAt;
}
