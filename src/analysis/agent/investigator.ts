import type { Logger } from '../../shared/logger.js';
import type { InvestigationInput, InvestigationResult, Investigator } from '../investigator.js';
import { readTools } from '../tools/index.js';
import type { MessagesApi } from './client.js';
import { runToolLoop } from './loop.js';
import { buildSeedMessage, systemPrompt } from './prompt.js';
import { defaultRetryOptions, type RetryOptions } from './retry.js';

export interface InvestigatorLimits {
  /** Model requests per incident. */
  maxSteps: number;
  /** Bytes of one tool result. */
  maxToolBytes: number;
  /** Bytes of all tool results of one incident. */
  maxIncidentToolBytes: number;
  /** Tokens (input + output + cache) of one incident. */
  maxIncidentTokens: number;
  /** max_tokens of each response. */
  maxResponseTokens: number;
  /** propose_action calls accepted per incident. */
  maxProposals: number;
}

export const defaultInvestigatorLimits: InvestigatorLimits = {
  maxSteps: 8,
  maxToolBytes: 16_384,
  maxIncidentToolBytes: 65_536,
  maxIncidentTokens: 60_000,
  maxResponseTokens: 2048,
  maxProposals: 3,
};

export interface ClaudeInvestigatorDeps {
  messages: MessagesApi;
  model: string;
  limits?: Partial<InvestigatorLimits>;
  retry?: Partial<RetryOptions>;
  log?: Logger;
  now?: () => Date;
}

const maxTextChars = 8000;

/**
 * Claude as an investigator: the shared tool loop (src/analysis/agent/loop.ts) over the
 * read-only tools, bounded per incident. When a bound is hit it stops and says which; a
 * model failure after the first answer keeps what was learned. Invalid proposals are
 * answered with an error and reported in the thread.
 */
export function createClaudeInvestigator(deps: ClaudeInvestigatorDeps): Investigator {
  const limits = { ...defaultInvestigatorLimits, ...deps.limits };
  const retry = { ...defaultRetryOptions, ...deps.retry };

  return {
    async investigate(input: InvestigationInput): Promise<InvestigationResult> {
      const loop = await runToolLoop({
        messages: deps.messages,
        model: deps.model,
        system: systemPrompt,
        readTools,
        reader: input.reader,
        initialMessages: [{ role: 'user', content: buildSeedMessage(input) }],
        limits: {
          maxSteps: limits.maxSteps,
          maxToolBytes: limits.maxToolBytes,
          maxTotalToolBytes: limits.maxIncidentToolBytes,
          maxTokens: limits.maxIncidentTokens,
          maxResponseTokens: limits.maxResponseTokens,
          maxProposals: limits.maxProposals,
        },
        retry,
        now: deps.now,
        unit: 'incident',
        keepPartialOnError: true,
      });
      const { proposals, rejected, usage, stopped } = loop;
      deps.log?.info({ incidentId: input.incident.id, steps: loop.steps, toolBytes: loop.toolBytes, proposals: proposals.length, rejected: rejected.length, stopped }, 'investigation done');
      const text = loop.texts.join('\n\n');
      const result: InvestigationResult = { text: text.length > maxTextChars ? `${text.slice(0, maxTextChars)}…` : text, proposals, rejected, usage };
      if (stopped !== undefined) result.stopped = stopped;
      return result;
    },
  };
}
