import Anthropic from '@anthropic-ai/sdk';
import type { Message, MessageCreateParamsNonStreaming } from '@anthropic-ai/sdk/resources/messages';

/** The one Anthropic call the investigator makes; `client.messages` satisfies it. */
export interface MessagesApi {
  create(params: MessageCreateParamsNonStreaming, options?: { timeout?: number; maxRetries?: number }): Promise<Message>;
}

export interface AnthropicClientOptions {
  apiKey: string;
  baseURL?: string | undefined;
  /** SDK retries (429 / 5xx / connection errors, honouring retry-after). */
  maxRetries?: number;
  timeoutMs?: number;
}

/** An Anthropic Messages client from config (never from ambient env: tests pass everything). */
export function createAnthropicMessages(options: AnthropicClientOptions): MessagesApi {
  const client = new Anthropic({
    apiKey: options.apiKey,
    ...(options.baseURL === undefined ? {} : { baseURL: options.baseURL }),
    maxRetries: options.maxRetries ?? 2,
    timeout: options.timeoutMs ?? 60_000,
  });
  return client.messages;
}
