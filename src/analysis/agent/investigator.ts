import type { Message, MessageParam, Tool, ToolResultBlockParam } from '@anthropic-ai/sdk/resources/messages';
import * as z from 'zod';
import { isAppError } from '../../shared/errors.js';
import type { Logger } from '../../shared/logger.js';
import type { InvestigationInput, InvestigationResult, Investigator } from '../investigator.js';
import { readTools, runReadTool, type ReadTool } from '../tools/index.js';
import type { ProposedAction, TokenUsage } from '../types.js';
import { emptyUsage } from '../types.js';
import type { MessagesApi } from './client.js';
import { buildSeedMessage, systemPrompt } from './prompt.js';
import { ProposeActionInput, proposeActionDescription, proposeActionToolName } from './propose-action.js';
import { defaultRetryOptions, withClaudeRetry, type RetryOptions } from './retry.js';

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
 * Claude as an investigator: a manual tool loop over read-only tools, bounded in steps,
 * tool-output bytes (per call and per incident) and tokens. When a bound is hit it stops
 * and says which. Proposals go through `propose_action`, validated with the catalog's zod
 * schema; invalid ones are answered with an error and reported in the thread.
 */
export function createClaudeInvestigator(deps: ClaudeInvestigatorDeps): Investigator {
  const limits = { ...defaultInvestigatorLimits, ...deps.limits };
  const retry = { ...defaultRetryOptions, ...deps.retry };
  const tools = buildToolDefinitions(readTools);
  const byName = new Map(readTools.map((t) => [t.name, t]));

  return {
    async investigate(input: InvestigationInput): Promise<InvestigationResult> {
      const usage: TokenUsage = emptyUsage();
      const proposals: ProposedAction[] = [];
      const rejected: string[] = [];
      const texts: string[] = [];
      let toolBytes = 0;
      let stopped: string | undefined;
      const messages: MessageParam[] = [{ role: 'user', content: buildSeedMessage(input) }];

      for (let step = 0; ; step++) {
        if (step >= limits.maxSteps) {
          stopped = `step limit (${limits.maxSteps}) reached`;
          break;
        }
        let reply: Message;
        try {
          reply = await withClaudeRetry(
            () =>
              deps.messages.create({
                model: deps.model,
                max_tokens: limits.maxResponseTokens,
                system: [{ type: 'text', text: systemPrompt, cache_control: { type: 'ephemeral' } }],
                tools,
                messages,
              }),
            retry,
          );
        } catch (err) {
          // Nothing learned yet: the caller reports the AI analysis as unavailable.
          if (step === 0) throw err;
          stopped = `Claude stopped answering (${isAppError(err) ? err.message : 'error'})`;
          break;
        }
        addUsage(usage, reply);
        messages.push({ role: 'assistant', content: reply.content });
        for (const block of reply.content) if (block.type === 'text' && block.text.trim() !== '') texts.push(block.text.trim());
        const total = usage.inputTokens + usage.outputTokens + usage.cacheReadTokens + usage.cacheCreationTokens;
        if (reply.stop_reason !== 'tool_use') break;
        if (total >= limits.maxIncidentTokens) {
          stopped = `token budget (${limits.maxIncidentTokens}) used up`;
          break;
        }

        const results: ToolResultBlockParam[] = [];
        for (const block of reply.content) {
          if (block.type !== 'tool_use') continue;
          if (block.name === proposeActionToolName) {
            results.push(handleProposal(block.id, block.input, proposals, rejected, limits.maxProposals));
            continue;
          }
          const tool = byName.get(block.name);
          if (!tool) {
            results.push({ type: 'tool_result', tool_use_id: block.id, is_error: true, content: `unknown tool ${block.name}` });
            continue;
          }
          const room = Math.min(limits.maxToolBytes, limits.maxIncidentToolBytes - toolBytes);
          if (room < 64) {
            stopped = `tool output budget (${limits.maxIncidentToolBytes} bytes) used up`;
            results.push({ type: 'tool_result', tool_use_id: block.id, is_error: true, content: 'tool output budget for this incident is used up' });
            continue;
          }
          const out = await runReadTool(tool, block.input, { reader: input.reader, now: deps.now?.() ?? new Date(), maxBytes: room });
          toolBytes += Buffer.byteLength(out.text, 'utf8');
          results.push({ type: 'tool_result', tool_use_id: block.id, content: out.text, ...(out.ok ? {} : { is_error: true }) });
        }
        messages.push({ role: 'user', content: results });
        if (stopped) break;
      }
      deps.log?.info({ incidentId: input.incident.id, steps: usage.requests, toolBytes, proposals: proposals.length, rejected: rejected.length, stopped }, 'investigation done');
      const text = texts.join('\n\n');
      const result: InvestigationResult = { text: text.length > maxTextChars ? `${text.slice(0, maxTextChars)}…` : text, proposals, rejected, usage };
      if (stopped !== undefined) result.stopped = stopped;
      return result;
    },
  };
}

function handleProposal(id: string, input: unknown, proposals: ProposedAction[], rejected: string[], max: number): ToolResultBlockParam {
  const parsed = ProposeActionInput.safeParse(input);
  if (!parsed.success) {
    const message = z.prettifyError(parsed.error);
    rejected.push(`${describeAttempt(input)}: ${message.replace(/\s*\n\s*/g, '; ')}`.slice(0, 500));
    return { type: 'tool_result', tool_use_id: id, is_error: true, content: `Proposal rejected:\n${message}` };
  }
  if (proposals.length >= max) {
    rejected.push(`${parsed.data.action.type}: more than ${max} proposals`);
    return { type: 'tool_result', tool_use_id: id, is_error: true, content: `At most ${max} proposals per incident.` };
  }
  proposals.push({ action: parsed.data.action, confidence: parsed.data.confidence, rationale: parsed.data.rationale, origin: 'claude' });
  return { type: 'tool_result', tool_use_id: id, content: 'Proposal recorded. Deckhand computes its risk and asks a human to approve it.' };
}

function describeAttempt(input: unknown): string {
  const action = (input as { action?: { type?: unknown } } | null)?.action;
  const type = typeof action?.type === 'string' ? action.type.slice(0, 40) : 'unknown action';
  return `propose_action ${type}`;
}

function addUsage(usage: TokenUsage, reply: Message): void {
  usage.requests += 1;
  usage.inputTokens += reply.usage.input_tokens;
  usage.outputTokens += reply.usage.output_tokens;
  usage.cacheReadTokens += reply.usage.cache_read_input_tokens ?? 0;
  usage.cacheCreationTokens += reply.usage.cache_creation_input_tokens ?? 0;
}

/** Tool definitions with cache_control on the last one, so the whole tool list is cached. */
export function buildToolDefinitions(tools: readonly ReadTool[]): Tool[] {
  const defs: Tool[] = tools.map((t) => ({ name: t.name, description: t.description, input_schema: inputSchema(t.input) }));
  defs.push({ name: proposeActionToolName, description: proposeActionDescription, input_schema: inputSchema(ProposeActionInput) });
  const last = defs[defs.length - 1];
  if (last) last.cache_control = { type: 'ephemeral' };
  return defs;
}

function inputSchema(schema: z.ZodType): Tool['input_schema'] {
  const json = z.toJSONSchema(schema, { io: 'input' }) as Record<string, unknown>;
  delete json.$schema;
  return json as Tool['input_schema'];
}
