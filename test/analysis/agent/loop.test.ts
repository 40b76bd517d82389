import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAnthropicMessages } from '../../../src/analysis/agent/client.js';
import { runToolLoop, type ToolLoopInput } from '../../../src/analysis/agent/loop.js';
import { readTools } from '../../../src/analysis/tools/index.js';
import { startFakeAnthropic, type FakeAnthropic } from '../../../src/sandbox/anthropic/index.js';
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

  it('accepts up to maxProposals and reports the extra ones as rejected, naming the unit', async () => {
    const scale = (replicas: number) => ({ action: { type: 'scale', namespace: 'shop', kind: 'Deployment', name: 'checkout', replicas }, rationale: 'capacity', confidence: 0.5 });
    fake.setScript((_r, turn) => (turn === 0 ? { toolUses: [{ name: 'propose_action', input: scale(3) }, { name: 'propose_action', input: scale(4) }] } : { text: 'done' }));
    const result = await runToolLoop(loopInput({ unit: 'answer' }));
    expect(result.proposals).toHaveLength(1);
    expect(result.rejected).toEqual(['scale: more than 1 proposals']);
    expect(JSON.stringify(fake.requests[1]!.body.messages)).toContain('At most 1 proposals per answer.');
  });
});
