import type { V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { triageUnit } from '../../../src/analysis/sweep/triage.js';
import type { SweepUnit } from '../../../src/analysis/sweep/types.js';

const now = Date.parse('2026-11-21T12:00:00Z');
const ago = (min: number) => new Date(now - min * 60_000);
const ref = <K extends SweepUnit['kind']>(kind: K, name: string) => ({ kind, namespace: 'shop', name });

function runningPod(name: string, ready: boolean, createdMinAgo = 60): V1Pod {
  return {
    metadata: { name, namespace: 'shop', creationTimestamp: ago(createdMinAgo) },
    spec: { containers: [{ name: 'c' }] },
    status: {
      phase: 'Running',
      conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: ago(30), message: ready ? undefined : 'containers with unready status: [c]' }],
      containerStatuses: [{ name: 'c', image: 'x', imageID: '', ready, restartCount: 0, state: { running: { startedAt: ago(60) } } }],
    },
  } as V1Pod;
}

describe('triageUnit', () => {
  it('a CronJob whose newest run failed is failing, with that run named', () => {
    const failedJob = {
      metadata: { name: 'report-2', namespace: 'shop', creationTimestamp: ago(10) },
      status: { conditions: [{ type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit', lastTransitionTime: ago(5) }] },
    };
    const okJob = { metadata: { name: 'report-1', namespace: 'shop', creationTimestamp: ago(70) }, status: { conditions: [{ type: 'Complete', status: 'True' }] } };
    const unit: SweepUnit = { kind: 'CronJob', ref: ref('CronJob', 'report'), object: { metadata: { name: 'report' }, spec: { schedule: '0 * * * *', jobTemplate: {} } }, jobs: [okJob, failedJob], pods: [] };
    expect(triageUnit(unit, now)).toEqual({ health: 'failing', reason: 'last run report-2: BackoffLimitExceeded: Job has reached the specified backoff limit', state: 'failed', since: now - 5 * 60_000 });
  });

  it('a suspended CronJob is healthy', () => {
    const unit: SweepUnit = { kind: 'CronJob', ref: ref('CronJob', 'r'), object: { spec: { schedule: '* * * * *', suspend: true, jobTemplate: {} } }, jobs: [], pods: [] };
    expect(triageUnit(unit, now)).toEqual({ health: 'healthy', state: 'suspended' });
  });

  it('a DaemonSet with fewer pods ready than scheduled is degraded, with the unready pod as the reason', () => {
    const unit: SweepUnit = { kind: 'DaemonSet', ref: ref('DaemonSet', 'agent'), object: { status: { desiredNumberScheduled: 3, numberReady: 2, currentNumberScheduled: 3, numberMisscheduled: 0 } }, pods: [runningPod('a', true), runningPod('b', true), runningPod('c', false)] };
    expect(triageUnit(unit, now)).toEqual({
      health: 'degraded',
      reason: '1 of 3 pods NotReady: container c is running but not ready (containers with unready status: [c])',
      state: '2/3 ready',
      since: now - 30 * 60_000,
    });
  });

  it('a pod still creating its containers after five minutes is a problem; a fresh one is not', () => {
    const creating = (min: number): V1Pod => ({
      metadata: { name: 'p', namespace: 'shop', creationTimestamp: ago(min) },
      status: { phase: 'Pending', containerStatuses: [{ name: 'c', image: 'x', imageID: '', ready: false, restartCount: 0, state: { waiting: { reason: 'ContainerCreating' } } }] },
    });
    expect(triageUnit({ kind: 'Pod', ref: ref('Pod', 'p'), object: creating(1), pods: [creating(1)] }, now).health).toBe('healthy');
    expect(triageUnit({ kind: 'Pod', ref: ref('Pod', 'p'), object: creating(20), pods: [creating(20)] }, now)).toMatchObject({ health: 'failing', reason: '1 of 1 pod ContainerCreating: container c has been starting for over 5 minutes' });
  });

  it('a claim gets two minutes to bind; a Service without a selector or of type ExternalName is not judged by its pods', () => {
    const claim = (min: number): SweepUnit => ({ kind: 'PersistentVolumeClaim', ref: ref('PersistentVolumeClaim', 'data'), object: { metadata: { creationTimestamp: ago(min) }, status: { phase: 'Pending' } }, pods: [] });
    expect(triageUnit(claim(1), now).health).toBe('healthy');
    expect(triageUnit(claim(10), now)).toMatchObject({ health: 'failing', reason: 'claim is Pending: no volume is bound to it' });
    expect(triageUnit({ kind: 'Service', ref: ref('Service', 'db'), object: { spec: { type: 'ExternalName', externalName: 'db.example.com' } }, pods: [] }, now).health).toBe('healthy');
    expect(triageUnit({ kind: 'Service', ref: ref('Service', 'manual'), object: { spec: { ports: [{ port: 80 }] } }, pods: [] }, now).health).toBe('healthy');
  });

  it('a Deployment scaled to zero is healthy; one with no ready replica is failing', () => {
    const dep = (replicas: number, ready: number): SweepUnit => ({ kind: 'Deployment', ref: ref('Deployment', 'd'), object: { spec: { replicas, selector: {}, template: {} }, status: { readyReplicas: ready } }, pods: [] });
    expect(triageUnit(dep(0, 0), now)).toEqual({ health: 'healthy', state: 'scaled to 0' });
    expect(triageUnit(dep(2, 0), now)).toEqual({ health: 'failing', reason: 'no replica is ready', state: '0/2 ready' });
  });
});
