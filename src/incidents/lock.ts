import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { AppError } from '../shared/errors.js';
import { releaseScript, renewScript } from '../shared/leases.js';

export interface Locks {
  /**
   * Runs `fn` while holding a Redis lock (SET NX PX, released only by its holder), so that
   * work on one incident is serialised across every process sharing the Redis. Waits up to
   * `waitMs` for the lock, then throws a retryable AppError('conflict'). The lock lives
   * `ttlMs` (default 10 s) past its holder's last renewal (every third of it): a process
   * killed while holding it delays the retried job by seconds, not minutes.
   */
  withLock<T>(name: string, fn: () => Promise<T>, options?: { ttlMs?: number; waitMs?: number }): Promise<T>;
}

export function createLocks(options: { redis: Redis; prefix: string }): Locks {
  const { redis, prefix } = options;
  return {
    async withLock(name, fn, lockOptions = {}) {
      const key = `${prefix}:lock:${name}`;
      const token = randomUUID();
      const ttlMs = lockOptions.ttlMs ?? 10_000;
      const deadline = Date.now() + (lockOptions.waitMs ?? 30_000);
      let delay = 10;
      while ((await redis.set(key, token, 'PX', ttlMs, 'NX')) !== 'OK') {
        if (Date.now() > deadline) throw new AppError('conflict', `lock ${name} is busy`, { retryable: true });
        await new Promise((resolve) => setTimeout(resolve, delay));
        delay = Math.min(delay * 2, 200);
      }
      const renewal = setInterval(() => {
        redis.eval(renewScript, 1, key, token, String(ttlMs)).catch(() => undefined);
      }, Math.max(50, Math.floor(ttlMs / 3)));
      renewal.unref();
      try {
        return await fn();
      } finally {
        clearInterval(renewal);
        await redis.eval(releaseScript, 1, key, token);
      }
    },
  };
}
