import type { Redis } from 'ioredis';
import { afterEach, beforeEach } from 'vitest';
import type { Action } from '../../src/decisions/actions/catalog.js';
import { createCircuitBreaker } from '../../src/decisions/breaker.js';
import type { TargetSnapshot } from '../../src/decisions/actions/proposal.js';
import { classifyRisk } from '../../src/decisions/actions/risk.js';
import { createAuditLog } from '../../src/decisions/audit-log.js';
import type { ChannelConfig, Identities, KubeIdentity, RunAs } from '../../src/core/config/file.js';
import type { AccessVerdict } from '../../src/kube/impersonation.js';
import { createRunAsPolicy } from '../../src/decisions/run-as.js';
import { createModeStore } from '../../src/decisions/mode-store.js';
import { createPauseSwitch, pauseKeyOf } from '../../src/decisions/pause.js';
import { createApproverResolver } from '../../src/decisions/approvers.js';
import { type ClickDeps, createClickHandlers } from '../../src/decisions/clicks.js';
import { createExecutionProcessor } from '../../src/decisions/execute/worker.js';
import type { ActionConnection, ExecutionResult, Verdict } from '../../src/decisions/connections.js';
import { createProposalStore } from '../../src/decisions/proposal-store.js';
import type { ClassifyRisk } from '../../src/decisions/submit.js';
import { createVerificationProcessor } from '../../src/decisions/verify/worker.js';
import { createDecisionProcessor } from '../../src/decisions/decision-worker.js';
import { AppError } from '../../src/shared/errors.js';
import { createSilentLogger } from '../../src/shared/logger.js';
import type { PostInput, SlackMessage, SlackMessenger } from '../../src/slack/messenger.js';
import { createTestRedis, uniquePrefix } from '../helpers/redis.js';
import { makeChannel, makeProposal, manualClock } from './fixtures.js';
import type { Proposal } from '../../src/decisions/actions/proposal.js';

/** A SlackMessenger that records what it was asked to do, with the real idempotency rule. */
export function recordingMessenger() {
  const posts: (PostInput & { ts: string })[] = [];
  const updates: { channel: string; ts: string; message: SlackMessage }[] = [];
  const ephemerals: { channel: string; user: string; message: SlackMessage }[] = [];
  const byKey = new Map<string, string>();
  /** Slack down for posts whose key starts with one of these, and for every update while `updates` is set: as after the client's retries. */
  const outage = { posts: [] as string[], updates: false };
  const down = () => Promise.reject(new AppError('upstream', 'slack chat call failed: HTTP 503', { retryable: true }));
  let n = 0;
  const messenger: SlackMessenger = {
    post(input) {
      if (outage.posts.some((prefix) => input.idempotencyKey.startsWith(prefix))) return down();
      const known = byKey.get(input.idempotencyKey);
      if (known) return Promise.resolve({ channel: input.channel, ts: known });
      const ts = `1700000100.${String(++n).padStart(6, '0')}`;
      byKey.set(input.idempotencyKey, ts);
      posts.push({ ...input, ts });
      return Promise.resolve({ channel: input.channel, ts });
    },
    update(input) {
      if (outage.updates) return down();
      updates.push(input);
      return Promise.resolve();
    },
    postEphemeral(input) {
      ephemerals.push(input);
      return Promise.resolve();
    },
  };
  const texts = () => posts.map((p) => p.message.text);
  return { messenger, posts, updates, ephemerals, texts, outage };
}

/** A cluster connection fake: scripted results, and a count of every real (non-dry) run. */
export function fakeConnection(initial?: TargetSnapshot) {
  const state = {
    snapshot: initial,
    dryRun: { ok: true, summary: 'server dry run accepted' } as ExecutionResult,
    realRun: { ok: true, summary: 'scaled deployment/web to 4' } as ExecutionResult,
    verdict: { ok: true, summary: '4/4 replicas ready', evidence: ['deployment/web: 4 ready'] } as Verdict,
    snapshotError: undefined as Error | undefined,
    realRuns: [] as Action[],
    dryRuns: [] as Action[],
    onRealRun: undefined as (() => Promise<void>) | undefined,
    /** What SubjectAccessReviews answer, per Kubernetes user (default: allowed). */
    access: new Map<string, AccessVerdict>(),
    /** The identity each get() asked for, in order (undefined: Deckhand's own). */
    identities: [] as (KubeIdentity | undefined)[],
  };
  const connection: ActionConnection = {
    async execute(action, { dryRun }) {
      if (dryRun) {
        state.dryRuns.push(action);
        return state.dryRun;
      }
      state.realRuns.push(action);
      await state.onRealRun?.();
      return state.realRun;
    },
    verify: () => Promise.resolve(state.verdict),
    snapshot: () => (state.snapshotError ? Promise.reject(state.snapshotError) : Promise.resolve(state.snapshot)),
    reviewAccess: (identity) => Promise.resolve(state.access.get(identity.user) ?? { allowed: true }),
  };
  return { connection, state };
}

