import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createMetrics } from '../../src/metrics/metrics.js';
import { startSlackSandbox, type SlackSandbox } from '../../sandbox/slack/index.js';
import { AppError } from '../../src/shared/errors.js';
import { createSilentLogger } from '../../src/shared/logger.js';
import { createSlackClient, type SlackClient } from '../../src/slack/client.js';
import { createTestRedis, uniquePrefix } from '../helpers/redis.js';

let slack: SlackSandbox;
let redis: Redis;
const sleeps: number[] = [];

beforeAll(async () => {
  slack = await startSlackSandbox();
  redis = createTestRedis();
});
afterAll(async () => {
  await slack.close();
  await redis.quit();
});
afterEach(() => {
  slack.reset();
  sleeps.length = 0;
});

function client(prefix = uniquePrefix('slack'), attempts = 4): SlackClient {
  return createSlackClient({
    token: 'xoxb-sandbox',
    apiUrl: slack.apiUrl,
    redis,
    prefix,
    log: createSilentLogger(),
    metrics: createMetrics(),
    retry: { attempts, baseDelayMs: 100, maxDelayMs: 1000 },
    sleep: (ms) => {
      sleeps.push(ms);
      return Promise.resolve();
    },
  });
}

const message = { text: 'hello', blocks: [{ type: 'section' as const, text: { type: 'mrkdwn' as const, text: 'hello' } }] };

