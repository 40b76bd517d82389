import type { Action } from '../decisions/actions/catalog.js';
import { renderKubectl } from '../decisions/actions/kubectl.js';
import type { TargetSnapshot } from '../decisions/actions/proposal.js';
import { snapshotTarget } from '../decisions/actions/snapshot.js';
import { createAnthropicMessages } from '../analysis/port.js';
import type { AppContext, Feature } from '../core/feature.js';
import type { DecisionRecord, DecisionsProvider } from '../decisions/port.js';
import { safeJobId } from '../jobs/job-id.js';
import { queueNames } from '../jobs/queues.js';
import type { ClusterReader } from '../kube/reader.js';
import { buildAskRootMessage } from './blocks/answer.js';
import { registerMessageListeners } from './listeners.js';
import type { ClaudeAnswerer } from './answer.js';
import { createClaudeAnswerer } from './claude-answer.js';
import { createContextStore, type ContextEventInput, type ContextStore } from './context-store.js';
import { claimMessage, conversationJobId } from './dedup.js';
import { ConversationJobData, processConversationJob } from './job.js';
import type { AskProvider, AskRequest } from './port.js';
import { createConversationProposalSubmitter } from './proposals.js';

export interface ConversationFeatureOptions {
  /** The decision loop's port: the proposal store (context) and classify + submit (proposals Claude makes while answering). */
  decisions: DecisionsProvider;
  /** Read access per cluster; default: `ctx.clusters.get(name).reader`. */
  readerFor?: (cluster: string) => ClusterReader | undefined;
  /** Claude; default: built from ANTHROPIC_API_KEY / ANTHROPIC_BASE_URL / ANTHROPIC_MODEL when the key is set. */
  claude?: (ctx: AppContext) => ClaudeAnswerer | undefined;
  /** Parallel answers per process. */
  concurrency?: number;
}

export type ConversationFeature = Feature & AskProvider & { contextStore(): ContextStore };

/**
 * Conversation: Bolt listeners for thread replies and mentions, and the `conversation` worker
 * that answers. `/k8s ask` comes in through `ask(ctx)` (the commands feature holds it).
 */
export function createConversationFeature(options: ConversationFeatureOptions): ConversationFeature {
  let wired: ReturnType<typeof wire> | undefined;
  const wire = (ctx: AppContext) => {
    const store = createContextStore({ redis: ctx.redis, keyPrefix: ctx.prefix, clock: ctx.clock });
    const decisions = options.decisions.port(ctx);
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
    const proposalsOf = async (incidentId: string) => (await decisions.store.listByIncident(incidentId)).map(describeProposalRecord);
    return { store, decisions, enqueue, enqueueAsk, proposalsOf };
  };
  const get = (ctx: AppContext) => (wired ??= wire(ctx));

  return {
    name: 'conversation',
    contextStore() {
      if (!wired) throw new Error('conversation feature is not wired yet');
      return wired.store;
    },
    ask: (ctx) => get(ctx).enqueueAsk,
    registerSlack(app, ctx) {
      const { store, enqueue } = get(ctx);
      registerMessageListeners(app, {
        isConversationThread: async (thread) =>
          (await store.isConversationThread(thread)) || (await ctx.incidents.getByThread(thread.channel, thread.threadTs)) !== undefined,
        claim: (message) => claimMessage(ctx.redis, ctx.prefix, message),
        enqueue: (data) => enqueue(data, conversationJobId({ channel: data.channel, ts: data.ts ?? '' })),
        log: ctx.log.child({ component: 'conversation' }),
      });
    },
    start(ctx) {
      const { store, decisions, proposalsOf } = get(ctx);
      const log = ctx.log.child({ component: 'conversation' });
      const claude = options.claude ? options.claude(ctx) : defaultClaude(ctx);
      const submitProposals = createConversationProposalSubmitter({
        pipeline: { classify: decisions.classify, submit: decisions.submit },
        snapshot: defaultSnapshot(ctx),
        clock: ctx.clock,
        ttlMs: ctx.config.file.policy.proposalTtlMinutes * 60_000,
        log,
      });
      const readerFor = options.readerFor ?? defaultReaderFor(ctx);
      const deps = {
        config: ctx.config,
        store,
        incidents: ctx.incidents,
        messenger: ctx.slack,
        readerFor,
        answer: { now: ctx.clock, ...(claude ? { claude } : {}) },
        submitProposals,
        proposalsOf,
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
  return (cluster, action) => snapshotTarget(ctx.clusters.get(cluster).reader, action);
}

/** A cluster the registry does not know has no reader: the answer says so. */
function defaultReaderFor(ctx: AppContext): (cluster: string) => ClusterReader | undefined {
  return (cluster) => {
    try {
      return ctx.clusters.get(cluster).reader;
    } catch {
      return undefined;
    }
  };
}
