import Anthropic, { APIError } from '@anthropic-ai/sdk';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeAnthropic, type FakeAnthropic } from '../../../sandbox/anthropic/index.js';

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

  describe('prompt cache breakpoints inside messages', () => {
    const mark = { type: 'ephemeral' as const };
    const seed = 'Incident details. '.repeat(40);
    const first = [{ role: 'user' as const, content: [{ type: 'text' as const, text: seed, cache_control: mark }] }];
    /** The conversation one turn later: the old breakpoint gone, a new one on the newest block. */
    const later = (text = seed, newBlocks = 1) => [
      { role: 'user' as const, content: [{ type: 'text' as const, text }] },
      { role: 'assistant' as const, content: [{ type: 'tool_use' as const, id: 'toolu_1', name: 'get_pods', input: {} }] },
      {
        role: 'user' as const,
        content: Array.from({ length: newBlocks }, (_, i) => ({ type: 'text' as const, text: `result ${i} `.repeat(30), ...(i === newBlocks - 1 ? { cache_control: mark } : {}) })),
      },
    ];

    it('caches the prefix up to and including the marked block, and a later request with that prefix reads it', async () => {
      const one = await client.messages.create({ ...params, messages: first });
      const headOnly = (await client.messages.create({ ...params, messages: [{ role: 'user', content: 'other' }] })).usage.cache_read_input_tokens!;
      expect(one.usage.cache_creation_input_tokens).toBeGreaterThan(headOnly + 150);
      expect(one.usage.input_tokens).toBe(0);
      const two = await client.messages.create({ ...params, messages: later() });
      expect(two.usage.cache_read_input_tokens).toBe(one.usage.cache_creation_input_tokens);
      expect(two.usage.cache_creation_input_tokens).toBeGreaterThan(50);
      expect(two.usage.input_tokens).toBe(0);
      // The same request again reads everything up to its breakpoint.
      const again = await client.messages.create({ ...params, messages: later() });
      expect(again.usage.cache_read_input_tokens).toBe(two.usage.cache_read_input_tokens! + two.usage.cache_creation_input_tokens!);
      expect(again.usage.cache_creation_input_tokens).toBe(0);
    });

    it('reads only the head when an earlier block changed', async () => {
      const headOnly = (await client.messages.create(params)).usage.cache_creation_input_tokens!;
      await client.messages.create({ ...params, messages: first });
      const changed = await client.messages.create({ ...params, messages: later(`${seed}!`) });
      expect(changed.usage.cache_read_input_tokens).toBe(headOnly);
    });

    it('looks back at most 20 blocks from a breakpoint for a cached prefix', async () => {
      const headOnly = (await client.messages.create(params)).usage.cache_creation_input_tokens!;
      const one = await client.messages.create({ ...params, messages: first });
      // Breakpoint 20 blocks after the cached one (1 tool_use + 19 results): still found.
      const near = await client.messages.create({ ...params, messages: later(seed, 19) });
      expect(near.usage.cache_read_input_tokens).toBe(one.usage.cache_read_input_tokens! + one.usage.cache_creation_input_tokens!);
      expect(near.usage.cache_read_input_tokens).toBeGreaterThan(headOnly);
      // 21 new blocks, all unlike the ones just cached: the seed's prefix is 22 blocks back.
      const far = await client.messages.create({ ...params, messages: later(seed, 21).map((m, i) => (i === 2 ? { ...m, content: m.content.map((b) => ({ ...b, text: `${(b as { text: string }).text}x` })) } : m)) });
      expect(far.usage.cache_read_input_tokens).toBe(headOnly);
    });

    it('refuses more than 4 cache_control blocks, as the API does', async () => {
      const messages = [{ role: 'user' as const, content: ['a', 'b', 'c', 'd'].map((text) => ({ type: 'text' as const, text, cache_control: mark })) }];
      const err: unknown = await client.messages.create({ ...params, messages }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(APIError);
      expect((err as APIError).status).toBe(400);
      expect((err as APIError).message).toContain('A maximum of 4 blocks with cache_control may be provided. Found 5.');
    });
  });
});

describe('fake Anthropic token counts and cache lifetime', () => {
  it('counts tokens like a tokenizer: JSON costs more per character than prose', async () => {
    const { estimateTokens } = await import('../../../sandbox/anthropic/tokens.js');
    const prose = 'The checkout deployment crashes because its payment URL was changed in the last rollout.';
    const json = JSON.stringify({ type: 'object', properties: { namespace: { type: 'string' }, replicas: { type: 'integer' } }, required: ['namespace'] });
    // About 4 characters a token for English, clearly fewer for JSON (the old flat 4 for both).
    expect(prose.length / estimateTokens(prose)).toBeGreaterThan(3.5);
    expect(prose.length / estimateTokens(prose)).toBeLessThan(4.6);
    expect(json.length / estimateTokens(json)).toBeLessThan(3.6);
    const counted = await client.messages.countTokens({ model: 'claude-sonnet-5-5', messages: [{ role: 'user', content: prose }] });
    expect(counted.input_tokens).toBeGreaterThan(estimateTokens(prose));
  });

  it('keeps a cache per scope, and forgets a prefix its TTL after its last use', async () => {
    let clock = 0;
    const timed = await startFakeAnthropic({ cacheTtlMs: 1000, now: () => clock });
    try {
      const c = new Anthropic({ apiKey: 'k', baseURL: timed.url, maxRetries: 0 });
      expect((await c.messages.create(params)).usage.cache_read_input_tokens).toBe(0);
      clock = 900;
      expect((await c.messages.create(params)).usage.cache_read_input_tokens).toBeGreaterThan(0);
      clock = 1800; // within the TTL of the read at 900
      expect((await c.messages.create(params)).usage.cache_read_input_tokens).toBeGreaterThan(0);
      timed.setCacheScope('another investigation');
      expect((await c.messages.create(params)).usage.cache_read_input_tokens).toBe(0);
      timed.setCacheScope('default');
      clock = 5000;
      expect((await c.messages.create(params)).usage.cache_read_input_tokens).toBe(0);
    } finally {
      await timed.close();
    }
  });
});
