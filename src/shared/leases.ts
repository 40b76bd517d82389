import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { AppError } from './errors.js';

/** A short Redis lease on one key, renewed while its holder lives. */
export interface Lease {
  readonly token: string;
  /** Stops renewing without deleting the key (its value is about to be replaced). */
  stop(): void;
  /** Stops renewing and deletes the key if it still holds this lease. */
  release(): Promise<void>;
}

/** Extends KEYS[1] by ARGV[2] ms if it still holds ARGV[1]. */
export const renewScript = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
`;
/** Deletes KEYS[1] if it still holds ARGV[1]. */
export const releaseScript = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

/**
 * Takes KEYS[1] for ARGV[1] (PX ARGV[2]) if free, and then records ARGV[3] under KEYS[2]
 * (EX ARGV[4]) unless something is there already: {1, what KEYS[2] held before}. Taken:
 * {0, what KEYS[1] holds}.
 */
export const acquireMarkingScript = `
if redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2], 'NX') then
  local earlier = redis.call('GET', KEYS[2])
  if not earlier then redis.call('SET', KEYS[2], ARGV[3], 'EX', ARGV[4]) end
  return {1, earlier}
end
return {0, redis.call('GET', KEYS[1])}
`;

/** Value prefix of a lease: anything else in a post key is the post's recorded result. */
export const leasePrefix = 'pending:';

/**
 * Leases that expire `ttlMs` after their holder stops renewing them. A process killed in the
 * middle of a Slack call leaves its lease for at most `ttlMs` (not minutes), so the retried
 * job in a fresh process gets on quickly; a live holder renews every third of `ttlMs`, so a
 * slow call never loses its lease to a second poster.
 */
export function createLeases(options: { redis: Redis; ttlMs: number }) {
  const { redis, ttlMs } = options;

  /** Renews `key` while it holds `token`, until stopped or released. */
  const hold = (key: string, token: string): Lease => {
    const timer = setInterval(() => {
      redis.eval(renewScript, 1, key, token, String(ttlMs)).catch(() => undefined);
    }, Math.max(50, Math.floor(ttlMs / 3)));
    timer.unref();
    return {
      token,
      stop: () => clearInterval(timer),
      release: async () => {
        clearInterval(timer);
        await redis.eval(releaseScript, 1, key, token);
      },
    };
  };

  const tryAcquire = async (key: string): Promise<Lease | undefined> => {
    const token = `${leasePrefix}${randomUUID()}`;
    if ((await redis.set(key, token, 'PX', ttlMs, 'NX')) !== 'OK') return undefined;
    return hold(key, token);
  };

  /**
   * Waits (at most one lease lifetime and a bit) for the key to be free, or for `done` to
   * read a result someone else recorded under it.
   */
  const acquire = async <T>(key: string, done: (value: string) => T | undefined = () => undefined): Promise<{ lease: Lease } | { done: T }> => {
    const deadline = Date.now() + ttlMs + 5_000;
    for (;;) {
      const lease = await tryAcquire(key);
      if (lease) return { lease };
      const value = await redis.get(key);
      const result = value === null || value.startsWith(leasePrefix) ? undefined : done(value);
      if (result !== undefined) return { done: result };
      if (Date.now() > deadline) throw new AppError('conflict', `another process holds ${key}`, { retryable: true });
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };

  /**
   * `acquire`, and in the same round trip `mark.value` recorded under `mark.key` (for
   * `mark.ttlSeconds`) unless one is there: `earlier` is the mark an earlier holder left,
   * which tells the new holder that holder may have acted (slack/client.ts: a post's intent).
   */
  const acquireMarking = async <T>(
    key: string,
    mark: { key: string; value: string; ttlSeconds: number },
    done: (value: string) => T | undefined,
  ): Promise<{ lease: Lease; earlier: string | undefined } | { done: T }> => {
    const deadline = Date.now() + ttlMs + 5_000;
    for (;;) {
      const token = `${leasePrefix}${randomUUID()}`;
      const [taken, value] = (await redis.eval(acquireMarkingScript, 2, key, mark.key, token, String(ttlMs), mark.value, String(mark.ttlSeconds))) as [number, string | null];
      if (taken === 1) return { lease: hold(key, token), earlier: value ?? undefined };
      const result = value === null || value.startsWith(leasePrefix) ? undefined : done(value);
      if (result !== undefined) return { done: result };
      if (Date.now() > deadline) throw new AppError('conflict', `another process holds ${key}`, { retryable: true });
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };

  return { tryAcquire, acquire, acquireMarking };
}

export type Leases = ReturnType<typeof createLeases>;
