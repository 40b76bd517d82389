import { randomUUID } from 'node:crypto';
import { webApi } from '@slack/bolt';
import type { Redis } from 'ioredis';
import type { Metrics } from '../metrics/metrics.js';
import { AppError } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';
import type { PostInput, SlackMessage, SlackMessenger } from './messenger.js';

export interface RetryPolicy {
  /** Attempts per call, the first included. */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Longest Retry-After honoured; a longer one fails the call (the job retries later). */
  maxRetryAfterMs: number;
}

export const defaultRetryPolicy: RetryPolicy = { attempts: 5, baseDelayMs: 500, maxDelayMs: 15_000, maxRetryAfterMs: 60_000 };

export interface SlackClientOptions {
  token: string;
  /** SLACK_API_URL. */
  apiUrl: string;
  redis: Redis;
  /** Key prefix for the idempotency records. */
  prefix: string;
  log: Logger;
  metrics?: Metrics;
  retry?: Partial<RetryPolicy>;
  /** Injected so tests do not wait out real backoff. */
  sleep?: (ms: number) => Promise<void>;
  /** How long a remembered post answers a repeated idempotency key. */
  idempotencyTtlSeconds?: number;
}

/** The messenger plus a generic retrying call for the Web API methods features need. */
export interface SlackClient extends SlackMessenger {
  /** One Web API call with Deckhand's retry policy. Not idempotent: use post() for messages. */
  call(method: string, args?: Record<string, unknown>): Promise<webApi.WebAPICallResult>;
  /** auth.test, once, no retries: for /readyz. */
  authTest(): Promise<{ ok: true; userId: string; botId: string } | { ok: false; message: string }>;
  readonly web: webApi.WebClient;
}

const pendingPrefix = 'pending:';
const releaseScript = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

/**
 * SlackMessenger over @slack/web-api. The WebClient's own retries are switched off
 * (`retries: 0`, `rejectRateLimitedCalls`): it would retry invisibly, including after a
 * 5xx that Slack may have acted on, and its 429 handling pauses its whole queue. Our loop
 * retries 429 (after Retry-After), 5xx and network errors with backoff, counts every
 * attempt, and post() claims its idempotency key in Redis first, so a retried job — in any
 * process — gets the first post's ts instead of posting again.
 */
