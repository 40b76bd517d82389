import type { JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import { createCircuitBreaker, type CircuitBreaker } from '../actions/breaker.js';
import type { Proposal } from '../actions/proposal.js';
import { classifyRisk } from '../actions/risk.js';
import { createAuditLog, type AuditLog } from '../audit/audit-log.js';
import { channelConfigOf, type Config } from '../config/load.js';
import { createModeStore, type ModeStore } from '../control/mode-store.js';
import { createPauseSwitch, pauseKeyOf, type PauseSwitch } from '../control/pause.js';
import { type AnalysisJobData, safeJobId } from '../jobs/job-data.js';
import { queueNames } from '../jobs/queues.js';
import type { Queues } from '../jobs/registry.js';
import type { Clock } from '../shared/clock.js';
import type { Logger } from '../shared/logger.js';
import type { SlackMessenger } from '../slack/messenger.js';
import { createApproverResolver, type ApproverResolver, type GroupMembers } from './approvers.js';
import { createClickHandlers, type ClickDeps, type ClickHandlers } from './clicks.js';
import type { DecisionJobData } from './decision-worker.js';
import type { ExecutionJobData } from './execution-worker.js';
import type { Stage } from './outcome.js';
import type { RenderProposal } from './messages.js';
import type { ActionConnections } from './ports.js';
import { createProposalStore, type ProposalStore } from './proposal-store.js';
import { type ClassifyRisk, type SubmitOutcome, submitProposal } from './submit.js';
import type { VerificationJobData } from './verification-worker.js';

export interface DecisionServicesInput {
  config: Config;
  log: Logger;
  clock: Clock;
  redis: Redis;
  prefix: string;
  queues: Queues;
  messenger: SlackMessenger;
  connections: ActionConnections;
  /** usergroups.users.list, e.g. via the Slack client's `call`. */
  groupMembers: GroupMembers;
  renderProposal?: RenderProposal;
}

export interface DecisionServices {
  store: ProposalStore;
  audit: AuditLog;
  pause: PauseSwitch;
  modes: ModeStore;
  breaker: CircuitBreaker;
  approvers: ApproverResolver;
  clicks: ClickHandlers;
  classify: ClassifyRisk;
  /** Everything the click core and the workers share. */
  deps: ClickDeps;
  /** Store, then yolo / buttons / show by the channel's mode, posting the message itself. */
  submit: (proposal: Proposal) => Promise<SubmitOutcome>;
}

/** Builds the decision loop's stores and core over the app's Redis, queues and Slack client. */
export function createDecisionServices(input: DecisionServicesInput): DecisionServices {
  const { config, log, clock, redis, prefix } = input;
  const channelConfig = (channel: string) => channelConfigOf(config, channel);
  const audit = createAuditLog({
    redis,
    key: `${prefix}:audit`,
    clock,
    log,
    maxEntries: config.file.audit.maxEntries,
    retentionDays: config.file.audit.retentionDays,
  });
  const store = createProposalStore({ redis, prefix: `${prefix}:decisions`, clock, pauseKey: pauseKeyOf(prefix) });
  const pause = createPauseSwitch({ redis, prefix, clock, audit });
  const approvers = createApproverResolver({ groupMembers: input.groupMembers, clock });
  const modes = createModeStore({ redis, prefix, audit, approvers, channelConfig });
  const breaker = createCircuitBreaker({ redis, prefix, clock });
  const classify: ClassifyRisk = (action, { cluster, channel, target }) =>
    classifyRisk(action, {
      cluster,
      channel: channelConfig(channel),
      protectedNamespaces: [...config.file.policy.protectedNamespaces, ...(config.file.clusters[cluster]?.protectedNamespaces ?? [])],
      deny: config.file.policy.deny,
      target,
    });
  const deps: ClickDeps = {
    store,
    audit,
    messenger: input.messenger,
    approvers,
    modes,
    pause,
    breaker,
    connections: input.connections,
    channelConfig,
    classify,
    clock,
    log: log.child({ feature: 'decisions' }),
    proposalTtlMs: config.file.policy.proposalTtlMinutes * 60_000,
    ...(input.renderProposal ? { renderProposal: input.renderProposal } : {}),
    enqueueExecution: (proposalId) => addStageJob(input.queues, 'execution', proposalId),
    enqueueDecision: (proposalId) => addStageJob(input.queues, 'decision', proposalId),
    async enqueueAnalysis({ incidentId, reason }) {
      const data: AnalysisJobData = { incidentId };
      await input.queues.get(queueNames.analysis).add('analyze', data, { jobId: safeJobId('analysis', incidentId, reason) });
    },
  };
  return {
    store,
    audit,
    pause,
    modes,
    breaker,
    approvers,
    classify,
    deps,
    clicks: createClickHandlers(deps),
    submit: (proposal) => submitProposal(deps, proposal, { allowAuto: true }),
  };
}

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
  const data: DecisionJobData & ExecutionJobData & VerificationJobData = { proposalId };
  const opts: JobsOptions = { jobId: safeJobId(spec.prefix, proposalId), attempts: spec.attempts, backoff: { type: 'exponential', delay: 1000 } };
  return { spec, data, opts };
}

async function addStageJob(queues: Queues, stage: Stage, proposalId: string): Promise<void> {
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
