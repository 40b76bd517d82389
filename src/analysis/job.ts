import * as z from 'zod';
import { queueNames } from '../jobs/queues.js';
import { safeJobId } from '../jobs/job-id.js';
import type { Queues } from '../jobs/registry.js';
import type { AnalysisRequests } from '../decisions/port.js';

/** Data of a job on the `analysis` queue: the incident to investigate. */
export const AnalysisJobData = z.object({ incidentId: z.string().min(1) });
export type AnalysisJobData = z.infer<typeof AnalysisJobData>;

/**
 * The analysis stage's entry, for intake (a new or re-triggered incident) and decisions (the
 * re-analyze button). The job id is `analysis-<incidentId>-<reason>`: a new reason (a
 * re-trigger, a click) re-analyses, a duplicate of the same one does not.
 */
export async function enqueueAnalysis(queues: Queues, incidentId: string, reason: string): Promise<void> {
  const data: AnalysisJobData = { incidentId };
  await queues.get(queueNames.analysis).add('analyze', data, { jobId: safeJobId('analysis', incidentId, reason) });
}

/** The analysis stage as the decision loop's declared `AnalysisRequests` port. */
export const analysisRequests: AnalysisRequests = {
  request: (ctx, incidentId, reason) => enqueueAnalysis(ctx.queues, incidentId, reason),
};
