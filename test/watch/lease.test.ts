import { CoordinationV1Api } from '@kubernetes/client-node';
import { afterEach, describe, expect, it } from 'vitest';
import { createLeaderElector, type LeaderElector } from '../../src/watch/lease.js';
import { createLogger } from '../../src/shared/logger.js';
import { waitFor } from '../../sandbox/shared/wait.js';
import { useSandboxProd } from '../helpers/sandbox-cluster.js';

const sandbox = useSandboxProd({ scenarios: [], settle: false });
const electors: LeaderElector[] = [];
afterEach(async () => {
  await Promise.all(electors.splice(0).map((e) => e.stop()));
});

const log = createLogger({ level: 'silent' });
const api = () => sandbox().connection.kubeConfig.makeApiClient(CoordinationV1Api);

function elector(identity: string, name: string): LeaderElector {
  const e = createLeaderElector({ api: api(), namespace: 'default', name, identity, leaseDurationMs: 1000, renewMs: 150, log, onStartedLeading: () => undefined, onStoppedLeading: () => undefined });
  electors.push(e);
  e.start();
  return e;
}

describe('leader election over a coordination.k8s.io/v1 Lease', () => {
  it('elects exactly one of two replicas, and the other takes over at once when the leader stops', async () => {
    const [a, b] = [elector('replica-a', 'one-leader'), elector('replica-b', 'one-leader')];
    await waitFor(() => a.isLeader() || b.isLeader(), { message: 'nobody leads' });
    await waitFor(() => a.state().holder !== undefined && b.state().holder !== undefined && a.state().holder === b.state().holder, { message: 'the replicas disagree on the holder' });
    expect([a.isLeader(), b.isLeader()].filter(Boolean)).toHaveLength(1);
    const [leader, follower] = a.isLeader() ? [a, b] : [b, a];
    await leader.stop();
    await waitFor(() => follower.isLeader(), { timeoutMs: 3000, message: 'the follower did not take over' });
    const lease = await api().readNamespacedLease({ namespace: 'default', name: 'one-leader' });
    expect(lease.spec?.leaseTransitions).toBeGreaterThanOrEqual(1);
  });

  it('takes over from a leader that died without releasing, once its lease has expired', async () => {
    await api().createNamespacedLease({
      namespace: 'default',
      body: { metadata: { name: 'dead-leader', namespace: 'default' }, spec: { holderIdentity: 'ghost', leaseDurationSeconds: 1, renewTime: new Date(), acquireTime: new Date() } },
    });
    const c = elector('replica-c', 'dead-leader');
    await waitFor(() => c.state().holder === 'ghost', { message: 'the lease was not read' });
    expect(c.isLeader()).toBe(false);
    await waitFor(() => c.isLeader(), { timeoutMs: 4000, message: 'no takeover after the lease expired' });
    expect((await api().readNamespacedLease({ namespace: 'default', name: 'dead-leader' })).spec?.holderIdentity).toBe('replica-c');
  });
});
