import * as z from 'zod';
import { renderKubectl } from '../decisions/actions/kubectl.js';
import { describeSweep, gatherEvidence, runAnalyzers, sweep, type GatherTarget, type ProposedAction } from '../analysis/port.js';
import { channelConfigOf, type Config } from '../core/config/load.js';
import type { Incident } from '../core/incident.js';
import type { IncidentStore } from '../core/incident-store.js';
import type { ClusterReader } from '../kube/reader.js';
import type { Logger } from '../shared/logger.js';
import { buildAnswerErrorMessage, buildAnswerMessages, buildAskRootMessage } from './blocks/answer.js';
import { inlineCode, joinMd, md } from '../slack/blocks/mrkdwn.js';
import type { SlackMessenger } from '../slack/messenger.js';
import { describeFailure } from '../slack/failure-text.js';
import { answerQuestion, type AnswerDeps } from './answer.js';
import type { ContextEvent, ContextEventInput, ContextStore, ThreadRef } from './context-store.js';
import { hasWorkloadTarget } from './builtin-answer.js';
import { extractScope } from './scope.js';
import { resolveTarget, subjectOf } from './target.js';

/** Data of a job on the `conversation` queue: one question to answer in one thread. */
export const ConversationJobData = z.object({
  kind: z.enum(['thread_reply', 'mention', 'ask']),
  channel: z.string().min(1),
  user: z.string().min(1),
  text: z.string(),
  /** The question's message ts (thread replies and mentions). */
  ts: z.string().optional(),
  /** Where to answer; absent for `/k8s ask`, whose job opens the thread first. */
  threadTs: z.string().optional(),
  /** `/k8s ask`: Slack's trigger_id, the idempotency key of the root and the answer. */
  triggerId: z.string().optional(),
  cluster: z.string().optional(),
  namespace: z.string().optional(),
});
export type ConversationJobData = z.infer<typeof ConversationJobData>;

/** Proposals Claude made while answering, handed to the decision pipeline. */
export interface SubmitProposalsInput {
  proposals: ProposedAction[];
  incident: Incident | undefined;
  thread: ThreadRef;
  cluster: string;
  /** The asking user: recorded as proposal.requestedBy. */
  requestedBy: string;
  /** The question's id (message ts or ask trigger): proposal ids derive from it. */
  exchangeId: string;
}

export interface ConversationWorkerDeps {
  config: Pick<Config, 'file'>;
  store: ContextStore;
  incidents: Pick<IncidentStore, 'get' | 'getByThread'>;
  messenger: SlackMessenger;
  readerFor: (cluster: string) => ClusterReader | undefined;
  answer: AnswerDeps;
  /**
   * The incident's proposals and their outcomes as context lines, read fresh from the
   * decision store at answer time (so nothing depends on other features having appended them).
   */
  proposalsOf?: (incidentId: string) => Promise<ContextEventInput[]>;
  /** Absent: proposals are named in the answer but not posted for approval. */
  submitProposals?: (input: SubmitProposalsInput) => Promise<void>;
  log: Logger;
  clock: () => number;
}

/**
 * Answers one question: opens the thread for `/k8s ask`, loads the thread's context and
 * incident, works out cluster and namespace, answers (Claude or built-in), posts the answer
 * (idempotently: a retried job never posts twice), hands proposals on, and records the
 * exchange. A failure to answer becomes a visible message in the thread, never silence;
 * a failure to post throws so BullMQ retries.
 */
