import { describe, expect, it } from 'vitest';
import type { Incident } from '../../../src/core/incident.js';
import { checkBlocks } from '../../../sandbox/slack/blocks-check.js';
import { buildIncidentRootMessage } from '../../../src/intake/blocks/incident.js';

const base: Incident = {
  id: 'inc-1',
  key: 'alertmanager:g',
  source: 'alertmanager',
  externalId: 'g',
  title: 'KubePodCrashLooping: Pod is crash looping',
  severity: 'critical',
  status: 'triggered',
  labels: {},
  target: { cluster: 'prod', namespace: 'shop', deployment: 'checkout' },
  links: [{ title: 'Prometheus', url: 'http://prometheus:9090/graph' }],
  members: [],
  truncatedAlerts: 0,
  createdAt: '2026-11-21T13:08:45.828Z',
  updatedAt: '2026-11-21T13:08:45.828Z',
};

describe('buildIncidentRootMessage', () => {
  it('shows severity, title, status, cluster, namespace, workload and the source link', () => {
    const message = buildIncidentRootMessage(base);
    const text = JSON.stringify(message.blocks);
    expect(message.text).toBe('[CRITICAL] KubePodCrashLooping: Pod is crash looping — triggered');
    for (const expected of ['CRITICAL', 'Triggered', '`prod`', '`shop`', 'deployment/checkout', '<http://prometheus:9090/graph|Prometheus>']) {
      expect(text).toContain(expected);
    }
    expect(checkBlocks(message.blocks)).toEqual([]);
  });

  it('marks a resolved incident in the header', () => {
    const message = buildIncidentRootMessage({ ...base, status: 'resolved' });
    expect((message.blocks?.[0] as { text: { text: string } }).text.text).toMatch(/^\[RESOLVED\]/);
    expect(JSON.stringify(message.blocks)).toContain('Resolved');
  });

  it('shows every lifecycle status on the root: triggered, acknowledged, mitigated, resolved, recovered', () => {
    const shown = (status: Incident['status']) => {
      const message = buildIncidentRootMessage({ ...base, status });
      return { header: (message.blocks?.[0] as { text: { text: string } }).text.text, all: JSON.stringify(message.blocks), text: message.text };
    };
    expect(shown('acknowledged').all).toContain(':eyes: Acknowledged');
    expect(shown('mitigated').all).toContain(':adhesive_bandage: Mitigated');
    expect(shown('mitigated').header).not.toMatch(/^\[/);
    expect(shown('mitigated').text).toContain('— mitigated');
    expect(shown('recovered').all).toContain(':large_green_circle: Recovered');
    expect(shown('recovered').header).toMatch(/^\[RECOVERED\]/);
  });

  it('lists member alerts, "+N more" beyond the limit and "+N truncated" from Alertmanager, within Slack limits', () => {
    const members = Array.from({ length: 40 }, (_, i) => ({
      status: i % 2 === 0 ? ('firing' as const) : ('resolved' as const),
      name: 'KubePodCrashLooping',
      summary: 's'.repeat(400),
      labels: { namespace: 'shop', pod: `checkout-${i}` },
    }));
    const message = buildIncidentRootMessage({ ...base, title: 't'.repeat(500), members, truncatedAlerts: 7 });
    const text = JSON.stringify(message.blocks);
    expect(text).toContain('checkout-0');
    expect(text).toContain('+25 more');
    expect(text).toContain('+7 truncated by Alertmanager');
    expect(text).toContain('20 firing, 20 resolved');
    expect(checkBlocks(message.blocks)).toEqual([]);
  });

  it('escapes Slack control characters in alert text', () => {
    const message = buildIncidentRootMessage({ ...base, service: { id: 'P1', name: '<!channel> & co' } });
    expect(JSON.stringify(message.blocks)).toContain('&lt;!channel&gt; &amp; co');
  });
});
