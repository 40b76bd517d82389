import { Writable } from 'node:stream';
import type { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAuditLog } from '../../src/audit/audit-log.js';
import { createLogger } from '../../src/shared/logger.js';
import { createTestRedis, uniquePrefix } from '../helpers/redis.js';

describe('audit log', () => {
  let redis: Redis;
  let key: string;
  let now: number;
  let logged: string[];

  const make = (maxEntries = 100_000, retentionDays = 90) => {
    const destination = new Writable({
      write(chunk: Buffer, _enc, cb) {
        logged.push(chunk.toString());
        cb();
      },
    });
    return createAuditLog({ redis, key, clock: () => now, log: createLogger({ destination }), maxEntries, retentionDays });
  };

  beforeEach(() => {
    redis = createTestRedis();
    key = `${uniquePrefix('audit')}:audit`;
    now = Date.now();
    logged = [];
  });
  afterEach(async () => {
    await redis.quit();
  });

  it('appendOnce appends one entry per key, however often and concurrently it is called', async () => {
    const audit = make();
    const entry = { type: 'execution' as const, incidentId: 'i1', proposalId: 'p1', summary: 'executed: token=abc123' };
    const results = await Promise.all(Array.from({ length: 5 }, () => audit.appendOnce('p1:execution', entry)));
    expect(results.filter((r) => r !== undefined)).toHaveLength(1);
    expect(await audit.appendOnce('p1:execution', entry)).toBeUndefined();
    expect(await audit.appendOnce('p1:verification', { ...entry, type: 'verification' })).toMatchObject({ type: 'verification' });
    const entries = await audit.recent({ limit: 10 });
    expect(entries.map((e) => e.type)).toEqual(['verification', 'execution']);
    expect(JSON.stringify(entries)).not.toContain('abc123');
  });

  it('appends entries and returns the newest first, filtered by incident', async () => {
    const audit = make();
    await audit.append({ type: 'proposal', incidentId: 'i1', proposalId: 'p1', summary: 'proposed scale' });
    await audit.append({ type: 'approval', actor: 'UALICE', channel: 'C1', incidentId: 'i2', summary: 'approved' });
    await audit.append({ type: 'execution', incidentId: 'i1', proposalId: 'p1', summary: 'scaled web to 4' });
    expect((await audit.recent({ limit: 10 })).map((e) => e.summary)).toEqual(['scaled web to 4', 'approved', 'proposed scale']);
    expect((await audit.recent({ incidentId: 'i1', limit: 10 })).map((e) => e.summary)).toEqual(['scaled web to 4', 'proposed scale']);
    expect(await audit.recent({ limit: 1 })).toHaveLength(1);
  });

  it('logs every entry as structured JSON', async () => {
    await make().append({ type: 'pause', actor: 'UALICE', summary: 'execution paused' });
    const line = JSON.parse(logged[0]!);
    expect(line.msg).toBe('audit');
    expect(line.audit).toMatchObject({ type: 'pause', actor: 'UALICE', summary: 'execution paused' });
  });

  it('never stores or logs a secret', async () => {
    const audit = make();
    await audit.append({
      type: 'execution',
      summary: 'failed: connect postgres://app:hunter2@db:5432/shop with token=abcd1234efgh',
      details: { error: 'Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJlMTIz', password: 'hunter2' },
    });
    const raw = JSON.stringify(await redis.xrange(key, '-', '+'));
    for (const text of [raw, logged.join('\n')]) {
      expect(text).not.toContain('hunter2');
      expect(text).not.toContain('abcd1234efgh');
      expect(text).not.toContain('c2lnbmF0dXJlMTIz');
    }
    expect((await audit.recent({ limit: 1 }))[0]?.summary).toContain('postgres://app:****@db');
  });

  it('drops entries older than the retention period', async () => {
    const audit = make(100_000, 90);
    await audit.append({ type: 'proposal', summary: 'old 1' });
    await audit.append({ type: 'proposal', summary: 'old 2' });
    now += 89 * 24 * 3600_000;
    await audit.append({ type: 'proposal', summary: 'recent' });
    expect(await redis.xlen(key)).toBe(3);
    now += 2 * 24 * 3600_000;
    await audit.append({ type: 'proposal', summary: 'new' });
    // Stream ids carry Redis time, so every entry above is "now" to Redis: all earlier ones trimmed.
    expect((await audit.recent({ limit: 10 })).map((e) => e.summary)).toEqual(['new']);
  });

  it('keeps about maxEntries entries', async () => {
    const audit = make(100);
    for (let i = 0; i < 400; i++) await audit.append({ type: 'proposal', summary: `e${i}` });
    const length = await redis.xlen(key);
    // MAXLEN ~ trims whole stream nodes (100 entries each by default), so allow one node of slack.
    expect(length).toBeGreaterThanOrEqual(100);
    expect(length).toBeLessThanOrEqual(200);
    expect((await audit.recent({ limit: 1 }))[0]?.summary).toBe('e399');
  });
});
