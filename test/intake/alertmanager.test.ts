import { describe, expect, it } from 'vitest';
import { normalizeAlertmanager } from '../../src/intake/alertmanager/normalize.js';
import { AlertmanagerPayload } from '../../src/intake/alertmanager/schema.js';
import { verifyBearer } from '../../src/intake/bearer.js';
import { fixture } from '../helpers/app.js';

describe('normalizeAlertmanager', () => {
  it('makes one alert per group with every member, labels mapped to the target', () => {
    const payload = AlertmanagerPayload.parse(fixture('alertmanager/firing.json'));
    const alert = normalizeAlertmanager(payload, { deliveryId: 'h', now: '2026-01-01T00:00:00Z' });
    expect(alert).toMatchObject({
      source: 'alertmanager',
      externalId: payload.groupKey,
      title: 'KubePodCrashLooping: Pod is crash looping',
      severity: 'critical',
      status: 'triggered',
      target: { cluster: 'prod', namespace: 'shop', deployment: 'checkout' },
      occurredAt: '2026-11-21T13:09:15.828Z',
    });
    expect(alert.members.map((m) => m.labels.pod)).toEqual(['checkout-7d9f8b6c5d-x2k4j', 'checkout-7d9f8b6c5d-q8zr2']);
    expect(alert.links.map((l) => l.title)).toEqual(['Prometheus', 'Runbook', 'Alertmanager']);
  });

  it('maps a resolved group, ordered by its end time, and keeps truncatedAlerts', () => {
    const resolved = normalizeAlertmanager(AlertmanagerPayload.parse(fixture('alertmanager/resolved.json')), { deliveryId: 'h', now: 'x' });
    expect(resolved).toMatchObject({ status: 'resolved', occurredAt: '2026-11-21T13:41:15.828Z' });
    const truncated = normalizeAlertmanager(AlertmanagerPayload.parse(fixture('alertmanager/truncated.json')), { deliveryId: 'h', now: 'x' });
    expect(truncated).toMatchObject({ truncatedAlerts: 3, severity: 'warning', target: { cluster: 'prod' } });
  });

  it('rejects other webhook versions and empty groups', () => {
    expect(AlertmanagerPayload.safeParse({ ...fixture<object>('alertmanager/firing.json'), version: '3' }).success).toBe(false);
    expect(AlertmanagerPayload.safeParse({ ...fixture<object>('alertmanager/firing.json'), alerts: [] }).success).toBe(false);
  });
});

describe('verifyBearer', () => {
  it('accepts only the exact bearer token', () => {
    expect(verifyBearer('Bearer s3cret', 's3cret')).toBe(true);
    expect(verifyBearer('bearer s3cret', 's3cret')).toBe(true);
    expect(verifyBearer('Bearer s3cre', 's3cret')).toBe(false);
    expect(verifyBearer('Basic s3cret', 's3cret')).toBe(false);
    expect(verifyBearer(undefined, 's3cret')).toBe(false);
    expect(verifyBearer('Bearer s3cret', undefined)).toBe(false);
  });
});