export function createSlackClient(options: SlackClientOptions): SlackClient {
  const policy = { ...defaultRetryPolicy, ...options.retry };
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const { redis, log, metrics } = options;
  const ttl = options.idempotencyTtlSeconds ?? 30 * 24 * 3600;
  const web = new webApi.WebClient(options.token, {
    slackApiUrl: options.apiUrl,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: 10_000,
    logLevel: webApi.LogLevel.ERROR,
  });

  const call = async (method: string, args: Record<string, unknown> = {}): Promise<webApi.WebAPICallResult> => {
    for (let attempt = 1; ; attempt += 1) {
      metrics?.slackCalls.inc({ method });
      try {
        return await web.apiCall(method, args);
      } catch (err) {
        const failure = classify(err);
        metrics?.slackErrors.inc({ method, reason: failure.reason });
        const last = attempt >= policy.attempts || !failure.retryable;
        const delay = failure.retryAfterMs ?? Math.min(policy.baseDelayMs * 2 ** (attempt - 1), policy.maxDelayMs);
        if (last || delay > policy.maxRetryAfterMs) {
          log.warn({ method, attempt, reason: failure.reason, detail: failure.detail }, 'slack call failed');
          throw new AppError(failure.reason === 'rate_limited' ? 'rate_limited' : 'upstream', `slack ${method} failed: ${failure.detail}`, {
            retryable: failure.retryable,
            cause: err,
            details: { method, attempts: attempt },
          });
        }
        log.debug({ method, attempt, delay, reason: failure.reason }, 'slack call retrying');
        await sleep(delay);
      }
    }
  };

  const claim = async (key: string): Promise<{ done: { channel: string; ts: string } } | { token: string }> => {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const token = `${pendingPrefix}${randomUUID()}`;
      if ((await redis.set(key, token, 'EX', 120, 'NX')) === 'OK') return { token };
      const value = await redis.get(key);
      if (value !== null && !value.startsWith(pendingPrefix)) return { done: JSON.parse(value) as { channel: string; ts: string } };
      // Someone else is posting this very message right now: wait for their result.
      if (Date.now() > deadline) throw new AppError('conflict', 'another process is posting this message', { retryable: true });
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };

  return {
    web,
    call,
    async post(input: PostInput) {
      const key = `${options.prefix}:slack:post:${input.idempotencyKey}`;
      const claimed = await claim(key);
      if ('done' in claimed) return claimed.done;
      try {
        const result = await call('chat.postMessage', {
          channel: input.channel,
          ...(input.threadTs === undefined ? {} : { thread_ts: input.threadTs }),
          ...messageArgs(input.message),
          unfurl_links: false,
          unfurl_media: false,
        });
        const { channel, ts } = result as { channel?: unknown; ts?: unknown };
        if (typeof ts !== 'string') throw new AppError('upstream', 'slack chat.postMessage answered without a ts', { retryable: false });
        const posted = { channel: typeof channel === 'string' ? channel : input.channel, ts };
        await redis.set(key, JSON.stringify(posted), 'EX', ttl);
        return posted;
      } catch (err) {
        await redis.eval(releaseScript, 1, key, claimed.token);
        throw err;
      }
    },
    async update(input) {
      await call('chat.update', { channel: input.channel, ts: input.ts, ...messageArgs(input.message) });
    },
    async postEphemeral(input) {
      await call('chat.postEphemeral', {
        channel: input.channel,
        user: input.user,
        ...(input.threadTs === undefined ? {} : { thread_ts: input.threadTs }),
        ...messageArgs(input.message),
      });
    },
    async authTest() {
      try {
        metrics?.slackCalls.inc({ method: 'auth.test' });
        const result = await web.auth.test();
        return { ok: true, userId: String(result.user_id), botId: String(result.bot_id) };
      } catch (err) {
        const failure = classify(err);
        metrics?.slackErrors.inc({ method: 'auth.test', reason: failure.reason });
        return { ok: false, message: failure.detail };
      }
    },
  };
}

function messageArgs(message: SlackMessage): Record<string, unknown> {
  return message.blocks === undefined ? { text: message.text } : { text: message.text, blocks: message.blocks };
}

interface Failure {
  reason: 'rate_limited' | 'server_error' | 'network' | 'platform_error' | 'client_error';
  retryable: boolean;
  retryAfterMs?: number;
  detail: string;
}

const retryablePlatformErrors = new Set(['ratelimited', 'internal_error', 'fatal_error', 'service_unavailable', 'request_timeout']);

function classify(err: unknown): Failure {
  if (err instanceof webApi.WebAPIRateLimitedError) {
    return { reason: 'rate_limited', retryable: true, retryAfterMs: err.retryAfter * 1000, detail: `rate limited, retry after ${err.retryAfter}s` };
  }
  if (err instanceof webApi.WebAPIHTTPError) {
    const server = err.statusCode >= 500;
    return { reason: server ? 'server_error' : 'client_error', retryable: server, detail: `HTTP ${err.statusCode}` };
  }
  if (err instanceof webApi.WebAPIPlatformError) {
    const code = err.data.error;
    if (code === 'ratelimited') return { reason: 'rate_limited', retryable: true, detail: code };
    return { reason: 'platform_error', retryable: retryablePlatformErrors.has(code), detail: code };
  }
  if (err instanceof webApi.WebAPIRequestError) return { reason: 'network', retryable: true, detail: err.original.message };
  return { reason: 'network', retryable: true, detail: err instanceof Error ? err.message : String(err) };
}
