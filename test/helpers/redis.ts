import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { inject } from 'vitest';

/** The private Redis of this test run (see test/global-setup.ts). */
export function testRedisUrl(): string {
  return inject('redisUrl');
}

/** A fresh ioredis client on the test Redis; BullMQ-compatible (maxRetriesPerRequest null). */
export function createTestRedis(): Redis {
  return new Redis(testRedisUrl(), { maxRetriesPerRequest: null });
}

/** A key prefix unique to one test, so tests sharing the Redis never see each other's keys. */
export function uniquePrefix(label = 't'): string {
  return `${label}-${randomUUID().slice(0, 8)}`;
}
