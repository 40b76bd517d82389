import type { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCircuitBreaker, type CircuitBreaker } from '../../src/decisions/breaker.js';
import { createTestRedis, uniquePrefix } from '../helpers/redis.js';
import { manualClock } from './fixtures.js';

describe('circuit breaker', () => {
  let redis: Redis;
  let breaker: CircuitBreaker;
  let clock: ReturnType<typeof manualClock>;

  beforeEach(() => {
    redis = createTestRedis();
    clock = manualClock();
    breaker = createCircuitBreaker({ redis, prefix: uniquePrefix('breaker'), clock: clock.now });
  });
  afterEach(async () => {
    await redis.quit();
  });

  const fail = async (n: number) => {
    const results = [];
    for (let i = 0; i < n; i++) results.push((await breaker.recordFailure('prod')).opened);
    return results;
  };

  it('opens on the fifth consecutive failure, per cluster', async () => {
    expect(await fail(5)).toEqual([false, false, false, false, true]);
    expect((await breaker.state('prod')).open).toBe(true);
    expect((await breaker.state('staging')).open).toBe(false);
  });

  it('a success in between resets the count', async () => {
    await fail(4);
    await breaker.recordSuccess('prod', { human: false });
    await fail(4);
    expect((await breaker.state('prod')).open).toBe(false);
  });

  it('closes after 5 minutes', async () => {
    await fail(5);
    clock.advance(5 * 60_000 - 1);
    expect((await breaker.state('prod')).open).toBe(true);
    clock.advance(1);
    expect(await breaker.state('prod')).toEqual({ open: false, failures: 0 });
  });

  it('closes after 2 successful human-approved runs, not after yolo ones', async () => {
    await fail(5);
    expect(await breaker.recordSuccess('prod', { human: false })).toEqual({ closed: false });
    expect(await breaker.recordSuccess('prod', { human: true })).toEqual({ closed: false });
    expect((await breaker.state('prod')).open).toBe(true);
    expect(await breaker.recordSuccess('prod', { human: true })).toEqual({ closed: true });
    expect((await breaker.state('prod')).open).toBe(false);
  });

  it('a failure while open resets the successes counted toward closing', async () => {
    await fail(5);
    await breaker.recordSuccess('prod', { human: true });
    await breaker.recordFailure('prod');
    expect(await breaker.recordSuccess('prod', { human: true })).toEqual({ closed: false });
  });
});
