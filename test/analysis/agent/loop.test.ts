import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAnthropicMessages } from '../../../src/analysis/agent/client.js';
import type { MessageParam } from '@anthropic-ai/sdk/resources/messages';
import { runToolLoop, withNewestBreakpoint, type ToolLoopInput } from '../../../src/analysis/agent/loop.js';
import { readTools } from '../../../src/analysis/tools/index.js';
import { startFakeAnthropic, type FakeAnthropic, type RecordedRequest } from '../../../sandbox/anthropic/index.js';
import { fakeReader, now } from '../fixtures.js';
import { checkoutWorld } from '../scenario-worlds.js';

let fake: FakeAnthropic;
beforeEach(async () => {
  fake = await startFakeAnthropic();
});
afterEach(async () => {
  await fake.close();
});

const limits = { maxSteps: 5, maxToolBytes: 4096, maxTotalToolBytes: 16_384, maxTokens: 100_000, maxResponseTokens: 512, maxProposals: 1 };

function loopInput(overrides: Partial<ToolLoopInput> = {}): ToolLoopInput {
  return {
    messages: createAnthropicMessages({ apiKey: 'test-key', baseURL: fake.url, maxRetries: 0, timeoutMs: 5000 }),
    model: 'claude-sonnet-5-5',
    system: 'system',
    readTools,
    reader: fakeReader(checkoutWorld()),
    initialMessages: [{ role: 'user', content: 'why?' }],
    limits,
    retry: { retries: 0, baseDelayMs: 1, sleep: () => Promise.resolve() },
    now: () => new Date(now),
    unit: 'incident',
    keepPartialOnError: true,
    ...overrides,
  };
}

/** Turn 0 asks for a read tool and arms a failure for the next request. */
function failAfterFirstTurn(): void {
  fake.setScript((_r, turn) => {
    if (turn === 0) {
      fake.failNext({ status: 529, type: 'overloaded_error', times: 5 });
      return { text: 'Looking at the pods.', toolUses: [{ name: 'list_pods', input: { namespace: 'shop' } }] };
    }
    return { text: 'unreachable' };
  });
}

