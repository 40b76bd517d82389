import * as client from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { merge, statusOf } from './helpers.js';
import { deployer, freshClusterPerTest, ns } from './scheduler-helpers.js';

const env = freshClusterPerTest();
const deploy = deployer(env);
const policy = () => {
  const kc = new client.KubeConfig();
  kc.loadFromString(env.cluster.kubeconfigYaml());
  return kc.makeApiClient(client.PolicyV1Api);
};

async function budget(name: string, spec: client.V1PodDisruptionBudgetSpec): Promise<void> {
  await policy().createNamespacedPodDisruptionBudget({ namespace: ns, body: { metadata: { name }, spec } });
  await env.cluster.settle();
}

const readBudget = (name: string) => policy().readNamespacedPodDisruptionBudget({ name, namespace: ns });
const livePods = async (app: string) => (await env.c.core.listNamespacedPod({ namespace: ns, labelSelector: `app=${app}` })).items.filter((p) => !p.metadata?.deletionTimestamp);
const evict = (pod: string) => env.c.core.createNamespacedPodEviction({ name: pod, namespace: ns, body: { metadata: { name: pod, namespace: ns } } });

describe('sandbox disruption controller and the eviction subresource', () => {
  it('computes a budget’s status from the pods it selects', async () => {
    await deploy('web', 3);
    await budget('web', { minAvailable: 2, selector: { matchLabels: { app: 'web' } } });
    const pdb = await readBudget('web');
    expect(pdb.status).toMatchObject({ currentHealthy: 3, desiredHealthy: 2, disruptionsAllowed: 1, expectedPods: 3 });
    expect(pdb.status?.conditions?.[0]).toMatchObject({ type: 'DisruptionAllowed', status: 'True', reason: 'SufficientPods' });

    await budget('web-max', { maxUnavailable: '50%', selector: { matchLabels: { app: 'web' } } });
    expect((await readBudget('web-max')).status).toMatchObject({ expectedPods: 3, desiredHealthy: 1, disruptionsAllowed: 2 });
  });

  it('evicts while the budget allows, then refuses with 429 and the budget’s numbers', async () => {
    await deploy('api', 2);
    await budget('api', { minAvailable: 1, selector: { matchLabels: { app: 'api' } } });
    const [first, second] = (await livePods('api')).map((p) => p.metadata!.name!);
    await evict(first!);
    // The budget is spent until the replacement is Ready.
    const refused = await statusOf(evict(second!));
    // Deleted gracefully (it may already be gone: the sandbox's containers stop within a second).
    expect((await livePods('api')).map((p) => p.metadata?.name)).not.toContain(first);
    expect(refused).toMatchObject({
      code: 429,
      reason: 'TooManyRequests',
      message: "Cannot evict pod as it would violate the pod's disruption budget.",
      details: { causes: [{ reason: 'DisruptionBudget', message: 'The disruption budget api needs 1 healthy pods and has 1 currently' }] },
    });
    await env.cluster.settle();
    expect((await readBudget('api')).status).toMatchObject({ currentHealthy: 2, disruptionsAllowed: 1 });
    await evict(second!);
  });

  it('refuses every eviction under a budget that allows none', async () => {
    await deploy('db', 1);
    await budget('db', { maxUnavailable: 0, selector: { matchLabels: { app: 'db' } } });
    expect((await readBudget('db')).status).toMatchObject({ disruptionsAllowed: 0, conditions: [expect.objectContaining({ status: 'False', reason: 'InsufficientPods' })] });
    const [pod] = await livePods('db');
    expect((await statusOf(evict(pod!.metadata!.name!))).code).toBe(429);
    // Loosening the budget lets the eviction through.
    await policy().patchNamespacedPodDisruptionBudget({ name: 'db', namespace: ns, body: { spec: { maxUnavailable: 1 } } }, merge);
    await env.cluster.settle();
    await evict(pod!.metadata!.name!);
    expect((await livePods('db')).map((p) => p.metadata?.name)).not.toContain(pod!.metadata!.name);
  });
});
