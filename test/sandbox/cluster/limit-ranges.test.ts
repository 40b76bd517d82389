import type * as k8s from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { statusOf } from './helpers.js';
import { deployer, freshClusterPerTest, ns } from './scheduler-helpers.js';

const env = freshClusterPerTest();
const deploy = deployer(env);

async function limitRange(item: k8s.V1LimitRangeItem): Promise<void> {
  await env.c.core.createNamespacedLimitRange({ namespace: ns, body: { metadata: { name: 'limits' }, spec: { limits: [item] } } });
}

const barePod = (name: string, resources: k8s.V1ResourceRequirements = {}, extra: Partial<k8s.V1PodSpec> = {}): k8s.V1Pod => ({
  metadata: { name },
  spec: { containers: [{ name: 'app', image: 'registry.example.com/demo/app:1.0', resources }], ...extra },
});

async function eventsOf(kind: string, name: string): Promise<string[]> {
  const list = await env.c.core.listNamespacedEvent({ namespace: ns, fieldSelector: `involvedObject.name=${name},involvedObject.kind=${kind},reason=FailedCreate` });
  return list.items.map((e) => `${e.source?.component ?? ''}: ${e.message ?? ''}`);
}

describe('sandbox LimitRange admission', () => {
  it('fills missing requests and limits from the LimitRange defaults and says so', async () => {
    await limitRange({ type: 'Container', _default: { cpu: '500m', memory: '256Mi' }, defaultRequest: { cpu: '100m' } });
    // The default request of memory falls back to the default limit, as the API server defaults the item.
    const stored = await env.c.core.readNamespacedLimitRange({ name: 'limits', namespace: ns });
    expect(stored.spec?.limits[0]!.defaultRequest).toEqual({ cpu: '100m', memory: '256Mi' });
    const pod = await env.c.core.createNamespacedPod({ namespace: ns, body: barePod('plain', { limits: { memory: '128Mi' } }) });
    expect(pod.spec?.containers[0]!.resources).toEqual({ limits: { cpu: '500m', memory: '128Mi' }, requests: { cpu: '100m', memory: '128Mi' } });
    expect(pod.metadata?.annotations?.['kubernetes.io/limit-ranger']).toBe('LimitRanger plugin set: cpu request for container app; cpu limit for container app');
    expect(pod.spec?.serviceAccountName).toBe('default');
    expect(pod.spec?.tolerations).toContainEqual({ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 });

    // A Deployment's pods get them too.
    await deploy('web', 1, {}, {});
    const pods = await env.c.core.listNamespacedPod({ namespace: ns, labelSelector: 'app=web' });
    expect(pods.items[0]!.spec?.containers[0]!.resources).toEqual({ limits: { cpu: '500m', memory: '256Mi' }, requests: { cpu: '100m', memory: '256Mi' } });
  });

  it('refuses a pod over the LimitRange max with the API server’s 403, and a controller’s pods with FailedCreate', async () => {
    await limitRange({ type: 'Container', max: { cpu: '1', memory: '1Gi' } });
    const refused = await statusOf(env.c.core.createNamespacedPod({ namespace: ns, body: barePod('greedy', { limits: { cpu: '2', memory: '512Mi' } }) }));
    expect(refused).toMatchObject({ code: 403, reason: 'Forbidden', message: 'pods "greedy" is forbidden: maximum cpu usage per Container is 1, but limit is 2', details: { name: 'greedy', kind: 'pods' } });
    const both = await statusOf(env.c.core.createNamespacedPod({ namespace: ns, body: barePod('greedier', { limits: { cpu: '2', memory: '2Gi' } }) }));
    expect(both.message).toBe('pods "greedier" is forbidden: [maximum cpu usage per Container is 1, but limit is 2, maximum memory usage per Container is 1Gi, but limit is 2Gi]');
    // Without limits of its own the pod takes max as its default limit, and passes.
    const fine = await env.c.core.createNamespacedPod({ namespace: ns, body: barePod('fine') });
    expect(fine.spec?.containers[0]!.resources?.limits).toEqual({ cpu: '1', memory: '1Gi' });

    await deploy('big', 1, {}, { limits: { cpu: '4', memory: '512Mi' } });
    const rs = (await env.c.apps.listNamespacedReplicaSet({ namespace: ns, labelSelector: 'app=big' })).items[0]!.metadata!.name!;
    expect(await eventsOf('ReplicaSet', rs)).toEqual([`replicaset-controller: Error creating: pods "${rs}-" is forbidden: maximum cpu usage per Container is 1, but limit is 4`]);
  });
});

