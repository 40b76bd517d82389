import { afterEach, describe, expect, it } from 'vitest';
import { createAnthropicMessages } from '../../src/analysis/agent/client.js';
import { buildQuestionMessage, createClaudeAnswerer } from '../../src/conversation/claude-answer.js';
import { startFakeAnthropic, type FakeAnthropic } from '../../sandbox/anthropic/server.js';

let fake: FakeAnthropic | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

const question = { contextText: '## Incident\nIncident inc-1: web down', question: 'why?', user: 'UALICE', cluster: 'lab', namespace: 'shop', reader: undefined };
const answererFor = (url: string, limits = {}) =>
  createClaudeAnswerer({ messages: createAnthropicMessages({ apiKey: 'test', baseURL: url, maxRetries: 0 }), model: 'claude-sonnet-5-5', limits, retry: { retries: 0 } });

describe('createClaudeAnswerer', () => {
  it('sends the thread context and the question, and returns the text', async () => {
    fake = await startFakeAnthropic({ script: () => ({ text: 'Because of the bad config.' }) });
    const result = await answererFor(fake.url).answer(question);
    expect(result).toMatchObject({ text: 'Because of the bad config.', proposals: [], usage: { requests: 1 } });
    const seed = JSON.stringify(fake.requests[0]!.body.messages?.[0]?.content);
    expect(seed).toContain('<thread_context>');
    expect(seed).toContain('Incident inc-1: web down');
    expect(seed).toContain('why?');
    // Without a cluster reader only propose_action is offered.
    expect((fake.requests[0]!.body.tools as { name: string }[]).map((t) => t.name)).toEqual(['propose_action']);
  });

  it('keeps valid proposals, refuses invalid ones and stops at the step limit', async () => {
    fake = await startFakeAnthropic({
      script: () => ({
        toolUses: [
          { name: 'propose_action', input: { action: { type: 'scale', namespace: 'shop', kind: 'Deployment', name: 'web', replicas: 3 }, rationale: 'more capacity', confidence: 0.7 } },
          { name: 'propose_action', input: { action: { type: 'delete_namespace', namespace: 'shop' }, rationale: 'x', confidence: 1 } },
        ],
      }),
    });
    const result = await answererFor(fake.url, { maxSteps: 2, maxProposals: 1 }).answer(question);
    expect(result.proposals).toEqual([
      { action: { type: 'scale', namespace: 'shop', kind: 'Deployment', name: 'web', replicas: 3 }, rationale: 'more capacity', confidence: 0.7, origin: 'claude' },
    ]);
    expect(result.text).toContain('Stopped early: step limit (2) reached');
    expect(fake.requests).toHaveLength(2);
    expect(JSON.stringify(fake.requests[1]!.body.messages)).toContain('Proposal rejected');
  });

  it('masks secrets in the context before they reach the model', () => {
    const text = buildQuestionMessage({ ...question, contextText: 'DB_PASSWORD=hunter2hunter2 in the logs' });
    expect(text).not.toContain('hunter2hunter2');
    expect(text).toContain('DB_PASSWORD=****');
  });
});
