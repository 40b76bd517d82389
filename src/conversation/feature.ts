import { createCircuitBreaker } from '../actions/breaker.js';
import type { Action } from '../actions/catalog.js';
import { renderKubectl } from '../actions/kubectl.js';
import type { TargetSnapshot } from '../actions/proposal.js';
import type { DecisionRecord } from '../decisions/proposal-store.js';
import type { AppContext, Feature } from '../app.js';
import { createAuditLog, type AuditLog } from '../audit/audit-log.js';
import type { AskRequest } from '../commands/ports.js';
import { createCommandPorts, type CommandStores } from '../commands/wiring.js';
import { channelConfigOf } from '../config/load.js';
import { createModeStore } from '../control/mode-store.js';
import { createPauseSwitch, pauseKeyOf } from '../control/pause.js';
import { createApproverResolver, slackGroupMembers } from '../decisions/approvers.js';
import { createProposalStore } from '../decisions/proposal-store.js';
import { safeJobId } from '../jobs/job-data.js';
import { queueNames } from '../jobs/queues.js';
import type { ClusterReader } from '../kube/reader.js';
import { buildAskRootMessage } from '../slack/blocks/answer.js';
import { registerCommandListener } from '../slack/listeners/commands.js';
import { registerMessageListeners } from '../slack/listeners/messages.js';
import { createAnthropicMessages } from '../analysis/agent/client.js';
import type { ClaudeAnswerer } from './answer.js';
import { createClaudeAnswerer } from './claude-answer.js';
import { createContextStore, type ContextEventInput, type ContextStore } from './context-store.js';
import { claimMessage, conversationJobId } from './dedup.js';
import { ConversationJobData, processConversationJob } from './job.js';
import { createConversationProposalSubmitter, type ProposalPipeline } from './proposals.js';

/** The decision services this feature uses; src/decisions' DecisionServices satisfies it. */
export type DecisionsLike = Partial<Omit<CommandStores, 'audit' | 'proposals'>> & {
  audit?: AuditLog;
  store?: NonNullable<CommandStores['proposals']>;
} & Partial<ProposalPipeline>;

export interface ConversationFeatureOptions {
  /** Read access per cluster; default: `ctx.clusters.get(name).reader` when the registry has it. */
  readerFor?: (cluster: string) => ClusterReader | undefined;
  /** Claude; default: built from ANTHROPIC_API_KEY / ANTHROPIC_BASE_URL / ANTHROPIC_MODEL when the key is set. */
  claude?: (ctx: AppContext) => ClaudeAnswerer | undefined;
  /**
   * The decision loop's services (src/decisions `createDecisionsFeature().services(ctx)` fits):
   * mode store, pause, breaker, audit, approvers and proposal store for `/k8s`, and
   * classify + submit for proposals Claude makes while answering. Missing stores are built
   * over the same Redis keys; without `submit`, such proposals are only named in the answer.
   */
  decisions?: (ctx: AppContext) => DecisionsLike;
  /** The slash command's name; default `/k8s`. */
  command?: string;
  /** Parallel answers per process. */
  concurrency?: number;
}

/**
 * Conversation and `/k8s`: Bolt listeners for thread replies, mentions and the slash command,
 * and the `conversation` worker that answers. Plug into createDeckhand's `features`.
 */
