import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkloadAliases, workloadKeysOfTarget } from '../../src/core/workload-aliases.js';
import { createTestRedis, uniquePrefix } from '../helpers/redis.js';

let redis: Redis;
beforeAll(() => {
  redis = createTestRedis();
});
afterAll(async () => {
  await redis.quit();
});

describe('workload aliases', () => {
  it('gives a workload to exactly one of many concurrent claimants', async () => {
    const aliases = createWorkloadAliases({ redis, prefix: uniquePrefix('alias') });
    const key = 'prod/shop/Deployment/checkout';
    const winners = await Promise.all(Array.from({ length: 20 }, (_, i) => aliases.claim([key], [], `inc-${i}`)));
    expect(new Set(winners).size).toBe(1);
  });

  it('finds the holder through a pod-name candidate, and frees the workload when released', async () => {
    const aliases = createWorkloadAliases({ redis, prefix: uniquePrefix('alias') });
    expect(await aliases.claim(['prod/shop/Deployment/checkout'], [], 'inc-watch')).toBe('inc-watch');
    const { keys, candidates } = workloadKeysOfTarget({ namespace: 'shop', pod: 'checkout-7d9f8b6c5d-x2k4j' }, 'prod');
    expect(keys).toEqual([]);
    expect(await aliases.claim(keys, candidates, 'inc-alert')).toBe('inc-watch');
    await aliases.release('inc-watch');
    expect(await aliases.claim(['prod/shop/Deployment/checkout'], [], 'inc-next')).toBe('inc-next');
  });

  it('a release leaves an alias another incident took over', async () => {
    const aliases = createWorkloadAliases({ redis, prefix: uniquePrefix('alias') });
    await aliases.claim(['prod/shop/StatefulSet/db'], [], 'inc-a');
    await aliases.release('inc-a');
    await aliases.claim(['prod/shop/StatefulSet/db'], [], 'inc-b');
    await aliases.release('inc-a');
    expect(await aliases.claim(['prod/shop/StatefulSet/db'], [], 'inc-c')).toBe('inc-b');
  });

  it('names workloads only from a target with a cluster and a namespace', () => {
    expect(workloadKeysOfTarget({ namespace: 'shop', deployment: 'web' }, undefined)).toEqual({ keys: [], candidates: [] });
    expect(workloadKeysOfTarget({ namespace: 'shop', statefulset: 'db' }, 'prod').keys).toEqual(['prod/shop/StatefulSet/db']);
    expect(workloadKeysOfTarget({ namespace: 'shop', pod: 'db-0' }, 'prod').candidates).toEqual(['prod/shop/StatefulSet/db']);
  });
});
