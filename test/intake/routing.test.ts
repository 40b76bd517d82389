import { describe, expect, it } from 'vitest';
import { ChannelConfig, Route } from '../../src/core/config/file.js';
import { routeAlert } from '../../src/intake/routing.js';
import { Alert } from '../../src/core/incident.js';

const alert = Alert.parse({
  source: 'alertmanager',
  externalId: 'g',
  deliveryId: 'd',
  eventType: 'alertmanager.firing',
  title: 't',
  severity: 'critical',
  status: 'triggered',
  labels: { alertname: 'X', env: 'prod' },
  target: { cluster: 'prod', namespace: 'shop' },
  service: { id: 'PSVC', name: 'svc' },
  occurredAt: '2026-01-01T00:00:00Z',
});
const routes = (...rs: unknown[]) => rs.map((r) => Route.parse(r));

describe('routeAlert', () => {
  it('takes the first route whose every condition holds', () => {
    const rs = routes(
      { match: { source: 'pagerduty' }, channel: 'C1' },
      { match: { labels: { namespace: 'other' } }, channel: 'C2' },
      { match: { labels: { namespace: 'shop', env: 'prod' }, severity: ['critical'] }, channel: 'C3' },
      { match: {}, channel: 'C4' },
    );
    expect(routeAlert(alert, rs, 'CFALL')).toBe('C3');
  });

  it('matches severity, PagerDuty service and target-derived labels', () => {
    expect(routeAlert(alert, routes({ match: { severity: ['warning'] }, channel: 'C1' }), undefined)).toBeUndefined();
    expect(routeAlert(alert, routes({ match: { pagerdutyService: 'PSVC' }, channel: 'C1' }), undefined)).toBe('C1');
    expect(routeAlert(alert, routes({ match: { labels: { cluster: 'prod', severity: 'critical' } }, channel: 'C1' }), undefined)).toBe('C1');
  });

  it('falls back to ALERT_CHANNEL, else nowhere', () => {
    expect(routeAlert(alert, [], 'CFALL')).toBe('CFALL');
    expect(routeAlert(alert, [], undefined)).toBeUndefined();
  });

  it('with no route and no ALERT_CHANNEL, goes to the channel that covers its cluster and namespace', () => {
    const channels = {
      CALL: ChannelConfig.parse({ cluster: 'prod', namespaces: ['*'] }),
      CSTAGING: ChannelConfig.parse({ cluster: 'staging', namespaces: ['shop'] }),
      CSHOP: ChannelConfig.parse({ cluster: 'prod', namespaces: ['payments', 'shop'] }),
    };
    expect(routeAlert(alert, [], undefined, channels)).toBe('CSHOP');
    expect(routeAlert({ ...alert, target: { cluster: 'prod', namespace: 'other' } }, [], undefined, channels)).toBe('CALL');
    expect(routeAlert({ ...alert, target: { cluster: 'dev', namespace: 'shop' } }, [], undefined, channels)).toBeUndefined();
    // ALERT_CHANNEL still wins over a covering channel, and a route over both.
    expect(routeAlert(alert, [], 'CFALL', channels)).toBe('CFALL');
    expect(routeAlert(alert, routes({ match: {}, channel: 'C1' }), 'CFALL', channels)).toBe('C1');
    // No cluster named: only an unambiguous namespace counts.
    expect(routeAlert({ ...alert, target: { namespace: 'payments' } }, [], undefined, channels)).toBe('CSHOP');
    expect(routeAlert({ ...alert, target: { namespace: 'shop' } }, [], undefined, channels)).toBeUndefined();
  });
});
