import type { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAuditLog } from '../../src/decisions/audit-log.js';
import { createPauseSwitch, pauseKeyOf } from '../../src/decisions/pause.js';
import { createSilentLogger } from '../../src/shared/logger.js';
import { createTestRedis, uniquePrefix } from '../helpers/redis.js';

describe('pause switch', () => {
  let redis: Redis;
  let prefix: string;

  beforeEach(() => {
    redis = createTestRedis();
    prefix = uniquePrefix('pause');
  });
  afterEach(async () => {
    await redis.quit();
  });

  const make = () => {
    const audit = createAuditLog({ redis, key: `${prefix}:audit`, clock: () => Date.now(), log: createSilentLogger(), maxEntries: 1000, retentionDays: 1 });
    return { audit, pause: createPauseSwitch({ redis, prefix, clock: () => Date.parse('2026-11-21T12:00:00Z'), audit }) };
  };

  it('records who paused and when, survives a new instance, and audits pause and resume', async () => {
    const { audit, pause } = make();
    expect(await pause.pause({ user: 'UALICE', reason: 'deploy freeze' })).toBe(true);
    expect(await pause.pause({ user: 'UBOB' })).toBe(false);
    const restarted = make().pause;
    expect(await restarted.state()).toEqual({ paused: true, by: 'UALICE', at: '2026-11-21T12:00:00.000Z', reason: 'deploy freeze' });
    expect(await redis.exists(pauseKeyOf(prefix))).toBe(1);
    expect(await restarted.resume({ user: 'UBOB' })).toBe(true);
    expect(await restarted.resume({ user: 'UBOB' })).toBe(false);
    expect(await pause.isPaused()).toBe(false);
    expect((await audit.recent({ limit: 10 })).map((e) => [e.type, e.actor])).toEqual([
      ['resume', 'UBOB'],
      ['pause', 'UALICE'],
    ]);
  });
});
