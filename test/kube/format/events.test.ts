import type { CoreV1Event } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { formatEvents } from '../../../src/kube/format/events.js';
import { event, now, schedulingMessage } from '../fixtures/objects.js';

describe('formatEvents', () => {
  const events = [
    event({ reason: 'Scheduled', type: 'Normal', message: 'Successfully assigned shop/x to node-1', secondsAgo: 3600 }),
    event({ reason: 'BackOff', message: 'Back-off restarting failed container', secondsAgo: 10, count: 42, firstTimestamp: new Date(now.getTime() - 3000_000) }),
    event({ reason: 'Pulled', type: 'Normal', message: 'Container image already present', secondsAgo: 300 }),
  ];

  it('lists newest first with age, type, reason, object, message and repeat count', () => {
    const lines = formatEvents(events, { now }).split('\n');
    expect(lines[0]).toBe('events (newest first):');
    expect(lines[1]).toBe('  10s ago  Warning  BackOff  Pod/checkout-6f7d8c9b5-x1abc  Back-off restarting failed container (x42 over 50m)');
    expect(lines[2]).toContain('Pulled');
    expect(lines[3]).toContain('Scheduled');
  });

  it('keeps only the newest `limit` events and says how many there were', () => {
    const text = formatEvents(events, { now, limit: 1 });
    expect(text).toContain('1 of 3');
    expect(text).toContain('BackOff');
    expect(text).not.toContain('Scheduled');
  });

  it('accepts the events.k8s.io shape (eventTime and series, no timestamps)', () => {
    const scheduler: CoreV1Event = {
      metadata: { name: 'search.1', namespace: 'shop' },
      involvedObject: { kind: 'Pod', name: 'search-8d7f-qwert' },
      reason: 'FailedScheduling',
      type: 'Warning',
      message: schedulingMessage,
      eventTime: new Date(now.getTime() - 5000),
      series: { count: 7, lastObservedTime: new Date(now.getTime() - 2000) },
      action: 'Scheduling',
    };
    const text = formatEvents([...events, scheduler], { now });
    expect(text.split('\n')[1]).toBe(`  2s ago  Warning  FailedScheduling  Pod/search-8d7f-qwert  ${schedulingMessage} (x7 over 5s)`);
  });

  describe('the same event on sibling pods', () => {
    // kubelet's wording: "Back-off restarting failed container %s in pod %s", format.Pod = name_namespace(uid).
    const backOff = (suffix: string, uid: string, secondsAgo: number, count: number) =>
      event({
        reason: 'BackOff',
        message: `Back-off restarting failed container checkout in pod checkout-6f7d8c9b5-${suffix}_shop(${uid})`,
        involvedObject: { kind: 'Pod', name: `checkout-6f7d8c9b5-${suffix}`, namespace: 'shop' },
        secondsAgo,
        count,
        firstTimestamp: new Date(now.getTime() - 7200_000 - secondsAgo * 1000),
      });
    const siblings = [
      backOff('x1abc', '04e7b1bb-6f30-4694-8f10-b55f35592dd0', 20, 9),
      backOff('y2def', '54d32440-cc8c-4aa5-9816-ae07edc6058e', 10, 8),
      backOff('z3ghi', 'd3cf043d-86ed-4e8e-9d29-e9dc5bb9c8e0', 30, 10),
    ];
    const other = event({ reason: 'Pulled', type: 'Normal', message: 'Container image "registry.example.com/shop/web:1.0" already present on machine', involvedObject: { kind: 'Pod', name: 'web-5c4d-aaaaa' }, secondsAgo: 15 });

    it('share one line: every pod named, the newest message, the counts summed', () => {
      const lines = formatEvents([...siblings, other], { now }).split('\n');
      expect(lines).toEqual([
        'events (newest first):',
        '  10s ago  Warning  BackOff  Pod/checkout-6f7d8c9b5-{y2def,x1abc,z3ghi}  Back-off restarting failed container checkout in pod checkout-6f7d8c9b5-y2def_shop(54d32440-cc8c-4aa5-9816-ae07edc6058e) (x27 over 2h, 3 pods)',
        '  15s ago  Normal  Pulled  Pod/web-5c4d-aaaaa  Container image "registry.example.com/shop/web:1.0" already present on machine',
      ]);
    });

    it('the limit counts lines, and the header counts the events left out', () => {
      const text = formatEvents([...siblings, other], { now, limit: 1 });
      expect(text.split('\n')).toHaveLength(2);
      expect(text).toContain('events (newest first, 3 of 4):');
      expect(text).not.toContain('Pulled');
    });

    it('a different message, reason or workload keeps its own line', () => {
      const otherContainer = { ...siblings[1]!, message: 'Back-off restarting failed container sidecar in pod checkout-6f7d8c9b5-y2def_shop(54d32440-cc8c-4aa5-9816-ae07edc6058e)' };
      const otherWorkload = event({ reason: 'BackOff', message: 'Back-off restarting failed container cart in pod cart-7b8c-qqqqq_shop(aaaaaaaa-6f30-4694-8f10-b55f35592dd0)', involvedObject: { kind: 'Pod', name: 'cart-7b8c-qqqqq' }, secondsAgo: 6 });
      const lines = formatEvents([siblings[0]!, otherContainer, otherWorkload], { now }).split('\n');
      expect(lines).toHaveLength(4);
      expect(lines.filter((l) => l.includes('pods)'))).toEqual([]);
    });

    it('events of one pod are never merged with each other', () => {
      const again = { ...siblings[0]!, metadata: { name: 'x.again', namespace: 'shop' } };
      const lines = formatEvents([siblings[0]!, again], { now }).split('\n');
      expect(lines).toHaveLength(3);
    });
  });

  it('says so when there are none', () => {
    expect(formatEvents([], { now })).toBe('events: none');
  });
});
