import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocks } from '../../src/core/lock.js';
import type { Incident } from '../../src/core/incident.js';
import { createIncidentStore } from '../../src/core/incident-store.js';
import { createTestRedis, uniquePrefix } from '../helpers/redis.js';

let redis: Redis;
beforeAll(() => {
  redis = createTestRedis();
});
afterAll(async () => {
  await redis.quit();
});

const incident = (id: string, key = 'pagerduty:P1'): Incident => ({
  id,
  key,
  source: 'pagerduty',
  externalId: 'P1',
  title: 't',
  severity: 'high',
  status: 'triggered',
  labels: {},
  target: {},
  links: [],
  members: [],
  truncatedAlerts: 0,
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z',
});

describe('IncidentStore', () => {
  it('creates exactly one incident per key under concurrent creates', async () => {
    const store = createIncidentStore({ redis, prefix: uniquePrefix() });
    const results = await Promise.all(['a', 'b', 'c', 'd'].map((id) => store.create(incident(id))));
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.incident.id)).size).toBe(1);
  });

  it('answers a create for a key that has an incident with that incident, whole and untouched', async () => {
    const store = createIncidentStore({ redis, prefix: uniquePrefix() });
    const first = await store.create({ ...incident('first'), channel: 'C1', threadTs: '1.2', triggerCount: 2 });
    const second = await store.create({ ...incident('second'), title: 'another title', status: 'acknowledged' });
    expect(first.created).toBe(true);
    expect(second.created).toBe(false);
    expect(second.incident).toEqual(first.incident);
    expect(await store.get('second')).toBeUndefined();
    expect(await store.getByKey('pagerduty:P1')).toEqual(first.incident);
  });

  it('updates fields, indexes the thread and tracks open incidents', async () => {
    const store = createIncidentStore({ redis, prefix: uniquePrefix(), clock: () => Date.parse('2026-02-02T00:00:00Z') });
    await store.create(incident('i1'));
    expect((await store.listOpen()).map((i) => i.id)).toEqual(['i1']);
    const updated = await store.update('i1', { channel: 'C1', threadTs: '1.2', members: [] });
    expect(updated).toMatchObject({ channel: 'C1', threadTs: '1.2', updatedAt: '2026-02-02T00:00:00.000Z' });
    expect((await store.getByThread('C1', '1.2'))?.id).toBe('i1');
    expect((await store.getByKey('pagerduty:P1'))?.id).toBe('i1');
    await store.update('i1', { status: 'resolved' });
    expect(await store.listOpen()).toEqual([]);
    await expect(store.update('missing', { title: 'x' })).rejects.toMatchObject({ code: 'not_found' });
  });
});

describe('Locks', () => {
  it('serialises work on one name across holders', async () => {
    const locks = createLocks({ redis, prefix: uniquePrefix() });
    let inside = 0;
    let maxInside = 0;
    await Promise.all(
      Array.from({ length: 5 }, () =>
        locks.withLock('x', async () => {
          inside += 1;
          maxInside = Math.max(maxInside, inside);
          await new Promise((resolve) => setImmediate(resolve));
          inside -= 1;
        }),
      ),
    );
    expect(maxInside).toBe(1);
  });
});