export async function processConversationJob(deps: ConversationWorkerDeps, raw: unknown): Promise<{ threadTs: string; via: string }> {
  const job = ConversationJobData.parse(raw);
  const log = deps.log.child({ channel: job.channel, ts: job.ts, kind: job.kind });
  const exchangeId = job.ts ?? `ask-${job.triggerId ?? 'unknown'}`;

  let threadTs = job.threadTs;
  if (!threadTs) {
    const root = await deps.messenger.post({
      channel: job.channel,
      message: buildAskRootMessage({ user: job.user, question: job.text }),
      idempotencyKey: `conv-ask-root:${exchangeId}`,
    });
    threadTs = root.ts;
  }
  const thread = { channel: job.channel, threadTs };

  const context = await deps.store.get(thread);
  const incident = context.incidentId ? await deps.incidents.get(context.incidentId) : await deps.incidents.getByThread(job.channel, threadTs);
  if (incident && !context.incidentId) {
    await deps.store.linkIncident(thread, { incidentId: incident.id });
    context.incidentId = incident.id;
  }
  if (incident && deps.proposalsOf) {
    try {
      const at = new Date(deps.clock()).toISOString();
      context.events.push(...(await deps.proposalsOf(incident.id)).map((e) => ({ refs: {}, at, ...e })));
    } catch (err) {
      log.warn({ err: err instanceof Error ? err.message : String(err) }, 'conversation could not read proposals');
    }
  }
  if (job.kind === 'ask') await deps.store.linkIncident(thread, { origin: 'ask', ...scopeFields(job) });
  // A top-level @mention: Deckhand's answer starts this thread, so its follow-ups are questions
  // too. (A mention inside someone else's thread answers that message only.)
  if (job.kind === 'mention' && job.ts === threadTs && !incident && context.origin === undefined) await deps.store.linkIncident(thread, { origin: 'mention' });

  const scope = extractScope(job.text);
  const channelConfig = channelConfigOf(deps.config, job.channel);
  const cluster = scope.cluster ?? job.cluster ?? context.cluster ?? incident?.target.cluster ?? channelConfig.cluster;
  const defaultNamespace = channelConfig.namespaces.length === 1 && channelConfig.namespaces[0] !== '*' ? channelConfig.namespaces[0] : undefined;
  const reader = deps.readerFor(cluster);
  const subject = subjectOf(scope);
  if (job.kind === 'ask' && subject !== undefined) await deps.store.linkIncident(thread, { subject });
  const target = await resolveTarget({
    scope,
    incident,
    subject: context.subject,
    namespace: job.namespace ?? context.namespace ?? incident?.target.namespace ?? defaultNamespace,
    channelNamespaces: channelConfig.namespaces,
    reader,
  });

  if (deps.answer.claude && reader && !context.events.some((e) => e.kind === 'finding')) {
    await recordSeedFindings(deps, thread, context, reader, target, log);
  }

  let answer: Awaited<ReturnType<typeof answerQuestion>>;
  try {
    answer = await answerQuestion(deps.answer, {
      question: job.text,
      user: job.user,
      context,
      incident,
      cluster,
      target,
      reader,
    });
  } catch (err) {
    log.warn({ err: err instanceof Error ? err.message : String(err) }, 'conversation answer failed');
    const message = buildAnswerErrorMessage(describeFailure(err));
    await deps.messenger.post({ channel: job.channel, threadTs, message, idempotencyKey: `conv-answer:${job.channel}:${exchangeId}:0` });
    return { threadTs, via: 'error' };
  }

  const { footer, proposals, via } = answer;
  let answerText = answer.text;
  if (proposals.length > 0 && !deps.submitProposals) {
    // No decision loop in this process: name the suggestions rather than drop them silently.
    const suggested = joinMd(proposals.map((p) => md`• ${inlineCode(renderKubectl(p.action))}`), '\n');
    answerText = md`${answerText}\n\n_Suggested (not posted for approval: the decision loop is not running here):_\n${suggested}`;
  }
  const messages = buildAnswerMessages({ text: answerText, footer });
  for (const [i, message] of messages.entries()) {
    await deps.messenger.post({ channel: job.channel, threadTs, message, idempotencyKey: `conv-answer:${job.channel}:${exchangeId}:${i}` });
  }
  if (proposals.length > 0) {
    if (deps.submitProposals) {
      await deps.submitProposals({ proposals, incident, thread, cluster, requestedBy: job.user, exchangeId });
    } else {
      log.warn({ count: proposals.length }, 'conversation proposals not submitted: no decision loop wired');
    }
  }
  const at = new Date(deps.clock()).toISOString();
  await deps.store.appendExchange(thread, {
    exchangeId,
    question: { role: 'user', text: job.text, user: job.user, at },
    answer: { role: 'assistant', text: answerText, at },
  });
  log.info({ via, threadTs, proposals: proposals.length }, 'conversation answered');
  return { threadTs, via };
}

/**
 * When nothing told this thread what the analysis found (no finding events), runs the
 * built-in analyzers once — over the workload asked about, or a sweep of the namespace (or
 * cluster) — and records what they found, so Claude starts from evidence rather than from
 * tool calls. Best effort: a failure only means a thinner context.
 */
async function recordSeedFindings(
  deps: ConversationWorkerDeps,
  thread: ThreadRef,
  context: { events: ContextEvent[] },
  reader: ClusterReader,
  target: GatherTarget,
  log: Logger,
): Promise<void> {
  try {
    const now = deps.clock();
    const events: ContextEventInput[] = [];
    if (hasWorkloadTarget(target)) {
      const { findings } = runAnalyzers(await gatherEvidence(reader, target), now);
      events.push(...findings.slice(0, 5).map((f) => ({ kind: 'finding' as const, summary: `${f.title}: ${f.summary}`, refs: { analyzer: f.analyzer } })));
      if (events.length === 0) events.push({ kind: 'finding', summary: 'built-in analyzers: no known failure pattern matched', refs: { analyzer: 'none' } });
    } else {
      const report = await sweep(reader, { namespace: target.namespace }, now);
      events.push(...describeSweep(report, now).map((summary) => ({ kind: 'finding' as const, summary, refs: { analyzer: 'sweep' } })));
    }
    const at = new Date(now).toISOString();
    for (const event of events) {
      await deps.store.appendEvent(thread, event);
      context.events.push({ refs: {}, at, ...event });
    }
  } catch (err) {
    log.warn({ err: err instanceof Error ? err.message : String(err) }, 'conversation seed findings failed');
  }
}

function scopeFields(job: ConversationJobData): { cluster?: string; namespace?: string } {
  return { ...(job.cluster ? { cluster: job.cluster } : {}), ...(job.namespace ? { namespace: job.namespace } : {}) };
}