describe('SlackClient', () => {
  it('posts once per idempotency key, even when the same key is posted again or concurrently', async () => {
    const c = client();
    const results = await Promise.all([1, 2, 3].map(() => c.post({ channel: 'CINCIDENTS', message, idempotencyKey: 'root-1' })));
    expect(new Set(results.map((r) => r.ts)).size).toBe(1);
    expect(await c.post({ channel: 'CINCIDENTS', message, idempotencyKey: 'root-1' })).toEqual(results[0]);
    expect(slack.messages('CINCIDENTS')).toHaveLength(1);
    await c.post({ channel: 'CINCIDENTS', message, idempotencyKey: 'root-2' });
    expect(slack.messages('CINCIDENTS')).toHaveLength(2);
  });

  it('remembers the post across client instances sharing Redis (a retried job in another process)', async () => {
    const prefix = uniquePrefix('shared');
    const first = await client(prefix).post({ channel: 'CINCIDENTS', message, idempotencyKey: 'k' });
    const second = await client(prefix).post({ channel: 'CINCIDENTS', message, idempotencyKey: 'k' });
    expect(second).toEqual(first);
    expect(slack.messages('CINCIDENTS')).toHaveLength(1);
  });

  it('waits out a 429 for its Retry-After, then posts exactly once', async () => {
    slack.failNext({ method: 'chat.postMessage', status: 429, retryAfter: 7, times: 2 });
    const posted = await client().post({ channel: 'CINCIDENTS', message, idempotencyKey: 'rl' });
    expect(posted.ts).toBeTruthy();
    expect(sleeps).toEqual([7000, 7000]);
    expect(slack.messages('CINCIDENTS')).toHaveLength(1);
    expect(slack.calls.filter((c) => c.method === 'chat.postMessage').map((c) => c.status)).toEqual([429, 429, 200]);
    // A 429 means "not applied": no look-up before the retries.
    expect(slack.calls.filter((c) => c.method.startsWith('conversations.'))).toHaveLength(0);
  });

  it('sends the idempotency key as message metadata and looks nothing up on the normal path', async () => {
    await client().post({ channel: 'CINCIDENTS', message, idempotencyKey: 'plain' });
    expect(slack.messages('CINCIDENTS')[0]!.metadata).toEqual({ event_type: 'deckhand_post', event_payload: { key: 'plain' } });
    expect(slack.calls.map((c) => c.method)).toEqual(['chat.postMessage']);
  });

  it('returns the posted ts instead of posting again when Slack applied a post but answered 500', async () => {
    slack.failNext({ method: 'chat.postMessage', status: 500, applyFirst: true });
    const posted = await client().post({ channel: 'CINCIDENTS', message, idempotencyKey: 'lost-answer' });
    const stored = slack.messages('CINCIDENTS');
    expect(stored).toHaveLength(1);
    expect(posted).toEqual({ channel: 'CINCIDENTS', ts: stored[0]!.ts });
    expect(slack.calls.map((c) => `${c.method} ${c.status}`)).toEqual(['chat.postMessage 500', 'conversations.history 200']);
    expect(slack.calls[1]!.args).toMatchObject({ channel: 'CINCIDENTS', include_all_metadata: 'true' });
  });

  it('finds a thread reply Slack applied before failing in conversations.replies', async () => {
    const c = client();
    const root = await c.post({ channel: 'CINCIDENTS', message, idempotencyKey: 'root' });
    slack.failNext({ method: 'chat.postMessage', status: 503, applyFirst: true });
    const reply = await c.post({ channel: 'CINCIDENTS', threadTs: root.ts, message, idempotencyKey: 'reply' });
    const stored = slack.messages('CINCIDENTS');
    expect(stored).toHaveLength(2);
    expect(stored[1]).toMatchObject({ ts: reply.ts, thread_ts: root.ts });
    expect(slack.calls.filter((call) => call.method.startsWith('conversations.')).map((call) => call.method)).toEqual(['conversations.replies']);
  });

  it('posts once when a 500 was not applied: the look-up finds nothing, the retry posts', async () => {
    slack.failNext({ method: 'chat.postMessage', status: 500 });
    const posted = await client().post({ channel: 'CINCIDENTS', message, idempotencyKey: 'not-applied' });
    expect(slack.messages('CINCIDENTS').map((m) => m.ts)).toEqual([posted.ts]);
    expect(slack.calls.map((c) => `${c.method} ${c.status}`)).toEqual(['chat.postMessage 500', 'conversations.history 200', 'chat.postMessage 200']);
  });

  it('looks up first on a later call when an earlier one ended with its outcome unknown', async () => {
    const prefix = uniquePrefix('uncertain');
    slack.failNext({ method: 'chat.postMessage', status: 500, applyFirst: true });
    slack.failNext({ method: 'conversations.history', status: 503, times: 2 });
    const error = await client(prefix, 3).post({ channel: 'CINCIDENTS', message, idempotencyKey: 'job' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'upstream', retryable: true });

    // The job's next attempt, in another process: it looks the key up before posting.
    const again = await client(prefix).post({ channel: 'CINCIDENTS', message, idempotencyKey: 'job' });
    const stored = slack.messages('CINCIDENTS');
    expect(stored).toHaveLength(1);
    expect(again.ts).toBe(stored[0]!.ts);
    expect(slack.calls.map((c) => `${c.method} ${c.status}`)).toEqual([
      'chat.postMessage 500',
      'conversations.history 503',
      'conversations.history 503',
      'conversations.history 200',
    ]);
  });

  it('retries 5xx with exponential backoff', async () => {
    slack.failNext({ method: 'chat.update', status: 500, times: 1 });
    slack.failNext({ method: 'chat.update', status: 503, times: 1 });
    const c = client();
    const { ts } = await c.post({ channel: 'CINCIDENTS', message, idempotencyKey: 'u' });
    await c.update({ channel: 'CINCIDENTS', ts, message: { text: 'edited' } });
    expect(sleeps).toEqual([100, 200]);
    expect(slack.messages('CINCIDENTS')[0]!.text).toBe('edited');
  });

  it('gives up after its attempts with AppError rate_limited / upstream, and a later retry may post', async () => {
    slack.failNext({ method: 'chat.postMessage', status: 429, retryAfter: 1, times: 3 });
    const c = client(uniquePrefix(), 3);
    const error = await c.post({ channel: 'CINCIDENTS', message, idempotencyKey: 'x' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'rate_limited', retryable: true });
    // The failed post released its claim: the job's next attempt posts.
    await c.post({ channel: 'CINCIDENTS', message, idempotencyKey: 'x' });
    expect(slack.messages('CINCIDENTS')).toHaveLength(1);

    slack.failNext({ method: 'chat.update', status: 500, times: 5 });
    await expect(c.update({ channel: 'CINCIDENTS', ts: '1.2', message })).rejects.toMatchObject({ code: 'upstream', retryable: true });
  });

  it('does not retry a platform error that retrying cannot fix', async () => {
    const error = await client().post({ channel: 'CNOPE', message, idempotencyKey: 'nf' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'upstream', retryable: false });
    expect(slack.calls.filter((c) => c.method === 'chat.postMessage')).toHaveLength(1);
  });

  it('retries network errors', async () => {
    const down = createSlackClient({
      token: 'xoxb-sandbox',
      apiUrl: 'http://127.0.0.1:1/api/',
      redis,
      prefix: uniquePrefix(),
      log: createSilentLogger(),
      retry: { attempts: 3, baseDelayMs: 1 },
      sleep: (ms) => {
        sleeps.push(ms);
        return Promise.resolve();
      },
    });
    await expect(down.post({ channel: 'C1', message, idempotencyKey: 'n' })).rejects.toMatchObject({ code: 'upstream' });
    expect(sleeps).toHaveLength(2);
    expect(await down.authTest()).toMatchObject({ ok: false });
  });
});
