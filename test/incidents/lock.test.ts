import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocks } from '../../src/incidents/lock.js';
import { createTestRedis, uniquePrefix } from '../helpers/redis.js';

let redis: Redis;
beforeAll(() => {
  redis = createTestRedis();
});
afterAll(async () => {
  await redis.quit();
});

describe('createLocks', () => {
  it('keeps the lock while its holder runs past the TTL (renewed), and frees it when released', async () => {
    const locks = createLocks({ redis, prefix: uniquePrefix('lock') });
    let finish!: () => void;
    const held = locks.withLock('x', () => new Promise<void>((resolve) => (finish = resolve)), { ttlMs: 200 });
    await expect(locks.withLock('x', () => Promise.resolve('second'), { waitMs: 700 })).rejects.toMatchObject({ code: 'conflict', retryable: true });
    finish();
    await held;
    expect(await locks.withLock('x', () => Promise.resolve('second'))).toBe('second');
  });

  it('is free within its TTL once a killed holder stops renewing it', async () => {
    const prefix = uniquePrefix('lock');
    await redis.set(`${prefix}:lock:y`, 'a-dead-process', 'PX', 300);
    expect(await createLocks({ redis, prefix }).withLock('y', () => Promise.resolve('got'), { waitMs: 5000 })).toBe('got');
  });
});
