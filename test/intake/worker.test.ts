import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIntakeProcessor } from '../../src/intake/worker.js';
import { createLocks } from '../../src/core/lock.js';
import { Alert } from '../../src/core/incident.js';
import { createIncidentStore } from '../../src/core/incident-store.js';
import { createMetrics } from '../../src/metrics/metrics.js';
import { createSilentLogger } from '../../src/shared/logger.js';
import type { SlackMessenger } from '../../src/slack/messenger.js';
import { createTestRedis, uniquePrefix } from '../helpers/redis.js';

let redis: Redis;
beforeAll(() => {
  redis = createTestRedis();
});
afterAll(async () => {
  await redis.quit();
});

const alert = (status: 'triggered' | 'resolved', deliveryId: string, occurredAt: string): Alert =>
  Alert.parse({
    source: 'pagerduty',
    externalId: 'PGR0VU2',
    deliveryId,
    eventType: `incident.${status}`,
    title: 'web: high 5xx rate',
    severity: 'high',
    status,
    occurredAt,
  });

function setup() {
  const prefix = uniquePrefix('intake');
  let posts = 0;
  const slack: SlackMessenger = {
    post: () => Promise.resolve({ channel: 'C1', ts: `1700000000.${String(++posts).padStart(6, '0')}` }),
    update: () => Promise.resolve(),
    postEphemeral: () => Promise.resolve(),
  };
  const queued: string[] = [];
  let failNext = 0;
  const process = createIntakeProcessor({
    store: createIncidentStore({ redis, prefix }),
    locks: createLocks({ redis, prefix }),
    slack,
    routes: [],
    fallbackChannel: 'C1',
    enqueueAnalysis: (incidentId, trigger) => {
      if (failNext > 0) {
        failNext -= 1;
        return Promise.reject(new Error('worker died before the analysis was queued'));
      }
      queued.push(`${incidentId}#${trigger}`);
      return Promise.resolve();
    },
    log: createSilentLogger(),
    metrics: createMetrics(),
    clock: () => Date.parse('2026-11-21T18:00:00Z'),
  });
  return { process, queued, failOnce: () => (failNext = 1) };
}

describe('intake', () => {
  it('queues a new incident’s analysis when the job that stored it died first', async () => {
    const { process, queued, failOnce } = setup();
    failOnce();
    await expect(process(alert('triggered', 'd1', '2026-11-21T18:00:00Z'))).rejects.toThrow(/worker died/);
    expect(queued).toEqual([]);
    // The retried job (same delivery) finds the incident stored and the analysis still owed.
    await process(alert('triggered', 'd1', '2026-11-21T18:00:00Z'));
    expect(queued).toHaveLength(1);
    // A duplicate delivery owes nothing.
    await process(alert('triggered', 'd2', '2026-11-21T18:00:01Z'));
    expect(queued).toHaveLength(1);
  });

  it('queues a re-trigger’s analysis when the job that stored it died first', async () => {
    const { process, queued, failOnce } = setup();
    await process(alert('triggered', 'd1', '2026-11-21T18:00:00Z'));
    await process(alert('resolved', 'd2', '2026-11-21T18:05:00Z'));
    failOnce();
    await expect(process(alert('triggered', 'd3', '2026-11-21T18:10:00Z'))).rejects.toThrow(/worker died/);
    await process(alert('triggered', 'd3', '2026-11-21T18:10:00Z'));
    expect(queued.map((q) => q.split('#')[1])).toEqual(['1', '2']);
  });
});
