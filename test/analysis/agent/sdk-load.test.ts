import { afterEach, describe, expect, it, vi } from 'vitest';
import type { MessageCreateParamsNonStreaming } from '@anthropic-ai/sdk/resources/messages';

/**
 * The Anthropic SDK is imported at the first Claude call, not when the product starts
 * (README "Performance": a process that never calls Claude does not hold it), and a failed
 * import is a clear, final error. A fresh module graph per test: the SDK is a stand-in whose
 * factory runs when something imports it.
 */
afterEach(() => {
  vi.doUnmock('@anthropic-ai/sdk');
  vi.resetModules();
});

const params: MessageCreateParamsNonStreaming = { model: 'claude-sonnet-5-5', max_tokens: 16, messages: [{ role: 'user', content: 'why?' }] };
const clientModule = () => import('../../../src/analysis/agent/client.js');
const retryModule = () => import('../../../src/analysis/agent/retry.js');

describe('the Anthropic SDK, loaded on first use', () => {
  it('is not imported with the client module nor when a client is made; the first call imports it once for every client', async () => {
    const imported = vi.fn();
    const constructed: unknown[] = [];
    vi.doMock('@anthropic-ai/sdk', () => {
      imported();
      class Anthropic {
        readonly messages = { create: (p: MessageCreateParamsNonStreaming) => Promise.resolve({ id: 'msg_1', model: p.model }) };
        constructor(options: unknown) {
          constructed.push(options);
        }
      }
      return { default: Anthropic, APIError: class extends Error {}, APIConnectionError: class extends Error {} };
    });
    const { createAnthropicMessages } = await clientModule();
    await retryModule();
    const first = createAnthropicMessages({ apiKey: 'key-1', baseURL: 'http://127.0.0.1:9/', maxRetries: 0 });
    const second = createAnthropicMessages({ apiKey: 'key-2', timeoutMs: 5000 });
    expect(imported).not.toHaveBeenCalled();

    expect(await first.create(params)).toEqual({ id: 'msg_1', model: 'claude-sonnet-5-5' });
    expect(imported).toHaveBeenCalledTimes(1);
    await first.create(params);
    await second.create(params);
    expect(imported).toHaveBeenCalledTimes(1);
    // One SDK client per Deckhand client, made at its first call, with its options.
    expect(constructed).toEqual([
      { apiKey: 'key-1', baseURL: 'http://127.0.0.1:9/', maxRetries: 0, timeout: 60_000 },
      { apiKey: 'key-2', maxRetries: 2, timeout: 5000 },
    ]);
  });

  it('fails a call with an error that names the SDK when it cannot be imported, and the retry wrapper neither retries nor rewords it', async () => {
    // (vitest wraps the factory's error in one of its own, as Node reports a missing package in its own words.)
    vi.doMock('@anthropic-ai/sdk', () => {
      throw new Error("Cannot find package '@anthropic-ai/sdk'");
    });
    const { createAnthropicMessages } = await clientModule();
    const { withClaudeRetry } = await retryModule();
    const messages = createAnthropicMessages({ apiKey: 'key' });
    const expected = { name: 'AppError', code: 'internal', retryable: false, message: expect.stringMatching(/^the Anthropic SDK \(@anthropic-ai\/sdk\) could not be loaded: \S/), cause: expect.any(Error) };
    await expect(messages.create(params)).rejects.toMatchObject(expected);
    const sleep = vi.fn(() => Promise.resolve());
    await expect(withClaudeRetry(() => messages.create(params), { retries: 2, baseDelayMs: 1, sleep })).rejects.toMatchObject(expected);
    expect(sleep).not.toHaveBeenCalled();
  });
});
