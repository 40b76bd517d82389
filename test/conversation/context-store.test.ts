import type { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendContextEvent, createContextStore, truncateBytes, type Turn } from '../../src/conversation/context-store.js';
import { renderContext } from '../../src/conversation/render-context.js';
import { createTestRedis, uniquePrefix } from '../helpers/redis.js';

const thread = { channel: 'CINC', threadTs: '1700000000.000100' };
const turn = (role: Turn['role'], text: string): Turn => ({ role, text, at: '2026-01-01T00:00:00.000Z', ...(role === 'user' ? { user: 'UALICE' } : {}) });

describe('context store', () => {
  let redis: Redis;
  let keyPrefix: string;
  beforeEach(() => {
    redis = createTestRedis();
    keyPrefix = uniquePrefix('ctx');
  });
  afterEach(async () => {
    await redis.quit();
  });

  it('keeps incident, events and turns, and a new store instance reads them back', async () => {
    const first = createContextStore({ redis, keyPrefix });
    await first.linkIncident(thread, { incidentId: 'inc-1', cluster: 'prod', namespace: 'shop' });
    await appendContextEvent({ redis, keyPrefix }, { ...thread, event: { kind: 'finding', summary: 'web OOMKilled 5 times', refs: { analyzer: 'oom' } } });
    await first.appendExchange(thread, { exchangeId: '1.2', question: turn('user', 'why?'), answer: turn('assistant', 'memory limit 128Mi') });

    const second = createContextStore({ redis, keyPrefix });
    const ctx = await second.get(thread);
    expect(ctx.incidentId).toBe('inc-1');
    expect(ctx.cluster).toBe('prod');
    expect(ctx.namespace).toBe('shop');
    expect(ctx.events.map((e) => e.summary)).toEqual(['web OOMKilled 5 times']);
    expect(ctx.turns.map((t) => t.text)).toEqual(['why?', 'memory limit 128Mi']);
  });

  it('records a retried exchange once', async () => {
    const store = createContextStore({ redis, keyPrefix });
    const exchange = { exchangeId: '1.2', question: turn('user', 'q'), answer: turn('assistant', 'a') };
    await store.appendExchange(thread, exchange);
    await store.appendExchange(thread, exchange);
    expect((await store.get(thread)).turns).toHaveLength(2);
  });

  it('keeps the last turns verbatim and folds older ones, bounded', async () => {
    const store = createContextStore({ redis, keyPrefix, limits: { maxTurns: 4, maxFolded: 3 } });
    for (let i = 1; i <= 6; i++) {
      await store.appendExchange(thread, { exchangeId: `x${i}`, question: turn('user', `q${i}`), answer: turn('assistant', `a${i}`) });
    }
    const ctx = await store.get(thread);
    expect(ctx.turns.map((t) => t.text)).toEqual(['q5', 'a5', 'q6', 'a6']);
    expect(ctx.foldedCount).toBe(8);
    expect(ctx.folded.map((t) => t.text)).toEqual(['a3', 'q4', 'a4']);
    const text = renderContext(ctx, undefined);
    expect(text).toContain('8 older turns');
    expect(text).toContain('q6');
  });

  it('caps each turn and event in bytes and trims events to the newest', async () => {
    const store = createContextStore({ redis, keyPrefix, limits: { maxTurnBytes: 50, maxEventBytes: 30, maxEvents: 2 } });
    await store.appendExchange(thread, { exchangeId: 'big', question: turn('user', 'é'.repeat(500)), answer: turn('assistant', 'ok') });
    for (const s of ['first', 'second', 'third '.repeat(20)]) await store.appendEvent(thread, { kind: 'note', summary: s });
    const ctx = await store.get(thread);
    expect(Buffer.byteLength(ctx.turns[0]?.text ?? '')).toBeLessThanOrEqual(50);
    expect(ctx.events.map((e) => e.kind)).toHaveLength(2);
    expect(ctx.events[0]?.summary).toBe('second');
    expect(Buffer.byteLength(ctx.events[1]?.summary ?? '')).toBeLessThanOrEqual(30);
  });

  it('renders within the byte cap, dropping the oldest events first', async () => {
    const store = createContextStore({ redis, keyPrefix });
    for (let i = 0; i < 30; i++) await store.appendEvent(thread, { kind: 'finding', summary: `finding ${i} ${'x'.repeat(300)}` });
    await store.appendExchange(thread, { exchangeId: 'e', question: turn('user', 'latest question'), answer: turn('assistant', 'latest answer') });
    const text = renderContext(await store.get(thread), undefined, 3000);
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(3000);
    expect(text).toContain('latest question');
    expect(text).toContain('finding 29');
    expect(text).not.toContain('finding 0 ');
  });
});

describe('truncateBytes', () => {
  it('never splits a multi-byte character', () => {
    const out = truncateBytes('😀'.repeat(10), 11);
    expect(Buffer.byteLength(out)).toBeLessThanOrEqual(11);
    expect(out).not.toContain('\uFFFD');
  });
});
