import * as z from 'zod';
import { queueNames } from '../../jobs/queues.js';
import { safeJobId } from '../../jobs/job-id.js';
import type { Queues } from '../../jobs/registry.js';

/** Data of a job on the `verification` queue: an executed proposal to check. */
export const VerificationJobData = z.object({ proposalId: z.string().min(1) });
export type VerificationJobData = z.infer<typeof VerificationJobData>;

/** Queues a verification job for a proposal (idempotent per proposal: jobId `verify-<proposalId>`). */
export async function enqueueVerification(queues: Queues, proposalId: string): Promise<void> {
  const data: VerificationJobData = { proposalId };
  await queues.get(queueNames.verification).add('verify', data, { jobId: safeJobId('verify', proposalId), attempts: 3 });
}
