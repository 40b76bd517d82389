import type * as k8s from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { merge } from './helpers.js';
import { freshClusterPerTest, ns } from './scheduler-helpers.js';

const env = freshClusterPerTest();

const podsOf = async (app: string) => (await env.c.core.listNamespacedPod({ namespace: ns, labelSelector: `app=${app}` })).items.filter((p) => !p.metadata?.deletionTimestamp);

async function statefulSet(name: string, replicas: number, spec: Partial<k8s.V1StatefulSetSpec> = {}, podSpec: Partial<k8s.V1PodSpec> = {}): Promise<void> {
  await env.c.apps.createNamespacedStatefulSet({
    namespace: ns,
    body: {
      metadata: { name },
      spec: { serviceName: name, replicas, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name, image: `registry.example.com/demo/${name}:1.0` }], ...podSpec } }, ...spec },
    },
  });
  await env.cluster.settle();
}

describe('sandbox StatefulSet ordered start', () => {
  it('starts pod N+1 only once pod N is Ready, so a stuck pod 0 stalls the set', async () => {
    // Pod 0 names a node that does not exist: it never runs, and the set waits on it.
    await statefulSet('db', 3, {}, { nodeSelector: { disk: 'ssd' } });
    expect((await podsOf('db')).map((p) => p.metadata?.name)).toEqual(['db-0']);
    const sts = await env.c.apps.readNamespacedStatefulSet({ name: 'db', namespace: ns });
    expect(sts.status).toMatchObject({ replicas: 1, readyReplicas: 0 });

    await env.c.core.patchNode({ name: 'node-1', body: { metadata: { labels: { disk: 'ssd' } } } }, merge);
    await env.cluster.settle();
    expect((await podsOf('db')).map((p) => p.metadata?.name).sort()).toEqual(['db-0', 'db-1', 'db-2']);
    expect((await env.c.apps.readNamespacedStatefulSet({ name: 'db', namespace: ns })).status).toMatchObject({ replicas: 3, readyReplicas: 3 });
  });

  it('makes every pod at once under podManagementPolicy Parallel', async () => {
    await statefulSet('cache', 3, { podManagementPolicy: 'Parallel' }, { nodeSelector: { disk: 'ssd' } });
    expect((await podsOf('cache')).map((p) => p.metadata?.name).sort()).toEqual(['cache-0', 'cache-1', 'cache-2']);
  });

  it('creates the claims of its volumeClaimTemplates, which a pod waits for', async () => {
    await statefulSet('pg', 1, {
      volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }],
    });
    const claim = await env.c.core.readNamespacedPersistentVolumeClaim({ name: 'data-pg-0', namespace: ns });
    expect(claim.status?.phase).toBe('Pending');
    const [pod] = await podsOf('pg');
    expect(pod?.spec?.volumes).toContainEqual({ name: 'data', persistentVolumeClaim: { claimName: 'data-pg-0' } });
    expect(pod?.spec?.nodeName).toBeUndefined();
    expect(pod?.status?.conditions?.[0]?.message).toContain('pod has unbound immediate PersistentVolumeClaims');
  });
});

describe('sandbox DaemonSet placement', () => {
  it('runs on cordoned nodes, skips untolerated taints, and counts pods left behind as misscheduled', async () => {
    await env.c.core.patchNode({ name: 'node-1', body: { spec: { unschedulable: true } } }, merge);
    await env.c.core.createNode({
      body: {
        metadata: { name: 'gpu-1', labels: { 'kubernetes.io/hostname': 'gpu-1' } },
        spec: { taints: [{ key: 'gpu', value: 'true', effect: 'NoSchedule' }] },
        status: { allocatable: { cpu: '4', memory: '8Gi', pods: '110' }, capacity: { cpu: '4', memory: '8Gi', pods: '110' }, conditions: [{ type: 'Ready', status: 'True' }] },
      },
    });
    await env.c.apps.createNamespacedDaemonSet({
      namespace: ns,
      body: { metadata: { name: 'agent' }, spec: { selector: { matchLabels: { app: 'agent' } }, template: { metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'agent', image: 'registry.example.com/demo/agent:1.0' }] } } } },
    });
    await env.cluster.settle();
    expect((await podsOf('agent')).map((p) => p.spec?.nodeName).sort()).toEqual(['node-1', 'node-2']);
    const ds = await env.c.apps.readNamespacedDaemonSet({ name: 'agent', namespace: ns });
    expect(ds.status).toMatchObject({ desiredNumberScheduled: 2, currentNumberScheduled: 2, numberMisscheduled: 0, numberReady: 2 });

    // A NoSchedule taint added later keeps the pod there, now misscheduled; NoExecute drives it off.
    await env.c.core.patchNode({ name: 'node-2', body: { spec: { taints: [{ key: 'maintenance', value: 'soon', effect: 'NoSchedule' }] } } }, merge);
    await env.cluster.settle();
    expect((await env.c.apps.readNamespacedDaemonSet({ name: 'agent', namespace: ns })).status).toMatchObject({ desiredNumberScheduled: 1, currentNumberScheduled: 1, numberMisscheduled: 1 });
    await env.c.core.patchNode({ name: 'node-2', body: { spec: { taints: [{ key: 'maintenance', value: 'now', effect: 'NoExecute' }] } } }, merge);
    await env.cluster.settle();
    expect((await podsOf('agent')).map((p) => p.spec?.nodeName)).toEqual(['node-1']);
    expect((await env.c.apps.readNamespacedDaemonSet({ name: 'agent', namespace: ns })).status).toMatchObject({ desiredNumberScheduled: 1, numberMisscheduled: 0 });
  });
});
