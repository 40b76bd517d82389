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

  it('says so when there are none', () => {
    expect(formatEvents([], { now })).toBe('events: none');
  });
});
