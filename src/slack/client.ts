import { webApi } from '@slack/bolt';
import type { Redis } from 'ioredis';
import type { Metrics } from '../metrics/metrics.js';
import { AppError } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';
import { createLeases } from '../shared/leases.js';
import type { PostInput, SlackMessenger } from './messenger.js';
import { messageArgs, postEventType, lookupSkewMs, lookupLimit, UpdateIntent, LookupAnswer, toSlackTs, classify, type UpdateInput } from './client-wire.js';

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
  /**
   * Lifetime of the lease a post or an update holds while it calls Slack, renewed while its
   * process lives: after a crash, the retry waits at most this long. Default 10 s.
   */
  leaseTtlMs?: number;
}

/** The messenger plus a generic retrying call for the Web API methods features need. */
export interface SlackClient extends SlackMessenger {
  /** One Web API call with Deckhand's retry policy. Not idempotent: use post() for messages. */
  call(method: string, args?: Record<string, unknown>): Promise<webApi.WebAPICallResult>;
  /** auth.test, once, no retries: for /readyz. */
  authTest(): Promise<{ ok: true; userId: string; botId: string } | { ok: false; message: string }>;
  /**
   * Applies every chat.update whose caller died or gave up before Slack confirmed it (its
   * intent is still recorded and nobody holds its lease). Returns how many were applied.
   */
  resumeUpdates(): Promise<number>;
  readonly web: webApi.WebClient;
}

/**
 * SlackMessenger over @slack/web-api. The WebClient's own retries are switched off
 * (`retries: 0`, `rejectRateLimitedCalls`): it would retry invisibly, including after a
 * 5xx that Slack may have acted on, and its 429 handling pauses its whole queue. Our loop
 * retries 429 (after Retry-After), 5xx and network errors with backoff, counts every
 * attempt, and post() leases its idempotency key in Redis first, so a retried job — in any
 * process — gets the first post's ts instead of posting again.
 *
 * Across process death: post() records its intent (the first attempt's start time) before
 * calling Slack, and clears it only when the outcome is known. A retry that finds an intent
 * without a result looks for the earlier message by its metadata before posting. update()
 * records the wanted message the same way; resumeUpdates() applies what a dead process left.
 */
