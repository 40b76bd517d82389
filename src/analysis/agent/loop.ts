import type { Message, MessageParam, ToolResultBlockParam } from '@anthropic-ai/sdk/resources/messages';
import * as z from 'zod';
import type { ClusterReader } from '../../kube/reader.js';
import { isAppError } from '../../shared/errors.js';
import { redactText } from '../../shared/redact.js';
import { runReadTool, type ReadTool } from '../tools/index.js';
import type { ProposedAction, TokenUsage } from '../types.js';
import { emptyUsage } from '../types.js';
import type { MessagesApi } from './client.js';
import { ProposeActionInput, proposeActionToolName } from './propose-action.js';
import { buildToolDefinitions } from './tool-schemas.js';

export { buildToolDefinitions } from './tool-schemas.js';
import { withClaudeRetry, type RetryOptions } from './retry.js';

export interface ToolLoopLimits {
  /** Model requests. */
  maxSteps: number;
  /** Bytes of one tool result. */
  maxToolBytes: number;
  /** Bytes of all tool results of the loop. */
  maxTotalToolBytes: number;
  /** Tokens (input + output + cache) of the loop. */
  maxTokens: number;
  /** max_tokens of each response. */
  maxResponseTokens: number;
  /** propose_action calls accepted. */
  maxProposals: number;
}

export interface ToolLoopInput {
  messages: MessagesApi;
  model: string;
  /** Stable system prompt (sent with cache_control). */
  system: string;
  /** Read tools offered and dispatched; none when there is no reader. propose_action is always offered. */
  readTools: readonly ReadTool[];
  reader: ClusterReader | undefined;
  initialMessages: MessageParam[];
  limits: ToolLoopLimits;
  retry: RetryOptions;
  now?: (() => Date) | undefined;
  /** What one loop is, in the model-facing refusals ("per incident", "per answer"). */
  unit: string;
  /**
   * When a request after the first fails for good: true stops the loop and returns what was
   * learned (with `stopped` saying why); false throws. The first request's failure always throws.
   */
  keepPartialOnError: boolean;
}

export interface ToolLoopResult {
  /** Non-empty text blocks of every response, trimmed, in order. */
  texts: string[];
  /** Valid catalog proposals (risk not yet computed). */
  proposals: ProposedAction[];
  /** Why each refused propose_action call was refused. */
  rejected: string[];
  usage: TokenUsage;
  /** Set when a bound (or a late model failure) stopped the loop: which one. */
  stopped?: string;
  /** Model requests answered. */
  steps: number;
  /** Bytes of tool output sent back to the model. */
  toolBytes: number;
}

/** Below this many bytes of room a tool result is useless: the budget counts as used up. */
const minToolRoom = 64;

/**
 * Claude's manual tool loop, shared by the incident investigator and the thread answerer:
 * bounded in steps, tool-output bytes (per call and in total) and tokens, saying which bound
 * stopped it. Read tools run redacted and byte-bounded; `propose_action` is validated with
 * the catalog's zod schema and refused (to the model, and in `rejected`) when invalid.
 */
export async function runToolLoop(input: ToolLoopInput): Promise<ToolLoopResult> {
  const { limits } = input;
  const offered = input.reader ? input.readTools : [];
  const tools = buildToolDefinitions(offered);
  const byName = new Map(offered.map((t) => [t.name, t]));
  // Content as blocks from the start, so the seed is byte-identical whether or not it carries the breakpoint.
  // Every path to Claude passes here: the system prompt and the seed (incident, findings, the
  // thread's context, a user's question) are masked once more, whoever built them; tool
  // results are masked by runReadTool. redactText is idempotent, so the cache prefix is stable.
  const system = redactText(input.system);
  const messages: MessageParam[] = input.initialMessages.map(asBlocks).map(redactSeed);
  const result: ToolLoopResult = { texts: [], proposals: [], rejected: [], usage: emptyUsage(), steps: 0, toolBytes: 0 };
  let stopped: string | undefined;

  for (let step = 0; ; step++) {
    if (step >= limits.maxSteps) {
      stopped = `step limit (${limits.maxSteps}) reached`;
      break;
    }
    let reply: Message;
    try {
      reply = await withClaudeRetry(
        () =>
          input.messages.create({
            model: input.model,
            max_tokens: limits.maxResponseTokens,
            system: [{ type: 'text', text: system, cache_control: { type: 'ephemeral' } }],
            tools,
            messages: withNewestBreakpoint(messages),
          }),
        input.retry,
      );
    } catch (err) {
      // Nothing learned yet: the caller reports Claude as unavailable.
      if (step === 0 || !input.keepPartialOnError) throw err;
      stopped = `Claude stopped answering (${isAppError(err) ? err.message : 'error'})`;
      break;
    }
    result.steps += 1;
    addUsage(result.usage, reply);
    messages.push({ role: 'assistant', content: reply.content });
    for (const block of reply.content) if (block.type === 'text' && block.text.trim() !== '') result.texts.push(block.text.trim());
    if (reply.stop_reason !== 'tool_use') break;
    if (totalTokens(result.usage) >= limits.maxTokens) {
      stopped = `token budget (${limits.maxTokens}) used up`;
      break;
    }

    const results: ToolResultBlockParam[] = [];
    for (const block of reply.content) {
      if (block.type !== 'tool_use') continue;
      if (block.name === proposeActionToolName) {
        results.push(handleProposal(block.id, block.input, result, limits.maxProposals, input.unit));
        continue;
      }
      const tool = byName.get(block.name);
      if (!tool || !input.reader) {
        results.push({ type: 'tool_result', tool_use_id: block.id, is_error: true, content: `unknown tool ${block.name}` });
        continue;
      }
      const room = Math.min(limits.maxToolBytes, limits.maxTotalToolBytes - result.toolBytes);
      if (room < minToolRoom) {
        stopped = `tool output budget (${limits.maxTotalToolBytes} bytes) used up`;
        results.push({ type: 'tool_result', tool_use_id: block.id, is_error: true, content: `tool output budget for this ${input.unit} is used up` });
        continue;
      }
      const out = await runReadTool(tool, block.input, { reader: input.reader, now: input.now?.() ?? new Date(), maxBytes: room });
      result.toolBytes += Buffer.byteLength(out.text, 'utf8');
      results.push({ type: 'tool_result', tool_use_id: block.id, content: out.text, ...(out.ok ? {} : { is_error: true }) });
    }
    messages.push({ role: 'user', content: results });
    if (stopped) break;
    // A turn of nothing but accepted proposals is the model's conclusion: what it said beside
    // them is the summary. Another request would only re-read the whole conversation to say
    // so. A refused proposal goes back to the model, which may correct it.
    if (onlyProposals(reply) && results.every((r) => r.is_error !== true)) break;
  }
  if (stopped !== undefined) result.stopped = stopped;
  return result;
}