export function createHarness(redis: Redis, options: { channel?: Partial<ChannelConfig>; snapshot?: TargetSnapshot; runAs?: RunAs; identities?: Partial<Identities> } = {}) {
  const prefix = uniquePrefix('dec');
  const clock = manualClock(Date.now());
  const log = createSilentLogger();
  const channel = makeChannel(options.channel);
  const channelConfig = (id: string) => (id === 'C0OPS' ? { ...channel, configured: true } : { ...makeChannel({ mode: 'plan', namespaces: [] }), configured: false });
  const audit = createAuditLog({ redis, key: `${prefix}:audit`, clock: clock.now, log, maxEntries: 10_000, retentionDays: 30 });
  const store = createProposalStore({ redis, prefix, clock: clock.now, pauseKey: pauseKeyOf(prefix) });
  const pause = createPauseSwitch({ redis, prefix, clock: clock.now, audit });
  const approvers = createApproverResolver({ groupMembers: () => Promise.resolve(['UGROUPIE']), clock: clock.now });
  const modes = createModeStore({ redis, prefix, audit, approvers, channelConfig });
  const breaker = createCircuitBreaker({ redis, prefix, clock: clock.now });
  const slack = recordingMessenger();
  const cluster = fakeConnection(options.snapshot ?? { kind: 'Deployment', namespace: 'shop', name: 'web', generation: 3, resourceVersion: '100', current: { replicas: 2 } });
  // The queues, as BullMQ's deterministic job ids make them: one job per proposal and stage.
  const executions: string[] = [];
  const verifications: string[] = [];
  const decisions: string[] = [];
  const analyses: string[] = [];
  const queueOnce = (list: string[], id: string) => {
    if (!list.includes(id)) list.push(id);
    return Promise.resolve();
  };
  /**
   * `inline`: a queued decision job runs at once (most tests); false: it waits for `h.decide`.
   * `failVerification`: queueing a verification throws it (the process dies there).
   */
  const queue = { inline: true, failVerification: undefined as Error | undefined };
  const classify: ClassifyRisk = (action, input) =>
    classifyRisk(action, { cluster: input.cluster, channel, protectedNamespaces: [], deny: [], target: input.target });
  const deps: ClickDeps = {
    store,
    audit,
    messenger: slack.messenger,
    approvers,
    modes,
    pause,
    breaker,
    connections: {
      get: (_cluster: string, as?: KubeIdentity) => {
        cluster.state.identities.push(as);
        return cluster.connection;
      },
    },
    runAs: createRunAsPolicy({
      mode: options.runAs ?? 'bot',
      identities: { users: {}, groups: {}, ...options.identities },
      inGroup: (group, user) => approvers.inGroup(group, user),
      membersOf: (group) => approvers.membersOf(group),
      reviewAccess: (_cluster, identity, permissions) => cluster.connection.reviewAccess(identity, permissions),
    }),
    channelConfig,
    classify,
    enqueueExecution: (id) => queueOnce(executions, id),
    enqueueDecision: async (id) => {
      await queueOnce(decisions, id);
      if (queue.inline) await decide({ id: `decision-${id}`, data: { proposalId: id } });
    },
    enqueueAnalysis: ({ incidentId }) => {
      analyses.push(incidentId);
      return Promise.resolve();
    },
    clock: clock.now,
    log,
    proposalTtlMs: 30 * 60_000,
  };
  const clicks = createClickHandlers(deps);
  const decide = createDecisionProcessor(deps);
  const execute = createExecutionProcessor({
    ...deps,
    breaker,
    enqueueVerification: (id) => (queue.failVerification ? Promise.reject(queue.failVerification) : queueOnce(verifications, id)),
  });
  const verify = createVerificationProcessor({ ...deps, breaker, timeoutMs: 1000, settleMs: 0 });
  const job = (proposalId: string, attemptsMade = 0) => ({ id: `job-${proposalId}`, data: { proposalId }, attemptsMade, opts: { attempts: 5 } });
  /** A proposal made "now" by the harness clock. */
  const proposal = (overrides: Partial<Proposal> = {}) =>
    makeProposal({ createdAt: new Date(clock.now()).toISOString(), expiresAt: new Date(clock.now() + 30 * 60_000).toISOString(), ...overrides });
  return {
    proposal,
    prefix,
    clock,
    channel,
    audit,
    store,
    pause,
    modes,
    breaker,
    approvers,
    slack,
    cluster,
    deps,
    clicks,
    decide,
    execute,
    verify,
    job,
    queue,
    executions,
    verifications,
    decisions,
    analyses,
  };
}

/** The action ids of a message's buttons, in order. */
export const buttonsOf = (message: SlackMessage | undefined) =>
  (message?.blocks ?? []).flatMap((b) => (b.type === 'actions' ? b.elements.map((e) => ('action_id' in e ? e.action_id : undefined)) : []));

export type Harness = ReturnType<typeof createHarness>;

/**
 * A fresh Redis connection and harness for every test of the calling `describe`, closed after
 * it: `take` receives both (a test may then build another harness on the same Redis).
 */
export function useHarness(take: (redis: Redis, h: Harness) => void, options?: Parameters<typeof createHarness>[1]): void {
  let redis: Redis | undefined;
  beforeEach(() => {
    redis = createTestRedis();
    take(redis, createHarness(redis, options));
  });
  afterEach(async () => {
    await redis?.quit();
  });
}