export function createSlackClient(options: SlackClientOptions): SlackClient {
  const policy = { ...defaultRetryPolicy, ...options.retry };
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const { redis, log, metrics } = options;
  const ttl = options.idempotencyTtlSeconds ?? 30 * 24 * 3600;
  const leases = createLeases({ redis, ttlMs: options.leaseTtlMs ?? 10_000 });
  const updateIndex = `${options.prefix}:slack:updates`;
  const web = new webApi.WebClient(options.token, {
    slackApiUrl: options.apiUrl,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: 10_000,
    logLevel: webApi.LogLevel.ERROR,
  });

  /**
   * The retry loop. `recover`, when given, runs before each retry once an earlier attempt's
   * outcome is unknown (Slack may have acted on it): a result it finds replaces the call.
   */
  const callWithRetry = async (
    method: string,
    args: Record<string, unknown>,
    recover?: () => Promise<webApi.WebAPICallResult | undefined>,
    startUncertain = false,
  ): Promise<webApi.WebAPICallResult> => {
    let uncertain = startUncertain;
    for (let attempt = 1; ; attempt += 1) {
      try {
        if (uncertain && recover) {
          const found = await recover();
          if (found) return found;
        }
        metrics?.slackCalls.inc({ method });
        return await web.apiCall(method, args);
      } catch (err) {
        const failure = classify(err);
        uncertain ||= failure.ambiguous;
        metrics?.slackErrors.inc({ method, reason: failure.reason });
        const last = attempt >= policy.attempts || !failure.retryable;
        const delay = failure.retryAfterMs ?? Math.min(policy.baseDelayMs * 2 ** (attempt - 1), policy.maxDelayMs);
        if (last || delay > policy.maxRetryAfterMs) {
          log.warn({ method, attempt, reason: failure.reason, detail: failure.detail }, 'slack call failed');
          throw new AppError(failure.reason === 'rate_limited' ? 'rate_limited' : 'upstream', `slack ${method} failed: ${failure.detail}`, {
            retryable: failure.retryable,
            cause: err,
            details: { method, attempts: attempt, outcomeUnknown: uncertain, ...(failure.reason === 'platform_error' ? { slackError: failure.detail } : {}) },
          });
        }
        log.debug({ method, attempt, delay, reason: failure.reason }, 'slack call retrying');
        await sleep(delay);
      }
    }
  };

  const call = (method: string, args: Record<string, unknown> = {}): Promise<webApi.WebAPICallResult> => callWithRetry(method, args);

  /** The message an earlier, unanswered attempt posted, found by its metadata key. */
  const findPosted = async (input: PostInput, since: number): Promise<(webApi.WebAPICallResult & { channel: string; ts: string }) | undefined> => {
    const window = {
      channel: input.channel,
      include_all_metadata: true,
      oldest: toSlackTs(since - lookupSkewMs),
      limit: lookupLimit,
    };
    const method = input.threadTs === undefined ? 'conversations.history' : 'conversations.replies';
    metrics?.slackCalls.inc({ method });
    let result: webApi.WebAPICallResult;
    try {
      result = await web.apiCall(method, input.threadTs === undefined ? window : { ...window, ts: input.threadTs });
    } catch (err) {
      const failure = classify(err);
      // A refusal retrying cannot fix (a missing scope, say) must not block the post forever:
      // post again and accept the small risk of a duplicate.
      if (failure.retryable) throw err;
      log.warn({ method, reason: failure.reason, detail: failure.detail }, 'slack post look-up refused');
      return undefined;
    }
    const parsed = LookupAnswer.safeParse(result);
    const match = parsed.success
      ? parsed.data.messages.find((m) => m.metadata?.event_type === postEventType && m.metadata.event_payload.key === input.idempotencyKey)
      : undefined;
    if (!match) return undefined;
    log.info({ channel: input.channel, ts: match.ts }, 'slack post found after unknown outcome');
    return { ok: true, channel: input.channel, ts: match.ts };
  };

  const readPosted = (value: string) => JSON.parse(value) as { channel: string; ts: string };

  /** Applies one update under its message's lease; the intent is cleared once Slack confirmed or refused for good. */
  const applyUpdate = async (intentKey: string, input: UpdateInput): Promise<void> => {
    try {
      await call('chat.update', { channel: input.channel, ts: input.ts, ...messageArgs(input.message) });
    } catch (err) {
      // A refusal retrying cannot fix (message_not_found, invalid_blocks) is not resumed.
      if (!(err instanceof AppError && err.retryable)) await redis.multi().del(intentKey).zrem(updateIndex, intentKey).exec();
      throw err;
    }
    await redis.multi().del(intentKey).zrem(updateIndex, intentKey).exec();
  };

  return {
    web,
    call,
    async post(input: PostInput) {
      const key = `${options.prefix}:slack:post:${input.idempotencyKey}`;
      const intentKey = `${key}:intent`;
      // One round trip: the lease on the key and, recorded before the call, the intent: if
      // this process dies while Slack acts on it, the retry (here or in another process)
      // finds the intent and looks for the message first.
      const now = Date.now();
      const claimed = await leases.acquireMarking(key, { key: intentKey, value: String(now), ttlSeconds: ttl }, readPosted);
      if ('done' in claimed) return claimed.done;
      const { lease } = claimed;
      try {
        const earlier = claimed.earlier === undefined ? undefined : Number(claimed.earlier);
        const since = earlier !== undefined && Number.isFinite(earlier) ? earlier : now;
        const args = {
          channel: input.channel,
          ...(input.threadTs === undefined ? {} : { thread_ts: input.threadTs }),
          ...messageArgs(input.message),
          metadata: { event_type: postEventType, event_payload: { key: input.idempotencyKey } },
          unfurl_links: false,
          unfurl_media: false,
        };
        const result = await callWithRetry('chat.postMessage', args, () => findPosted(input, since), earlier !== undefined).catch(
          async (err: unknown) => {
            // Every attempt was refused before Slack acted (and none earlier may have posted): nothing to look for.
            if (earlier === undefined && !(err instanceof AppError && err.details?.outcomeUnknown === true)) await redis.del(intentKey);
            throw err;
          },
        );
        const { channel, ts } = result as { channel?: unknown; ts?: unknown };
        if (typeof ts !== 'string') throw new AppError('upstream', 'slack chat.postMessage answered without a ts', { retryable: false });
        const posted = { channel: typeof channel === 'string' ? channel : input.channel, ts };
        lease.stop();
        await redis.multi().set(key, JSON.stringify(posted), 'EX', ttl).del(intentKey).exec();
        return posted;
      } catch (err) {
        await lease.release();
        throw err;
      }
    },
    async update(input) {
      const intentKey = `${options.prefix}:slack:update:${input.channel}:${input.ts}`;
      const claimed = await leases.acquire(`${intentKey}:lease`);
      if (!('lease' in claimed)) throw new AppError('internal', 'update lease answered a result', { retryable: true });
      try {
        // The wanted message is recorded first: if this process dies mid-call (or Slack stays
        // down past the retries), resumeUpdates applies it, and a later update replaces it.
        await redis.multi().set(intentKey, JSON.stringify(input), 'EX', ttl).zadd(updateIndex, String(Date.now()), intentKey).exec();
        await applyUpdate(intentKey, input);
      } finally {
        await claimed.lease.release();
      }
    },
    async resumeUpdates() {
      let applied = 0;
      const pending = await redis.zrange(updateIndex, '0', '49');
      for (const intentKey of pending) {
        const lease = await leases.tryAcquire(`${intentKey}:lease`);
        if (!lease) continue;
        try {
          const raw = await redis.get(intentKey);
          const parsed = raw === null ? undefined : UpdateIntent.safeParse(JSON.parse(raw));
          if (!parsed?.success) {
            await redis.multi().del(intentKey).zrem(updateIndex, intentKey).exec();
            continue;
          }
          const { channel, ts, message } = parsed.data;
          await applyUpdate(intentKey, { channel, ts, message: message.blocks === undefined ? { text: message.text } : { text: message.text, blocks: message.blocks } });
          applied += 1;
          log.info({ channel, ts }, 'slack update resumed');
        } catch (err) {
          log.warn({ err: err instanceof Error ? err.message : String(err) }, 'slack update resume failed');
        } finally {
          await lease.release();
        }
      }
      return applied;
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
