import Anthropic, { APIError } from '@anthropic-ai/sdk';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeAnthropic, type FakeAnthropic } from '../../../src/sandbox/anthropic/index.js';

let fake: FakeAnthropic;
let client: Anthropic;
beforeEach(async () => {
  fake = await startFakeAnthropic();
  client = new Anthropic({ apiKey: 'k', baseURL: fake.url, maxRetries: 0 });
});
afterEach(async () => {
  await fake.close();
});

const params = {
  model: 'claude-sonnet-5-5',
  max_tokens: 100,
  system: [{ type: 'text' as const, text: 'You are a bot. '.repeat(50), cache_control: { type: 'ephemeral' as const } }],
  messages: [{ role: 'user' as const, content: 'hi' }],
};

describe('fake Anthropic server', () => {
  it('answers with the Messages response shape the SDK expects and records the request', async () => {
    fake.setScript((_req, turn) => ({ text: `turn ${turn}`, toolUses: [{ name: 'get_pods', input: { namespace: 'default' } }] }));
    const msg = await client.messages.create(params);
    expect(msg).toMatchObject({
      type: 'message',
      role: 'assistant',
      model: 'claude-sonnet-5-5',
      stop_reason: 'tool_use',
      content: [
        { type: 'text', text: 'turn 0', citations: null },
        { type: 'tool_use', name: 'get_pods', input: { namespace: 'default' }, caller: { type: 'direct' } },
      ],
      usage: { service_tier: 'standard' },
    });
    expect(fake.requests[0]!.headers.authorization).toBe('Bearer k');
    expect(fake.requests[0]!.body.max_tokens).toBe(100);
  });

  it('counts the cached prefix as cache creation first, then as cache read', async () => {
    const first = await client.messages.create(params);
    const second = await client.messages.create({ ...params, messages: [{ role: 'user', content: 'hello again' }] });
    expect(first.usage.cache_creation_input_tokens).toBeGreaterThan(100);
    expect(first.usage.cache_read_input_tokens).toBe(0);
    expect(second.usage.cache_read_input_tokens).toBe(first.usage.cache_creation_input_tokens);
    expect(second.usage.cache_creation_input_tokens).toBe(0);
    expect(first.usage.input_tokens).toBeGreaterThan(0);
  });

  it('fails the next requests as told, then recovers', async () => {
    fake.failNext({ status: 529, type: 'overloaded_error', times: 2 });
    for (let i = 0; i < 2; i++) {
      const err: unknown = await client.messages.create(params).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(APIError);
      expect((err as APIError).status).toBe(529);
    }
    await expect(client.messages.create(params)).resolves.toMatchObject({ stop_reason: 'end_turn' });
  });

  it('turn index counts assistant turns of the conversation', async () => {
    const seen: number[] = [];
    fake.setScript((_r, turn) => (seen.push(turn), { text: 'x' }));
    await client.messages.create({ ...params, messages: [{ role: 'user', content: 'a' }, { role: 'assistant', content: 'b' }, { role: 'user', content: 'c' }] });
    expect(seen).toEqual([1]);
  });
});
