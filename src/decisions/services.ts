import type { Redis } from 'ioredis';
import { createCircuitBreaker, type CircuitBreaker } from './breaker.js';
import type { Proposal } from './actions/proposal.js';
import { classifyRisk } from './actions/risk.js';
import { createAuditLog, type AuditLog } from './audit-log.js';
import { channelConfigOf, type Config } from '../core/config/load.js';
import { createModeStore, type ModeStore } from './mode-store.js';
import { createPauseSwitch, pauseKeyOf, type PauseSwitch } from './pause.js';
import type { Queues } from '../jobs/registry.js';
import type { Clock } from '../shared/clock.js';
import type { Logger } from '../shared/logger.js';
import type { SlackMessenger } from '../slack/messenger.js';
import { createApproverResolver, type ApproverResolver, type GroupMembers } from './approvers.js';
import { createClickHandlers, type ClickDeps, type ClickHandlers, type ClickResult } from './clicks.js';
import { approveAll, offerApproveAll } from './approve-all.js';
import { addStageJob } from './stage-jobs.js';
import type { ActionConnections } from './connections.js';
import { createProposalStore, type ProposalStore } from './proposal-store.js';
import { type ClassifyRisk, type SubmitOutcome, submitProposal } from './submit.js';
import type { DecisionLoopMetrics } from '../metrics/metrics.js';
import { createRunAsPolicy, type RunAsPolicy } from './run-as.js';

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
  /** A fresh analysis of an incident (the analysis stage's entry, through the declared port). */
  requestAnalysis: (incidentId: string, reason: string) => Promise<void>;
  metrics?: DecisionLoopMetrics;
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
  runAs: RunAsPolicy;
  /** Everything the click core and the workers share. */
  deps: ClickDeps;
  /** Store, then yolo / buttons / show by the channel's mode, posting the message itself. */
  submit: (proposal: Proposal) => Promise<SubmitOutcome>;
  /** After a batch of proposals: "Approve all" in the thread when two or more await approval. */
  offerApproveAll: (incidentId: string) => Promise<number>;
  approveAll: (input: { incidentId: string; user: string; channel: string }) => Promise<ClickResult>;
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
  const runAs = createRunAsPolicy({
    mode: config.file.execution.runAs,
    identities: config.file.identities,
    inGroup: (group, user) => approvers.inGroup(group, user),
    membersOf: (group) => approvers.membersOf(group),
    reviewAccess: async (cluster, identity, permissions) => (await input.connections.get(cluster)).reviewAccess(identity, permissions),
  });
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
    runAs,
    ...(input.metrics ? { metrics: input.metrics } : {}),
    enqueueExecution: (proposalId) => addStageJob(input.queues, 'execution', proposalId),
    enqueueDecision: (proposalId) => addStageJob(input.queues, 'decision', proposalId),
    enqueueAnalysis: ({ incidentId, reason }) => input.requestAnalysis(incidentId, reason),
  };
  const clicks = createClickHandlers(deps);
  const approveAllDeps = { store, messenger: input.messenger, clock, approve: (click: Parameters<ClickHandlers['approve']>[0]) => clicks.approve(click) };
  return {
    store,
    audit,
    pause,
    modes,
    breaker,
    approvers,
    classify,
    runAs,
    deps,
    clicks,
    submit: (proposal) => submitProposal(deps, proposal, { allowAuto: true }),
    offerApproveAll: (incidentId) => offerApproveAll(approveAllDeps, incidentId),
    approveAll: (click) => approveAll(approveAllDeps, click),
  };
}
