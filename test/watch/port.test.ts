import { describe, expect, it } from 'vitest';
import { describeWatch, type WatchStatus } from '../../src/watch/port.js';

const status = (over: Partial<WatchStatus>): WatchStatus => ({
  cluster: 'prod',
  role: 'leader',
  holder: 'bot-1',
  informers: [],
  reconnects: 0,
  relists: 0,
  workloads: 0,
  pods: 0,
  failing: 0,
  open: 0,
  lastError: undefined,
  ...over,
});
const informer = (phase: 'listing' | 'watching' | 'backoff') => ({ resource: 'pods', namespace: undefined, phase, objects: 3, reconnects: 0, relists: 0, resourceVersion: '1', lastError: undefined });

describe('/k8s clusters line of a watch', () => {
  it('says who watches, what is held and how often it reconnected', () => {
    expect(describeWatch(status({ informers: [informer('watching')], workloads: 4, pods: 9, failing: 1, open: 1, reconnects: 2, relists: 1 }))).toBe(
      'watching 4 workloads, 9 pods; 1 failing, 1 open; 2 reconnects, 1 relists',
    );
    expect(describeWatch(status({ role: 'follower', holder: 'bot-2' }))).toBe('watched by another replica (bot-2)');
    expect(describeWatch(status({ informers: [informer('backoff')], lastError: 'ECONNREFUSED' }))).toContain('reconnecting');
    expect(describeWatch(status({ informers: [informer('backoff')], lastError: 'ECONNREFUSED' }))).toContain('last error: ECONNREFUSED');
  });
});
