import type { V1Deployment } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { lookUntil, holdUntil, pass, wait, fail, type Timing } from '../../../src/decisions/verify/poll.js';
import { deploymentRolloutState, progressDeadlineKey } from '../../../src/decisions/verify/rollout-status.js';
import { AppError } from '../../../src/shared/errors.js';

function deployment(status: NonNullable<V1Deployment['status']>, generation = 3, replicas = 2): V1Deployment {
  return { metadata: { name: 'web', generation }, spec: { replicas, selector: {}, template: {} }, status };
}

describe('deploymentRolloutState (kubectl rollout status rules)', () => {
  it('waits for the spec update to be observed', () => {
    expect(deploymentRolloutState(deployment({ observedGeneration: 2 }))).toEqual({ done: false, failed: false, message: 'Waiting for deployment spec update to be observed...' });
  });

  it('fails on ProgressDeadlineExceeded', () => {
    const state = deploymentRolloutState(deployment({ observedGeneration: 3, conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' }] }));
    expect(state).toEqual({ done: false, failed: true, message: 'deployment "web" exceeded its progress deadline' });
  });

  it('does not blame the new rollout for a deadline that was exceeded before it', () => {
    const timedOut = deployment({
      observedGeneration: 3,
      updatedReplicas: 0,
      replicas: 2,
      conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: 'ReplicaSet "web-1" has timed out progressing.' }],
    });
    const stale = progressDeadlineKey(timedOut);
    expect(stale).toBe('ReplicaSet "web-1" has timed out progressing.@');
    expect(deploymentRolloutState(timedOut, { staleDeadline: stale })).toMatchObject({ done: false, failed: false });
    const fresh = { ...timedOut, status: { ...timedOut.status, conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: 'ReplicaSet "web-2" has timed out progressing.' }] } };
    expect(deploymentRolloutState(fresh, { staleDeadline: stale })).toMatchObject({ failed: true });
  });

  it('waits for updated, then old replicas, then availability', () => {
    expect(deploymentRolloutState(deployment({ observedGeneration: 3, updatedReplicas: 1, replicas: 3 })).message).toBe(
      'Waiting for deployment "web" rollout to finish: 1 out of 2 new replicas have been updated...',
    );
    expect(deploymentRolloutState(deployment({ observedGeneration: 3, updatedReplicas: 2, replicas: 3 })).message).toBe(
      'Waiting for deployment "web" rollout to finish: 1 old replicas are pending termination...',
    );
    expect(deploymentRolloutState(deployment({ observedGeneration: 3, updatedReplicas: 2, replicas: 2, availableReplicas: 1 })).message).toBe(
      'Waiting for deployment "web" rollout to finish: 1 of 2 updated replicas are available...',
    );
    expect(deploymentRolloutState(deployment({ observedGeneration: 3, updatedReplicas: 2, replicas: 2, availableReplicas: 2 }))).toEqual({
      done: true,
      failed: false,
      message: 'deployment "web" successfully rolled out',
    });
  });
});

/** A clock that only moves when the poller sleeps: the deadline logic runs with no real waiting. */
function fakeTiming(): Timing & { slept: number[] } {
  let now = 0;
  const slept: number[] = [];
  return {
    clock: () => now,
    sleep: (ms) => {
      slept.push(ms);
      now += ms;
      return Promise.resolve();
    },
    pollMs: 100,
    slept,
  };
}

describe('lookUntil and holdUntil', () => {
  it('polls until pass', async () => {
    const timing = fakeTiming();
    let n = 0;
    const result = await lookUntil(() => Promise.resolve(++n < 4 ? wait(`try ${n}`) : pass('done')), 10_000, timing, 'late');
    expect(result).toEqual(pass('done'));
    expect(timing.slept).toEqual([100, 100, 100]);
  });

  it('looks again soon after the action, then backs off to pollMs', async () => {
    const timing = fakeTiming();
    timing.pollMs = 1000;
    let n = 0;
    expect(await lookUntil(() => Promise.resolve(++n < 7 ? wait(`try ${n}`) : pass('done')), 60_000, timing, 'late')).toEqual(pass('done'));
    expect(timing.slept).toEqual([100, 200, 400, 800, 1000, 1000]);
  });

  it('fails at the deadline, saying what it still waited for', async () => {
    const timing = fakeTiming();
    const result = await lookUntil(() => Promise.resolve(wait('0 of 2 ready')), 250, timing, 'not done after 0.3s');
    expect(result).toEqual(fail('not done after 0.3s: 0 of 2 ready'));
    expect(timing.slept).toEqual([100, 100, 50]);
  });

  it('waits out a retryable API error but fails at once on a permanent one', async () => {
    const timing = fakeTiming();
    let n = 0;
    const flaky = () => (++n === 1 ? Promise.reject(new AppError('unavailable', 'HTTP 503')) : Promise.resolve(pass('ok')));
    expect(await lookUntil(flaky, 1000, timing, 'late')).toEqual(pass('ok'));
    const denied = () => Promise.reject(new AppError('forbidden', 'the service account may not get nodes at cluster scope'));
    expect(await lookUntil(denied, 1000, timing, 'late')).toEqual(fail('the service account may not get nodes at cluster scope'));
  });

  it('holds through the settle window and fails on the first regression', async () => {
    const timing = fakeTiming();
    expect(await holdUntil(() => Promise.resolve(pass('fine')), 300, timing)).toEqual(pass('fine'));
    let n = 0;
    const regress = () => Promise.resolve(++n < 2 ? pass('fine') : wait('1 of 2 pods not Ready'));
    expect(await holdUntil(regress, timing.clock() + 1000, timing)).toEqual(fail('regressed during the settle window: 1 of 2 pods not Ready'));
  });
});