describe('runToolLoop', () => {
  it('keeps what was learned when the model fails after its first answer, and says why it stopped', async () => {
    failAfterFirstTurn();
    const result = await runToolLoop(loopInput());
    expect(result.texts).toEqual(['Looking at the pods.']);
    expect(result.steps).toBe(1);
    expect(result.toolBytes).toBeGreaterThan(0);
    expect(result.stopped).toBe('Claude stopped answering (Claude is unavailable (overloaded_error))');
  });

  it('throws on a late model failure when partial results are not wanted', async () => {
    failAfterFirstTurn();
    await expect(runToolLoop(loopInput({ keepPartialOnError: false }))).rejects.toMatchObject({ code: 'unavailable' });
  });

  it('without a reader offers only propose_action and refuses read tools', async () => {
    fake.setScript((_r, turn) => (turn === 0 ? { toolUses: [{ name: 'list_pods', input: { namespace: 'shop' } }] } : { text: 'done' }));
    const result = await runToolLoop(loopInput({ reader: undefined }));
    expect((fake.requests[0]!.body.tools as { name: string }[]).map((t) => t.name)).toEqual(['propose_action']);
    expect(JSON.stringify(fake.requests[1]!.body.messages)).toContain('unknown tool list_pods');
    expect(result.toolBytes).toBe(0);
    expect(result.texts).toEqual(['done']);
  });

  it('ends after a turn of only accepted proposals: no further request for a summary', async () => {
    const undo = { action: { type: 'rollout_undo', namespace: 'shop', name: 'checkout' }, rationale: 'bad env', confidence: 0.9 };
    fake.setScript((_r, turn) => (turn === 0 ? { text: 'Root cause: the env change.', toolUses: [{ name: 'propose_action', input: undo }] } : { text: 'a summary nobody needs' }));
    const result = await runToolLoop(loopInput());
    expect(fake.requests).toHaveLength(1);
    expect(result.texts).toEqual(['Root cause: the env change.']);
    expect(result.proposals).toHaveLength(1);
    expect(result.stopped).toBeUndefined();
  });

  it('goes on after a refused proposal, so the model may correct it', async () => {
    const bad = { action: { type: 'delete_namespace', namespace: 'shop' }, rationale: 'x', confidence: 0.9 };
    fake.setScript((_r, turn) => (turn === 0 ? { toolUses: [{ name: 'propose_action', input: bad }] } : { text: 'done' }));
    const result = await runToolLoop(loopInput());
    expect(fake.requests).toHaveLength(2);
    expect(result.rejected).toHaveLength(1);
  });

  it('sends small tool schemas: shapes and enums, no patterns or length bounds (zod enforces those)', async () => {
    fake.setScript(() => ({ text: 'done' }));
    await runToolLoop(loopInput());
    const tools = JSON.stringify(fake.requests[0]!.body.tools);
    expect(tools).not.toMatch(/"pattern"|"maxLength"|"additionalProperties"|"\$schema"/);
    expect(tools).toContain('"enum":["restart_pod","rollout_restart","scale","rollout_undo","set_resources","cordon_node","uncordon_node"]');
    expect(tools.length).toBeLessThan(5000);
  });

  it('accepts up to maxProposals and reports the extra ones as rejected, naming the unit', async () => {
    const scale = (replicas: number) => ({ action: { type: 'scale', namespace: 'shop', kind: 'Deployment', name: 'checkout', replicas }, rationale: 'capacity', confidence: 0.5 });
    fake.setScript((_r, turn) => (turn === 0 ? { toolUses: [{ name: 'propose_action', input: scale(3) }, { name: 'propose_action', input: scale(4) }] } : { text: 'done' }));
    const result = await runToolLoop(loopInput({ unit: 'answer' }));
    expect(result.proposals).toHaveLength(1);
    expect(result.rejected).toEqual(['scale: more than 1 proposals']);
    expect(JSON.stringify(fake.requests[1]!.body.messages)).toContain('At most 1 proposals per answer.');
  });

  it('masks credentials in the system prompt and the seed, whoever built them, before Claude sees them', async () => {
    fake.setScript(() => ({ text: 'done' }));
    const planted = ['xoxb-1234-abcd', 'hunter2planted', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCY' + 'EXAMPLEKEY'];
    await runToolLoop(
      loopInput({
        system: `You help. Slack token ${planted[0]}.`,
        initialMessages: [
          { role: 'user', content: `Question: the password ${planted[1]} stopped working` },
          { role: 'assistant', content: 'Noted.' },
          { role: 'user', content: [{ type: 'text', text: `aws_secret_access_key ${planted[2]}` }] },
        ],
      }),
    );
    const sent = JSON.stringify(fake.requests[0]!.body);
    for (const s of planted) expect(sent).not.toContain(s);
    expect(sent).toContain('xoxb-****');
  });

  describe('prompt cache breakpoints', () => {
    type Block = { type: string; cache_control?: unknown };
    const blocksOf = (req: RecordedRequest) => (req.body.messages ?? []).map((m) => (Array.isArray(m.content) ? (m.content as Block[]) : []));
    const markers = (value: unknown) => JSON.stringify(value).match(/"cache_control"/g)?.length ?? 0;
    /** An investigation's seed: the incident and what the analyzers found (~500 tokens). */
    const seed = `Incident: shop/checkout is crash looping.\n${'analyzer finding: container exits with code 1\n'.repeat(45)}`;
    /** Three requests: the seed, then one tool_result, then two tool_results. */
    function investigate(): void {
      fake.setScript((_r, turn) => {
        if (turn === 0) return { text: 'Looking.', toolUses: [{ name: 'list_pods', input: { namespace: 'shop' } }] };
        if (turn === 1) return { toolUses: [{ name: 'get_events', input: { namespace: 'shop' } }, { name: 'get_deployment', input: { namespace: 'shop', name: 'checkout' } }] };
        return { text: 'The checkout rollout broke PAYMENT_URL.' };
      });
    }

    it('marks exactly one message block per request, the newest, within the 4 breakpoints the API allows', async () => {
      investigate();
      await runToolLoop(loopInput({ initialMessages: [{ role: 'user', content: seed }] }));
      expect(fake.requests).toHaveLength(3);
      for (const req of fake.requests) {
        const blocks = blocksOf(req);
        const newest = blocks.at(-1)!.at(-1)!;
        expect(newest.cache_control).toEqual({ type: 'ephemeral' });
        expect(blocks.flat().filter((b) => b.cache_control !== undefined)).toEqual([newest]);
        expect(markers(req.body.system) + markers(req.body.tools) + markers(req.body.messages)).toBeLessThanOrEqual(4);
      }
      expect(blocksOf(fake.requests[0]!)[0]).toEqual([{ type: 'text', text: seed, cache_control: { type: 'ephemeral' } }]);
      expect(blocksOf(fake.requests[2]!).at(-1)!.map((b) => b.type)).toEqual(['tool_result', 'tool_result']);
    });

    it("reads the previous request's whole conversation from the cache: more than system and tools alone", async () => {
      investigate();
      await runToolLoop(loopInput({ initialMessages: [{ role: 'user', content: seed }] }));
      const [first, second] = fake.requests.map((r) => r.body);
      // Before: the same requests without the message breakpoint (only system and tools marked).
      const unmarked = (body: RecordedRequest['body']) => ({ ...body, messages: withoutMarkers(body.messages) });
      expect(markers(unmarked(second!).messages)).toBe(0);
      const now = await secondRequestUsage(first!, second!);
      const before = await secondRequestUsage(unmarked(first!), unmarked(second!));
      expect(now.cache_read_input_tokens).toBeGreaterThan(before.cache_read_input_tokens + 400);
      expect(now.input_tokens).toBeLessThan(before.input_tokens);
      expect(now.input_tokens).toBe(0);
    });

    it('leaves the caller\'s messages unmarked and promotes a string seed to one text block', () => {
      const seed: MessageParam[] = [{ role: 'user', content: 'why?' }];
      expect(withNewestBreakpoint(seed)).toEqual([{ role: 'user', content: [{ type: 'text', text: 'why?', cache_control: { type: 'ephemeral' } }] }]);
      expect(seed).toEqual([{ role: 'user', content: 'why?' }]);
      const turn: MessageParam[] = [...seed, { role: 'assistant', content: 'ok' }];
      expect(withNewestBreakpoint(turn)[1]).toBe(turn[1]);
    });
  });
});

interface Usage {
  input_tokens: number;
  cache_read_input_tokens: number;
  cache_creation_input_tokens: number;
}

/** The fake's usage of the second of two requests sent, in order, to a fresh fake. */
async function secondRequestUsage(first: unknown, second: unknown): Promise<Usage> {
  const server = await startFakeAnthropic();
  try {
    await post(server.url, first);
    return (await post(server.url, second)).usage;
  } finally {
    await server.close();
  }
}

async function post(url: string, body: unknown): Promise<{ usage: Usage }> {
  const res = await fetch(`${url}/v1/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(res.status).toBe(200);
  return (await res.json()) as { usage: Usage };
}

function withoutMarkers(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutMarkers);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).flatMap(([k, v]) => (k === 'cache_control' ? [] : [[k, withoutMarkers(v)]])));
}
