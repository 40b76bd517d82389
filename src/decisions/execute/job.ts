import * as z from 'zod';
import { queueNames } from '../../jobs/queues.js';
import { safeJobId } from '../../jobs/job-id.js';
import type { Queues } from '../../jobs/registry.js';

/** Data of a job on the `execution` queue: an approved proposal to run. */
export const ExecutionJobData = z.object({ proposalId: z.string().min(1) });
export type ExecutionJobData = z.infer<typeof ExecutionJobData>;

/** Queues a proposal's execution (idempotent per proposal: jobId `exec-<proposalId>`). */
export async function enqueueExecution(queues: Queues, proposalId: string): Promise<void> {
  const data: ExecutionJobData = { proposalId };
  // A retry after a lock conflict must outlast the lock's TTL (30 s): 2+4+8+16+32 s…
  await queues.get(queueNames.execution).add('execute', data, {
    jobId: safeJobId('exec', proposalId),
    attempts: 10,
    backoff: { type: 'exponential', delay: 2000 },
  });
}
