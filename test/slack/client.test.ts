import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createMetrics } from '../../src/metrics/metrics.js';
import { startSlackSandbox, type SlackSandbox } from '../../src/sandbox/slack/index.js';
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
