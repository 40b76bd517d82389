import type * as AnthropicModule from '@anthropic-ai/sdk';
import type { Message, MessageCreateParamsNonStreaming } from '@anthropic-ai/sdk/resources/messages';
import { AppError } from '../../shared/errors.js';

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

export type AnthropicSdk = typeof AnthropicModule;

let sdk: Promise<AnthropicSdk> | undefined;

/**
 * The Anthropic SDK, imported at the first Claude call rather than at start-up: a process
 * that never calls Claude (no ANTHROPIC_API_KEY, a `web` process, an idle one) does not hold
 * its ~250 modules (README "Performance"). A failed import is an AppError that says so, on
 * every call that meets it.
 */
export function loadAnthropicSdk(): Promise<AnthropicSdk> {
  sdk ??= import('@anthropic-ai/sdk').catch((err: unknown) => {
    sdk = undefined;
    throw new AppError('internal', `the Anthropic SDK (@anthropic-ai/sdk) could not be loaded: ${err instanceof Error ? err.message : String(err)}`, {
      cause: err,
      retryable: false,
    });
  });
  return sdk;
}

/** An Anthropic Messages client from config (never from ambient env: tests pass everything); the SDK loads on its first call. */
export function createAnthropicMessages(options: AnthropicClientOptions): MessagesApi {
  let messages: Promise<MessagesApi> | undefined;
  const client = async (): Promise<MessagesApi> => {
    const { default: Anthropic } = await loadAnthropicSdk();
    return new Anthropic({
      apiKey: options.apiKey,
      ...(options.baseURL === undefined ? {} : { baseURL: options.baseURL }),
      maxRetries: options.maxRetries ?? 2,
      timeout: options.timeoutMs ?? 60_000,
    }).messages;
  };
  return {
    async create(params, requestOptions) {
      messages ??= client().catch((err: unknown) => {
        messages = undefined;
        throw err;
      });
      return (await messages).create(params, requestOptions);
    },
  };
}
