import type { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAuditLog } from '../../src/decisions/audit-log.js';
import type { ChannelConfig } from '../../src/core/config/file.js';
import { createModeStore } from '../../src/decisions/mode-store.js';
import { createApproverResolver } from '../../src/decisions/approvers.js';
import { createSilentLogger } from '../../src/shared/logger.js';
import { createTestRedis, uniquePrefix } from '../helpers/redis.js';
import { makeChannel } from './fixtures.js';

describe('mode store', () => {
  let redis: Redis;
  let prefix: string;

  beforeEach(() => {
    redis = createTestRedis();
    prefix = uniquePrefix('modes');
  });
  afterEach(async () => {
    await redis.quit();
  });

  const channels: Record<string, ChannelConfig> = { C0OPS: makeChannel({ mode: 'approval', approvers: { users: ['UALICE'], groups: ['SSRE'] } }) };
  const make = () => {
    const audit = createAuditLog({ redis, key: `${prefix}:audit`, clock: () => Date.now(), log: createSilentLogger(), maxEntries: 1000, retentionDays: 1 });
    const approvers = createApproverResolver({ groupMembers: () => Promise.resolve(['UDAVE']), clock: () => 0 });
    const store = createModeStore({
      redis,
      prefix,
      audit,
      approvers,
      channelConfig: (id) => {
        const c = channels[id];
        return c ? { ...c, configured: true } : { ...makeChannel({ mode: 'plan', namespaces: [] }), configured: false };
      },
    });
    return { store, audit };
  };

  it('uses the configured mode until an approver overrides it; the override persists and is audited', async () => {
    const { store, audit } = make();
    expect(await store.effectiveMode('C0OPS')).toBe('approval');
    expect(await store.setChannelMode({ channel: 'C0OPS', mode: 'yolo', user: 'UDAVE' })).toEqual({ ok: true, mode: 'yolo', previous: 'approval' });
    expect(await make().store.effectiveMode('C0OPS')).toBe('yolo');
    const [entry] = await audit.recent({ limit: 1 });
    expect(entry).toMatchObject({ type: 'mode_change', actor: 'UDAVE', channel: 'C0OPS', details: { previous: 'approval', mode: 'yolo' } });
  });

  it('refuses a mode change by a non-approver and changes nothing', async () => {
    const { store, audit } = make();
    expect(await store.setChannelMode({ channel: 'C0OPS', mode: 'yolo', user: 'UMALLORY' })).toMatchObject({ ok: false, reason: 'not_approver' });
    expect(await store.effectiveMode('C0OPS')).toBe('approval');
    expect(await audit.recent({ limit: 10 })).toEqual([]);
  });

  it('keeps an unconfigured channel in plan mode', async () => {
    const { store } = make();
    expect(await store.setChannelMode({ channel: 'C0NEW', mode: 'yolo', user: 'UALICE' })).toMatchObject({ ok: false, reason: 'not_configured' });
    expect(await store.effectiveMode('C0NEW')).toBe('plan');
  });
});