/**
 * The conversation as sent: a copy whose newest block (the last block of the last user
 * message: the seed, then each turn's last tool_result) carries the one moving cache
 * breakpoint, so each request reads the previous request's prefix from the cache and writes
 * the new turn. Earlier messages are never marked (with system and tools: 3 breakpoints of
 * the API's 4). String content is sent as one text block; empty content is not marked.
 */
export function withNewestBreakpoint(messages: readonly MessageParam[]): MessageParam[] {
  const out = [...messages];
  const at = out.findLastIndex((m) => m.role === 'user');
  const message = out[at];
  if (message?.role !== 'user') return out;
  const { content } = asBlocks(message);
  if (typeof content === 'string') return out;
  const last = content[content.length - 1];
  // Thinking blocks cannot carry a breakpoint (and never end a user message).
  if (!last || last.type === 'thinking' || last.type === 'redacted_thinking') return out;
  out[at] = { role: 'user', content: [...content.slice(0, -1), { ...last, cache_control: { type: 'ephemeral' } }] };
  return out;
}

/** A non-empty string content as one text block (the same prompt to the API, and markable). */
function asBlocks<M extends MessageParam>(message: M): M {
  if (typeof message.content !== 'string' || message.content === '') return message;
  return { ...message, content: [{ type: 'text', text: message.content }] };
}

/** A seed message with its text masked (text blocks and tool results; images and tool calls as they are). */
function redactSeed<M extends MessageParam>(message: M): M {
  if (typeof message.content === 'string') return { ...message, content: redactText(message.content) };
  const content = message.content.map((block) => {
    if (block.type === 'text') return { ...block, text: redactText(block.text) };
    if (block.type === 'tool_result' && typeof block.content === 'string') return { ...block, content: redactText(block.content) };
    return block;
  });
  return { ...message, content };
}

function onlyProposals(reply: Message): boolean {
  const calls = reply.content.filter((b) => b.type === 'tool_use');
  return calls.length > 0 && calls.every((b) => b.name === proposeActionToolName);
}

/** Input + output + cache tokens. */
export function totalTokens(usage: TokenUsage): number {
  return usage.inputTokens + usage.outputTokens + usage.cacheReadTokens + usage.cacheCreationTokens;
}

function handleProposal(id: string, input: unknown, into: Pick<ToolLoopResult, 'proposals' | 'rejected'>, max: number, unit: string): ToolResultBlockParam {
  const parsed = ProposeActionInput.safeParse(input);
  if (!parsed.success) {
    const message = z.prettifyError(parsed.error);
    into.rejected.push(`${describeAttempt(input)}: ${message.replace(/\s*\n\s*/g, '; ')}`.slice(0, 500));
    return { type: 'tool_result', tool_use_id: id, is_error: true, content: `Proposal rejected:\n${message}` };
  }
  if (into.proposals.length >= max) {
    into.rejected.push(`${parsed.data.action.type}: more than ${max} proposals`);
    return { type: 'tool_result', tool_use_id: id, is_error: true, content: `At most ${max} proposals per ${unit}.` };
  }
  into.proposals.push({ action: parsed.data.action, confidence: parsed.data.confidence, rationale: parsed.data.rationale, origin: 'claude' });
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
