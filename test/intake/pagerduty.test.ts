import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { normalizePagerDuty } from '../../src/intake/pagerduty/normalize.js';
import { PagerDutyEnvelope, PagerDutyIncident } from '../../src/intake/pagerduty/schema.js';
import { verifyPagerDutySignature } from '../../src/intake/pagerduty/verify.js';
import { fixture } from '../helpers/app.js';

const sign = (body: string, secret: string) => `v1=${createHmac('sha256', secret).update(body).digest('hex')}`;

describe('verifyPagerDutySignature', () => {
  const body = Buffer.from('{"event":{}}');
  it('accepts a match among several v1 values and several secrets', () => {
    expect(verifyPagerDutySignature(body, `${sign('other', 'a')}, ${sign(body.toString(), 'b')}`, ['a', 'b'])).toBe(true);
  });
  it('refuses a wrong secret, a changed body, other schemes and no secrets', () => {
    expect(verifyPagerDutySignature(body, sign(body.toString(), 'x'), ['a'])).toBe(false);
    expect(verifyPagerDutySignature(Buffer.from('{"event":{} }'), sign(body.toString(), 'a'), ['a'])).toBe(false);
    expect(verifyPagerDutySignature(body, sign(body.toString(), 'a').replace('v1=', 'v2='), ['a'])).toBe(false);
    expect(verifyPagerDutySignature(body, sign(body.toString(), 'a'), [])).toBe(false);
    expect(verifyPagerDutySignature(body, undefined, ['a'])).toBe(false);
  });
});

describe('normalizePagerDuty', () => {
  const parse = (name: string) => {
    const { event } = PagerDutyEnvelope.parse(fixture(`pagerduty/${name}.json`));
    return { event, incident: PagerDutyIncident.parse(event.data) };
  };

  it('maps a triggered incident, filling the target from the service mapping', () => {
    const { event, incident } = parse('incident-triggered');
    const alert = normalizePagerDuty({
      eventType: 'incident.triggered',
      eventId: event.id,
      occurredAt: event.occurred_at,
      incident,
      deliveryId: 'wh-1',
      services: { PF9KMXH: { cluster: 'prod', namespace: 'shop', deployment: 'checkout' } },
    });
    expect(alert).toMatchObject({
      source: 'pagerduty',
      externalId: 'PGR0VU2',
      deliveryId: 'wh-1',
      status: 'triggered',
      severity: 'critical',
      retrigger: false,
      service: { id: 'PF9KMXH', name: 'Checkout API' },
      target: { cluster: 'prod', namespace: 'shop', deployment: 'checkout' },
      links: [{ url: 'https://acme.pagerduty.com/incidents/PGR0VU2' }],
    });
  });

  it('treats reopened as a re-trigger and takes status from the incident otherwise', () => {
    const reopened = parse('incident-reopened');
    const base = { eventId: 'e', occurredAt: 't', deliveryId: 'd', services: {} };
    expect(normalizePagerDuty({ ...base, eventType: 'incident.reopened', incident: reopened.incident })).toMatchObject({ status: 'triggered', retrigger: true });
    const acked = parse('incident-acknowledged');
    expect(normalizePagerDuty({ ...base, eventType: 'incident.acknowledged', incident: acked.incident }).status).toBe('acknowledged');
  });

  it('derives severity from priority, else urgency', () => {
    const { incident } = parse('incident-triggered');
    const base = { eventType: 'incident.triggered' as const, eventId: 'e', occurredAt: 't', deliveryId: 'd', services: {} };
    expect(normalizePagerDuty({ ...base, incident: { ...incident, priority: null, urgency: 'low' } }).severity).toBe('warning');
    expect(normalizePagerDuty({ ...base, incident: { ...incident, priority: { id: 'P', summary: 'P3' } } }).severity).toBe('warning');
    expect(normalizePagerDuty({ ...base, incident: { ...incident, priority: null, urgency: 'high' } }).severity).toBe('high');
  });
});
