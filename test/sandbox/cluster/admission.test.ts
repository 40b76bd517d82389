import type * as k8s from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { merge } from './helpers.js';
import { deployer, freshClusterPerTest, ns } from './scheduler-helpers.js';

const env = freshClusterPerTest();
const deploy = deployer(env);

async function replicaSetOf(app: string): Promise<k8s.V1ReplicaSet> {
  const sets = await env.c.apps.listNamespacedReplicaSet({ namespace: ns, labelSelector: `app=${app}` });
  expect(sets.items).toHaveLength(1);
  return sets.items[0]!;
}

async function failedCreate(app: string): Promise<{ rs: string; messages: string[] }> {
  const rs = await replicaSetOf(app);
  const events = await env.c.core.listNamespacedEvent({ namespace: ns, fieldSelector: `involvedObject.name=${rs.metadata!.name},reason=FailedCreate` });
  for (const e of events.items) expect(e).toMatchObject({ type: 'Warning', source: { component: 'replicaset-controller' }, involvedObject: { kind: 'ReplicaSet' } });
  return { rs: rs.metadata!.name!, messages: events.items.map((e) => e.message ?? '') };
}

const podCount = async (app: string) => (await env.c.core.listNamespacedPod({ namespace: ns, labelSelector: `app=${app}` })).items.length;

describe('sandbox admission', () => {
  it('refuses pods past a pods quota: the ReplicaSet shows FailedCreate, status.used counts', async () => {
    await env.c.core.createNamespacedResourceQuota({ namespace: ns, body: { metadata: { name: 'q' }, spec: { hard: { pods: '3' } } } });
    // The base scenario's hello pod is already in default: two more fit.
    await deploy('x', 4);
    expect(await podCount('x')).toBe(2);
    const { rs, messages } = await failedCreate('x');
    expect(messages).toEqual([`Error creating: pods "${rs}-" is forbidden: exceeded quota: q, requested: pods=1, used: pods=3, limited: pods=3`]);
    const quota = await env.c.core.readNamespacedResourceQuota({ name: 'q', namespace: ns });
    expect(quota.status).toEqual({ hard: { pods: '3' }, used: { pods: '3' } });
    // Raising the quota lets the ReplicaSet finish.
    await env.c.core.patchNamespacedResourceQuota({ name: 'q', namespace: ns, body: { spec: { hard: { pods: '10' } } } }, merge);
    await env.cluster.settle();
    expect(await podCount('x')).toBe(4);
    expect((await env.c.core.readNamespacedResourceQuota({ name: 'q', namespace: ns })).status?.used).toEqual({ pods: '5' });
  });

  it('refuses pods past a memory and cpu quota with the exceeded resources only', async () => {
    await env.c.core.createNamespacedResourceQuota({
      namespace: ns,
      body: { metadata: { name: 'compute' }, spec: { hard: { 'requests.cpu': '10', 'requests.memory': '1Gi', 'limits.memory': '2Gi' } } },
    });
    // The hello pod states no limits: the quota refuses nothing of it, but new pods must.
    await deploy('y', 3, {}, { requests: { cpu: '100m', memory: '400Mi' }, limits: { memory: '512Mi' } });
    expect(await podCount('y')).toBe(2);
    const { rs, messages } = await failedCreate('y');
    expect(messages).toEqual([
      `Error creating: pods "${rs}-" is forbidden: exceeded quota: compute, requested: requests.memory=400Mi, used: requests.memory=816Mi, limited: requests.memory=1Gi`,
    ]);
    expect((await env.c.core.readNamespacedResourceQuota({ name: 'compute', namespace: ns })).status?.used).toEqual({ 'requests.cpu': '210m', 'requests.memory': '816Mi', 'limits.memory': '1Gi' });
  });

  it('refuses a pod that states no value a quota tracks', async () => {
    await env.c.core.createNamespacedResourceQuota({ namespace: ns, body: { metadata: { name: 'compute' }, spec: { hard: { 'limits.cpu': '4', 'limits.memory': '4Gi' } } } });
    await deploy('z', 1);
    expect(await podCount('z')).toBe(0);
    const { rs, messages } = await failedCreate('z');
    expect(messages).toEqual([`Error creating: pods "${rs}-" is forbidden: failed quota: compute: must specify limits.cpu,limits.memory`]);
  });

  it('refuses pods naming a missing ServiceAccount until it exists', async () => {
    await deploy('w', 2, { serviceAccountName: 'sa' });
    expect(await podCount('w')).toBe(0);
    const { rs, messages } = await failedCreate('w');
    expect(messages).toEqual([`Error creating: pods "${rs}-" is forbidden: error looking up service account default/sa: serviceaccount "sa" not found`]);
    await env.c.core.createNamespacedServiceAccount({ namespace: ns, body: { metadata: { name: 'sa' } } });
    await env.cluster.settle();
    const pods = await env.c.core.listNamespacedPod({ namespace: ns, labelSelector: 'app=w' });
    expect(pods.items.map((p) => p.spec?.serviceAccountName)).toEqual(['sa', 'sa']);
  });
});