describe('sandbox admission for every pod creator', () => {
  it('answers a bare pod past a quota or naming a missing ServiceAccount with 403 forbidden', async () => {
    await env.c.core.createNamespacedResourceQuota({ namespace: ns, body: { metadata: { name: 'q' }, spec: { hard: { pods: '1' } } } });
    // The base scenario's hello pod already fills the quota.
    expect(await statusOf(env.c.core.createNamespacedPod({ namespace: ns, body: barePod('extra') }))).toMatchObject({
      code: 403,
      reason: 'Forbidden',
      message: 'pods "extra" is forbidden: exceeded quota: q, requested: pods=1, used: pods=1, limited: pods=1',
    });
    expect(await statusOf(env.c.core.createNamespacedPod({ namespace: ns, body: barePod('robot', {}, { serviceAccountName: 'robot' }) }))).toMatchObject({
      code: 403,
      message: 'pods "robot" is forbidden: error looking up service account default/robot: serviceaccount "robot" not found',
    });
  });

  it('shows FailedCreate on a StatefulSet and a DaemonSet whose pods admission refuses', async () => {
    const template = { metadata: { labels: { app: 'db' } }, spec: { serviceAccountName: 'db', containers: [{ name: 'db', image: 'postgres:16' }] } };
    await env.c.apps.createNamespacedStatefulSet({ namespace: ns, body: { metadata: { name: 'db' }, spec: { serviceName: 'db', replicas: 2, selector: { matchLabels: { app: 'db' } }, template } } });
    await env.c.apps.createNamespacedDaemonSet({ namespace: ns, body: { metadata: { name: 'agent' }, spec: { selector: { matchLabels: { app: 'db' } }, template } } });
    await env.cluster.settle();
    expect(await eventsOf('StatefulSet', 'db')).toEqual(['statefulset-controller: create Pod db-0 in StatefulSet db failed error: pods "db-0" is forbidden: error looking up service account default/db: serviceaccount "db" not found']);
    expect(await eventsOf('DaemonSet', 'agent')).toEqual(['daemonset-controller: Error creating: pods "agent-" is forbidden: error looking up service account default/db: serviceaccount "db" not found']);
    expect((await env.c.core.listNamespacedPod({ namespace: ns, labelSelector: 'app=db' })).items).toEqual([]);
  });

  it('refuses Services and claims past a quota, and counts them in its status', async () => {
    await env.c.core.createNamespacedResourceQuota({ namespace: ns, body: { metadata: { name: 'objects' }, spec: { hard: { services: '1', persistentvolumeclaims: '2', 'requests.storage': '5Gi' } } } });
    await env.c.core.createNamespacedService({ namespace: ns, body: { metadata: { name: 'one' }, spec: { ports: [{ port: 80 }] } } });
    expect(await statusOf(env.c.core.createNamespacedService({ namespace: ns, body: { metadata: { name: 'two' }, spec: { ports: [{ port: 80 }] } } }))).toMatchObject({
      code: 403,
      reason: 'Forbidden',
      message: 'services "two" is forbidden: exceeded quota: objects, requested: services=1, used: services=1, limited: services=1',
    });
    const claim = (name: string, storage: string): k8s.V1PersistentVolumeClaim => ({ metadata: { name }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage } } } });
    await env.c.core.createNamespacedPersistentVolumeClaim({ namespace: ns, body: claim('small', '2Gi') });
    expect((await statusOf(env.c.core.createNamespacedPersistentVolumeClaim({ namespace: ns, body: claim('large', '4Gi') }))).message).toBe(
      'persistentvolumeclaims "large" is forbidden: exceeded quota: objects, requested: requests.storage=4Gi, used: requests.storage=2Gi, limited: requests.storage=5Gi',
    );
    await env.cluster.settle();
    expect((await env.c.core.readNamespacedResourceQuota({ name: 'objects', namespace: ns })).status?.used).toEqual({ services: '1', persistentvolumeclaims: '1', 'requests.storage': '2Gi' });
  });
});
