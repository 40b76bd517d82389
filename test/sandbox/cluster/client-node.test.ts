import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandboxCluster, type SandboxCluster } from '../../../sandbox/cluster/index.js';
import { clientsFor, statusOf, type Clients } from './helpers.js';

let cluster: SandboxCluster;
let c: Clients;

beforeAll(async () => {
  cluster = await startSandboxCluster({ timeScale: 100 });
  c = clientsFor(cluster);
  await cluster.settle();
});
afterAll(async () => {
  await cluster.close();
});

const containerOf = (pod: { status?: { containerStatuses?: { state?: unknown; lastState?: unknown; restartCount: number }[] } }) => pod.status?.containerStatuses?.[0];

describe('sandbox cluster through client-node', () => {
  it('serves the catalog nodes, with node-3 NotReady and tainted', async () => {
    const nodes = await c.core.listNode();
    expect(nodes.items.map((n) => n.metadata?.name)).toEqual(['node-1', 'node-2', 'node-3']);
    const node3 = nodes.items[2]!;
    expect(node3.status?.conditions?.find((x) => x.type === 'Ready')).toMatchObject({ status: 'Unknown', reason: 'NodeStatusUnknown' });
    expect(node3.spec?.taints).toContainEqual(expect.objectContaining({ key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule' }));
  });

  it('shows checkout crash-looping with exit code 1 and the fatal line in previous logs', async () => {
    const pods = await c.core.listNamespacedPod({ namespace: 'shop', labelSelector: 'app=checkout' });
    expect(pods.items).toHaveLength(3);
    const pod = pods.items[0]!;
    const cs = containerOf(pod)!;
    expect(cs.restartCount).toBeGreaterThan(3);
    expect(cs.lastState).toMatchObject({ terminated: { exitCode: 1, reason: 'Error' } });
    const log = await c.core.readNamespacedPodLog({ name: pod.metadata!.name!, namespace: 'shop', previous: true });
    expect(log.trimEnd().split('\n').at(-1)).toBe('FATAL config: PAYMENT_URL "htp://payments" is not a valid URL');
  });

  it('shows cart OOMKilled with exit code 137', async () => {
    const pods = await c.core.listNamespacedPod({ namespace: 'shop', labelSelector: 'app=cart' });
    expect(pods.items).toHaveLength(2);
    expect(containerOf(pods.items[0]!)!.lastState).toMatchObject({ terminated: { exitCode: 137, reason: 'OOMKilled' } });
  });

  it('keeps search Pending with the scheduler message', async () => {
    const pods = await c.core.listNamespacedPod({ namespace: 'shop', labelSelector: 'app=search' });
    const pod = pods.items[0]!;
    expect(pod.status?.phase).toBe('Pending');
    expect(pod.spec?.nodeName).toBeUndefined();
    const events = await c.core.listNamespacedEvent({ namespace: 'shop', fieldSelector: `involvedObject.uid=${pod.metadata!.uid},involvedObject.name=${pod.metadata!.name}` });
    expect(events.items[0]?.message).toBe(
      '0/3 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/unreachable: }, 2 Insufficient memory. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.',
    );
  });

  it('answers 404 with a NotFound Status', async () => {
    const status = await statusOf(c.apps.readNamespacedDeployment({ name: 'nope', namespace: 'shop' }));
    expect(status).toMatchObject({ code: 404, reason: 'NotFound', message: 'deployments.apps "nope" not found', details: { name: 'nope', group: 'apps', kind: 'deployments' } });
  });
});
