import * as z from 'zod';
import { Alert } from '../core/incident.js';

/** Data of a job on the `intake` queue: one normalised alert, as received. */
export const IntakeJobData = z.object({ alert: Alert });
export type IntakeJobData = z.infer<typeof IntakeJobData>;

/**
 * Data of a job on the `analysis` queue, enqueued by intake once the thread root exists,
 * for a new incident and for every re-trigger (jobId `analysis-<incidentId>-<trigger>`).
 */
export const AnalysisJobData = z.object({ incidentId: z.string().min(1) });
export type AnalysisJobData = z.infer<typeof AnalysisJobData>;

/** BullMQ job ids may not contain ':' (libraries.md §4); keep them to a safe alphabet. */
export function safeJobId(...parts: string[]): string {
  return parts.map((p) => p.replace(/[^A-Za-z0-9_.-]/g, '_')).join('-');
}
