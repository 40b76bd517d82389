import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IncidentStatusChange } from '../../src/core/incident-events.js';
import { Alert, type IncidentStatus } from '../../src/core/incident.js';
import { createIncidentStore } from '../../src/core/incident-store.js';
import { createLocks } from '../../src/core/lock.js';
import { createMetrics } from '../../src/metrics/metrics.js';
import { createMitigation, nextIncidentStatus } from '../../src/intake/lifecycle.js';
import { createIntakeProcessor } from '../../src/intake/worker.js';
import { createSilentLogger } from '../../src/shared/logger.js';
import type { SlackMessage, SlackMessenger } from '../../src/slack/messenger.js';
import { createTestRedis, uniquePrefix } from '../helpers/redis.js';

let redis: Redis;
beforeAll(() => {
  redis = createTestRedis();
});
afterAll(async () => {
  await redis.quit();
});

describe('nextIncidentStatus', () => {
  it.each<[IncidentStatus, IncidentStatus, boolean, IncidentStatus]>([
    ['triggered', 'acknowledged', false, 'acknowledged'],
    ['acknowledged', 'triggered', false, 'triggered'],
    ['mitigated', 'triggered', false, 'mitigated'],
    ['mitigated', 'acknowledged', false, 'mitigated'],
    ['mitigated', 'resolved', false, 'resolved'],
    ['mitigated', 'triggered', true, 'triggered'],
    ['resolved', 'triggered', true, 'triggered'],
  ])('%s + %s (re-trigger %s) → %s', (current, alert, retrigger, next) => {
    expect(nextIncidentStatus(current, alert, retrigger)).toBe(next);
  });
});

function setup() {
  const prefix = uniquePrefix('lifecycle');
  const updates: SlackMessage[] = [];
  const slack: SlackMessenger = {
    post: () => Promise.resolve({ channel: 'C1', ts: '1700000000.000001' }),
    update: ({ message }) => {
      updates.push(message);
      return Promise.resolve();
    },
    postEphemeral: () => Promise.resolve(),
  };
  const changes: IncidentStatusChange[] = [];
  const store = createIncidentStore({ redis, prefix });
  const locks = createLocks({ redis, prefix });
  const onStatusChanged = (change: IncidentStatusChange) => {
    changes.push(change);
    return Promise.resolve();
  };
  const clock = () => Date.parse('2026-12-02T10:00:00Z');
  const log = createSilentLogger();
  const process = createIntakeProcessor({ store, locks, slack, routes: [], fallbackChannel: 'C1', enqueueAnalysis: () => Promise.resolve(), log, metrics: createMetrics(), clock, onStatusChanged });
  const mitigate = createMitigation({ store, locks, slack, clock, log, onStatusChanged });
  return { process, mitigate, store, updates, changes };
}

const alert = (status: 'triggered' | 'acknowledged' | 'resolved', n: number) =>
  Alert.parse({
    source: 'alertmanager',
    externalId: 'group-1',
    deliveryId: `d${n}`,
    eventType: `alertmanager.${status === 'resolved' ? 'resolved' : 'firing'}`,
    title: 'KubePodCrashLooping',
    severity: 'critical',
    status,
    occurredAt: new Date(Date.parse('2026-12-02T09:00:00Z') + n * 1000).toISOString(),
  });

describe('incident lifecycle', () => {
  it('a verified fix while the alert still fires makes the incident mitigated: root, store and audit event; a repeat firing keeps it', async () => {
    const { process, mitigate, store, updates, changes } = setup();
    await process(alert('triggered', 1));
    const incident = await store.getByKey('alertmanager:group-1');
    expect(incident?.status).toBe('triggered');

    expect(await mitigate({ incidentId: incident!.id, summary: 'rollout_undo healthy' })).toBe('mitigated');
    expect((await store.get(incident!.id))?.status).toBe('mitigated');
    expect(JSON.stringify(updates.at(-1)?.blocks)).toContain('Mitigated');
    expect(changes.at(-1)).toMatchObject({ from: 'triggered', to: 'mitigated', cause: 'fix verified: rollout_undo healthy' });
    // Listed as open (the source still fires) and idempotent.
    expect((await store.listOpen()).map((i) => i.id)).toContain(incident!.id);
    expect(await mitigate({ incidentId: incident!.id, summary: 'again' })).toBe('mitigated');
    expect(changes.filter((c) => c.to === 'mitigated')).toHaveLength(1);

    // Alertmanager repeats the firing group: still mitigated. The source resolving it closes it.
    await process(alert('triggered', 2));
    expect((await store.get(incident!.id))?.status).toBe('mitigated');
    await process(alert('resolved', 3));
    expect((await store.get(incident!.id))?.status).toBe('resolved');
    expect(changes.map((c) => c.to)).toEqual(['triggered', 'mitigated', 'resolved']);
    expect(await store.listOpen()).toEqual([]);
  });

  it('a verified fix after the source resolved the incident changes nothing', async () => {
    const { process, mitigate, store } = setup();
    await process(alert('triggered', 1));
    await process(alert('resolved', 2));
    const incident = await store.getByKey('alertmanager:group-1');
    expect(await mitigate({ incidentId: incident!.id, summary: 'ok' })).toBe('resolved');
  });
});
