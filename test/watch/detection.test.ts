import { describe, expect, it } from 'vitest';
import { stepDetection, type Track } from '../../src/watch/detector.js';
import { evaluateWorkload } from '../../src/watch/health.js';
import { trimPod, trimWorkload, type TrimmedPod, type TrimmedWorkload } from '../../src/watch/trim.js';
import { backoffMs } from '../../src/watch/backoff.js';

const deployment = (over: Partial<TrimmedWorkload> = {}): TrimmedWorkload => ({
  kind: 'Deployment',
  namespace: 'shop',
  name: 'web',
  desired: 3,
  ready: 3,
  rollingOut: false,
  problem: undefined,
  ignored: false,
  finished: false,
  ...over,
});
const pod = (name: string, problem?: string): TrimmedPod => ({ namespace: 'shop', name, workload: 'Deployment/web', problem, ready: problem === undefined, deleting: false });

describe('trimming', () => {
  it('keeps what detection reads of a crash-looping pod and maps it to its Deployment', () => {
    const raw = {
      metadata: { name: 'web-5d9c7-abcde', namespace: 'shop', labels: { 'pod-template-hash': '5d9c7' }, ownerReferences: [{ kind: 'ReplicaSet', name: 'web-5d9c7', controller: true }], annotations: { big: 'x'.repeat(10_000) } },
      spec: { containers: [{ name: 'web', image: 'web:1', env: [{ name: 'A', value: 'b' }] }] },
      status: {
        phase: 'Running',
        conditions: [{ type: 'Ready', status: 'False' }],
        containerStatuses: [{ name: 'web', state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { reason: 'OOMKilled' } } }],
      },
    };
    expect(trimPod(raw)).toEqual({ namespace: 'shop', name: 'web-5d9c7-abcde', workload: 'Deployment/web', problem: 'OOMKilled', ready: false, deleting: false });
  });

  it('reads deckhand.io/ignore from labels or annotations, and a stuck rollout from its condition', () => {
    const raw = {
      metadata: { name: 'web', namespace: 'shop', generation: 2, annotations: { 'deckhand.io/ignore': 'true' } },
      spec: { replicas: 3 },
      status: { observedGeneration: 2, readyReplicas: 1, updatedReplicas: 1, conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' }] },
    };
    expect(trimWorkload('Deployment', raw)).toMatchObject({ ignored: true, desired: 3, ready: 1, rollingOut: true, problem: 'ProgressDeadlineExceeded' });
  });
});

describe('workload health', () => {
  it('a workload with failing pods is unhealthy, with the commonest reason', () => {
    const health = evaluateWorkload(deployment({ ready: 1 }), [pod('web-1', 'CrashLoopBackOff'), pod('web-2', 'CrashLoopBackOff'), pod('web-3')]);
    expect(health).toEqual({ healthy: false, reason: '2/3 pods CrashLoopBackOff', pods: ['web-1', 'web-2'] });
  });

  it('too few ready replicas count only outside a rollout', () => {
    expect(evaluateWorkload(deployment({ ready: 2 }), [pod('a'), pod('b')]).healthy).toBe(false);
    expect(evaluateWorkload(deployment({ ready: 2, rollingOut: true }), [pod('a'), pod('b')]).healthy).toBe(true);
    expect(evaluateWorkload(deployment(), [pod('a'), pod('b'), pod('c')]).healthy).toBe(true);
  });

  it('a finished Job is healthy, a failed one is not', () => {
    const job = deployment({ kind: 'Job', desired: 0, ready: 0 });
    expect(evaluateWorkload({ ...job, finished: true }, [pod('j', 'Error')]).healthy).toBe(true);
    expect(evaluateWorkload({ ...job, problem: 'BackoffLimitExceeded' }, []).reason).toBe('Job BackoffLimitExceeded');
  });
});

describe('detection over time', () => {
  const times = { forMs: 60_000, recoverAfterMs: 120_000 };
  const bad = { healthy: false, reason: 'x', pods: [] };
  const good = { healthy: true, reason: '', pods: [] };

  it('fires only after the failure lasted `for`, and a blip never fires', () => {
    const track: Track = { open: false, reason: '' };
    expect(stepDetection(track, bad, 0, times)).toBe('none');
    expect(stepDetection(track, good, 30_000, times)).toBe('none');
    expect(stepDetection(track, bad, 40_000, times)).toBe('none');
    expect(stepDetection(track, bad, 99_000, times)).toBe('none');
    expect(stepDetection(track, bad, 100_000, times)).toBe('fire');
  });

  it('flapping while open neither fires again nor recovers; healthy for recoverAfter recovers', () => {
    const track: Track = { open: true, reason: '' };
    expect(stepDetection(track, good, 0, times)).toBe('none');
    expect(stepDetection(track, bad, 100_000, times)).toBe('none');
    expect(stepDetection(track, good, 110_000, times)).toBe('none');
    expect(stepDetection(track, good, 229_000, times)).toBe('none');
    expect(stepDetection(track, good, 230_000, times)).toBe('recover');
  });

  it('backs off exponentially with jitter, capped', () => {
    const options = { baseMs: 500, maxMs: 30_000 };
    expect(backoffMs(0, { ...options, random: () => 1 })).toBe(500);
    expect(backoffMs(3, { ...options, random: () => 1 })).toBe(4000);
    expect(backoffMs(20, { ...options, random: () => 1 })).toBe(30_000);
    expect(backoffMs(20, { ...options, random: () => 0 })).toBe(250);
  });
});
