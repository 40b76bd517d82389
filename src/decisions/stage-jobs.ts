import type { JobsOptions } from 'bullmq';
import * as z from 'zod';
import { safeJobId } from '../jobs/job-id.js';
import { queueNames } from '../jobs/queues.js';
import type { Queues } from '../jobs/registry.js';
import type { Stage } from './outcome.js';

/** Data of a job on the `decision`, `execution` and `verification` queues: the proposal it is about. */
export const DecisionJobData = z.object({ proposalId: z.string().min(1) });
export type DecisionJobData = z.infer<typeof DecisionJobData>;
export const ExecutionJobData = DecisionJobData;
export type ExecutionJobData = DecisionJobData;
export const VerificationJobData = DecisionJobData;
export type VerificationJobData = DecisionJobData;

/**
 * The jobs of the decision loop, one per proposal and stage (the job id), so each is queued
 * once however often a click, a retry or the resume sweep asks. Retries back off 1, 2, 4 … s:
 * an execution retry after a lock conflict outlasts the execution lock's TTL (10 s) by the
 * fourth attempt; ten attempts ride out a Slack outage of about a quarter of an hour, and the
 * resume sweep retries a job that gave up.
 */
const stageJobs = {
  decision: { queue: queueNames.decision, name: 'decide', prefix: 'decision', attempts: 10 },
  execution: { queue: queueNames.execution, name: 'execute', prefix: 'exec', attempts: 10 },
  verification: { queue: queueNames.verification, name: 'verify', prefix: 'verify', attempts: 6 },
} as const satisfies Record<Stage, unknown>;

function stageJob(stage: Stage, proposalId: string) {
  const spec = stageJobs[stage];
  const data: DecisionJobData = { proposalId };
  const opts: JobsOptions = { jobId: safeJobId(spec.prefix, proposalId), attempts: spec.attempts, backoff: { type: 'exponential', delay: 1000 } };
  return { spec, data, opts };
}

export async function addStageJob(queues: Queues, stage: Stage, proposalId: string): Promise<void> {
  const { spec, data, opts } = stageJob(stage, proposalId);
  await queues.get(spec.queue).add(spec.name, data, opts);
}

/** Queues a verification job for a proposal (idempotent per proposal). */
export async function enqueueVerification(queues: Queues, proposalId: string): Promise<void> {
  await addStageJob(queues, 'verification', proposalId);
}

/**
 * For the resume sweep: makes sure a job works on this stage of the proposal. None → queue
 * one; finished (completed without doing it, or failed for good) → retry it with fresh
 * attempts, a failed one only after `retryFailedAfterMs` so a job that keeps failing is
 * retried at that pace rather than in a hot loop; waiting, delayed or active → live.
 */
export async function ensureStageJob(queues: Queues, stage: Stage, proposalId: string, options: { retryFailedAfterMs: number; now: number }): Promise<'live' | 'queued' | 'retried' | 'held'> {
  const { spec, data, opts } = stageJob(stage, proposalId);
  const queue = queues.get(spec.queue);
  const job = await queue.getJob(opts.jobId ?? '');
  if (!job) {
    await queue.add(spec.name, data, opts);
    return 'queued';
  }
  const state = await job.getState();
  if (state !== 'completed' && state !== 'failed') return 'live';
  if (state === 'failed' && options.now - (job.finishedOn ?? 0) < options.retryFailedAfterMs) return 'held';
  await job.retry(state, { resetAttemptsMade: true, resetAttemptsStarted: true });
  return 'retried';
}