export function createConversationFeature(options: ConversationFeatureOptions = {}): Feature & { contextStore(): ContextStore } {
  let wired: ReturnType<typeof wire> | undefined;
  const wire = (ctx: AppContext) => {
    const keyPrefix = ctx.prefix;
    const store = createContextStore({ redis: ctx.redis, keyPrefix, clock: ctx.clock });
    const given = options.decisions?.(ctx) ?? {};
    const audit =
      given.audit ??
      createAuditLog({
        redis: ctx.redis,
        key: `${ctx.prefix}:audit`,
        clock: ctx.clock,
        log: ctx.log,
        maxEntries: ctx.config.file.audit.maxEntries,
        retentionDays: ctx.config.file.audit.retentionDays,
      });
    const approvers = given.approvers ?? createApproverResolver({ groupMembers: slackGroupMembers(ctx.slack.web), clock: ctx.clock });
    const stores: CommandStores = {
      audit,
      approvers,
      modes:
        given.modes ??
        createModeStore({
          redis: ctx.redis,
          prefix: ctx.prefix,
          audit,
          approvers,
          channelConfig: (channel) => channelConfigOf(ctx.config, channel),
        }),
      pause:
        given.pause ??
        createPauseSwitch({ redis: ctx.redis, prefix: ctx.prefix, clock: ctx.clock, audit }),
      breaker: given.breaker ?? createCircuitBreaker({ redis: ctx.redis, prefix: ctx.prefix, clock: ctx.clock }),
      // Same key layout as src/decisions/services.ts.
      proposals: given.store ?? createProposalStore({ redis: ctx.redis, prefix: `${ctx.prefix}:decisions`, clock: ctx.clock, pauseKey: pauseKeyOf(ctx.prefix) }),
    };
    const queue = ctx.queues.get(queueNames.conversation);
    const enqueue = async (data: ConversationJobData, jobId: string) => {
      await queue.add('question', ConversationJobData.parse(data), { jobId });
    };
    // The thread root is posted here, right after the ack, so a channel the bot cannot post
    // in is reported to the asker at once (ephemeral) instead of failing later in a job.
    const enqueueAsk = async (ask: AskRequest) => {
      const root = await ctx.slack.post({
        channel: ask.channel,
        message: buildAskRootMessage({ user: ask.user, question: ask.question }),
        idempotencyKey: `conv-ask-root:ask-${ask.triggerId}`,
      });
      const scope = { ...(ask.cluster ? { cluster: ask.cluster } : {}), ...(ask.namespace ? { namespace: ask.namespace } : {}) };
      await store.linkIncident({ channel: ask.channel, threadTs: root.ts }, { origin: 'ask', ...scope });
      await enqueue(
        { kind: 'ask', channel: ask.channel, user: ask.user, text: ask.question, triggerId: ask.triggerId, threadTs: root.ts, ...scope },
        safeJobId('conv', 'ask', ask.triggerId),
      );
    };
    const pipeline = given.classify && given.submit ? { classify: given.classify, submit: given.submit } : undefined;
    const proposalStore = stores.proposals;
    const proposalsOf = proposalStore
      ? async (incidentId: string) => (await proposalStore.listByIncident(incidentId)).map(describeProposalRecord)
      : undefined;
    return { store, stores, enqueue, enqueueAsk, pipeline, proposalsOf };
  };
  const get = (ctx: AppContext) => (wired ??= wire(ctx));

  return {
    name: 'conversation',
    contextStore() {
      if (!wired) throw new Error('conversation feature is not wired yet');
      return wired.store;
    },
    registerSlack(app, ctx) {
      const { store, stores, enqueue, enqueueAsk } = get(ctx);
      const log = ctx.log.child({ component: 'conversation' });
      registerMessageListeners(app, {
        isConversationThread: async (thread) =>
          (await store.isConversationThread(thread)) || (await ctx.incidents.getByThread(thread.channel, thread.threadTs)) !== undefined,
        claim: (message) => claimMessage(ctx.redis, ctx.prefix, message),
        enqueue: (data) => enqueue(data, conversationJobId({ channel: data.channel, ts: data.ts ?? '' })),
        log,
      });
      registerCommandListener(app, { ports: createCommandPorts(ctx, stores, enqueueAsk), log, ...(options.command ? { command: options.command } : {}) });
    },
    start(ctx) {
      const { store, pipeline, proposalsOf } = get(ctx);
      const log = ctx.log.child({ component: 'conversation' });
      const claude = options.claude ? options.claude(ctx) : defaultClaude(ctx);
      const submitProposals = pipeline
        ? createConversationProposalSubmitter({
            pipeline,
            snapshot: defaultSnapshot(ctx),
            clock: ctx.clock,
            ttlMs: ctx.config.file.policy.proposalTtlMinutes * 60_000,
            log,
          })
        : undefined;
      const readerFor = options.readerFor ?? defaultReaderFor(ctx);
      const deps = {
        config: ctx.config,
        store,
        incidents: ctx.incidents,
        messenger: ctx.slack,
        readerFor,
        answer: { now: ctx.clock, ...(claude ? { claude } : {}) },
        ...(submitProposals ? { submitProposals } : {}),
        ...(proposalsOf ? { proposalsOf } : {}),
        log,
        clock: ctx.clock,
      };
      ctx.workers.start(queueNames.conversation, (job) => processConversationJob(deps, job.data), { concurrency: options.concurrency ?? 4 });
    },
  };
}

/** One proposal and its outcome as a context line for the model. */
export function describeProposalRecord(record: DecisionRecord): ContextEventInput {
  const p = record.proposal;
  const decided = record.decidedBy ? ` by ${record.decidedBy}` : record.approvals.length > 0 ? ` by ${record.approvals.map((a) => a.user).join(', ')}` : '';
  const outcome = record.summary ? `; result: ${record.summary}` : '';
  const verified = record.verification ? `; verification: ${record.verification.ok ? 'ok' : 'failed'} (${record.verification.summary})` : '';
  return {
    kind: 'proposal',
    summary: `${renderKubectl(p.action)} — ${p.risk} risk, confidence ${p.confidence.toFixed(2)}, from ${p.origin}${p.requestedBy ? ` (asked by ${p.requestedBy})` : ''}: ${record.status}${decided}${outcome}${verified}`,
    refs: { proposalId: p.id },
  };
}

function defaultClaude(ctx: AppContext): ClaudeAnswerer | undefined {
  const env = ctx.config.env;
  if (!env.ANTHROPIC_API_KEY) return undefined;
  const analysis = ctx.config.file.analysis;
  return createClaudeAnswerer({
    messages: createAnthropicMessages({ apiKey: env.ANTHROPIC_API_KEY, baseURL: env.ANTHROPIC_BASE_URL }),
    model: ctx.config.anthropicModel,
    limits: { maxSteps: Math.min(analysis.maxSteps, 6), maxToolBytes: analysis.maxToolBytes },
    log: ctx.log.child({ component: 'conversation-claude' }),
  });
}

function defaultSnapshot(ctx: AppContext): (cluster: string, action: Action) => Promise<TargetSnapshot | undefined> {
  const registry = ctx.clusters as Partial<{ get: (name: string) => { snapshot?: (action: Action) => Promise<TargetSnapshot | undefined> } }>;
  return async (cluster, action) => {
    if (typeof registry.get !== 'function') return undefined;
    const connection = registry.get(cluster);
    return connection.snapshot ? connection.snapshot(action) : undefined;
  };
}

/** B's registry exposes `get(name).reader`; the app context types it narrowly, so look for it. */
function defaultReaderFor(ctx: AppContext): (cluster: string) => ClusterReader | undefined {
  const registry = ctx.clusters as Partial<{ get: (name: string) => { reader: ClusterReader } }>;
  return (cluster) => {
    if (typeof registry.get !== 'function') return undefined;
    try {
      return registry.get(cluster).reader;
    } catch {
      return undefined;
    }
  };
}
