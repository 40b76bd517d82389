import { runToolLoop, totalTokens, defaultRetryOptions, readTools, systemPrompt, type MessagesApi, type ToolLoopLimits, type RetryOptions } from '../analysis/port.js';
import type { Logger } from '../shared/logger.js';
import { redactText } from '../shared/redact.js';
import type { ClaudeAnswerer, ClaudeQuestion } from './answer.js';

export type ConversationLimits = ToolLoopLimits;

export const defaultConversationLimits: ConversationLimits = {
  maxSteps: 6,
  maxToolBytes: 16_384,
  maxTotalToolBytes: 49_152,
  maxTokens: 50_000,
  maxResponseTokens: 1500,
  maxProposals: 2,
};

/**
 * The investigator's system prompt (src/analysis/agent/prompt.ts): with the same tools it makes
 * the same cached head, so a follow-up reads it from the cache the investigation wrote.
 */
export const conversationSystemPrompt = systemPrompt;

export interface ClaudeAnswererDeps {
  messages: MessagesApi;
  model: string;
  limits?: Partial<ConversationLimits>;
  retry?: Partial<RetryOptions>;
  log?: Logger;
  now?: () => Date;
}

/** The first user message: the thread's context, then the question. Redacted. */
export function buildQuestionMessage(input: Pick<ClaudeQuestion, 'contextText' | 'question' | 'user' | 'cluster' | 'namespace'>): string {
  const scope = `Cluster: ${input.cluster}${input.namespace ? `, namespace: ${input.namespace}` : ''}.`;
  return redactText(
    ['Task: answer a question in an incident thread.', `<thread_context>\n${input.contextText}\n</thread_context>`, scope, `Question from <@${input.user}>:\n${input.question}`].join('\n\n'),
  );
}

/**
 * Claude answering one question in a thread: the shared tool loop (src/analysis/agent/loop.ts)
 * over the analysis's read-only tools (offered only with a cluster reader) plus propose_action.
 * Bounded in steps, tool bytes and tokens; the answer says so when a bound stops it.
 */
export function createClaudeAnswerer(deps: ClaudeAnswererDeps): ClaudeAnswerer {
  const limits = { ...defaultConversationLimits, ...deps.limits };
  const retry = { ...defaultRetryOptions, ...deps.retry };

  return {
    async answer(input) {
      const loop = await runToolLoop({
        messages: deps.messages,
        model: deps.model,
        system: conversationSystemPrompt,
        readTools,
        reader: input.reader,
        initialMessages: [{ role: 'user', content: buildQuestionMessage(input) }],
        limits,
        retry,
        now: deps.now,
        unit: 'answer',
        keepPartialOnError: false,
      });
      const { proposals, stopped } = loop;
      deps.log?.info({ steps: loop.steps, toolBytes: loop.toolBytes, tokens: totalTokens(loop.usage), proposals: proposals.length, stopped }, 'conversation answer done');
      const text = loop.texts.join('\n\n') || '_(Claude returned no text.)_';
      return { text: stopped ? `${text}\n\n_Stopped early: ${stopped}._` : text, proposals, usage: loop.usage };
    },
  };
}
