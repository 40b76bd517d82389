import type * as k8s from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { merge } from './helpers.js';
import { deployer, freshClusterPerTest, ns } from './scheduler-helpers.js';

const env = freshClusterPerTest();
const deploy = deployer(env);

async function node(name: string): Promise<k8s.V1Node> {
  return env.c.core.readNode({ name });
}

const condition = (n: k8s.V1Node, type: string) => n.status?.conditions?.find((c) => c.type === type);

async function setKubelet(name: string, value: string | null): Promise<void> {
  await env.c.core.patchNode({ name, body: { metadata: { annotations: { 'sandbox.deckhand.dev/kubelet': value } } } }, merge);
  await env.cluster.settle();
}

async function eventsOf(kind: string, name: string, namespace?: string): Promise<{ reason: string; message: string; type: string; component: string }[]> {
  const list = await env.c.core.listEventForAllNamespaces({ fieldSelector: `involvedObject.name=${name},involvedObject.kind=${kind}${namespace ? `,involvedObject.namespace=${namespace}` : ''}` });
  return list.items.map((e) => ({ reason: e.reason ?? '', message: e.message ?? '', type: e.type ?? '', component: e.source?.component ?? '' }));
}

const podsOf = async (app: string) => (await env.c.core.listNamespacedPod({ namespace: ns, labelSelector: `app=${app}` })).items;

describe('sandbox node lifecycle', () => {
  it('keeps a running node\'s heartbeat fresh: its conditions are re-posted at least every 5 minutes', async () => {
    const heartbeats = async () => (await node('node-1')).status?.conditions?.map((c) => new Date(c.lastHeartbeatTime ?? 0).getTime()) ?? [];
    // The cluster's own now (its clock runs behind the wall clock): a new object's creation time.
    let n = 0;
    const clusterNow = async () => {
      const made = await env.c.core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: `clock-${String((n += 1))}` } } });
      return new Date(made.metadata?.creationTimestamp ?? 0).getTime();
    };
    const staleness = async () => (await clusterNow()) - Math.min(...(await heartbeats()));
    expect((await heartbeats()).length).toBeGreaterThan(0);
    expect(await staleness()).toBeLessThanOrEqual(5 * 60_000);
    env.cluster.advance(6 * 60_000);
    await env.cluster.settle();
    expect(await staleness()).toBeLessThanOrEqual(5 * 60_000);
    expect(condition(await node('node-1'), 'Ready')?.status).toBe('True');
  });

  it('takes a node whose kubelet stopped NotReady after the grace period, taints it, and evicts its pods after their toleration', async () => {
    await deploy('web', 4);
    const onNode2 = (await podsOf('web')).filter((p) => p.spec?.nodeName === 'node-2');
    expect(onNode2.length).toBeGreaterThan(0);

    await setKubelet('node-2', 'stopped');
    // Within the node-monitor grace period nothing shows yet.
    expect(condition(await node('node-2'), 'Ready')?.status).toBe('True');
    env.cluster.advance(40_000);
    await env.cluster.settle();
    const down = await node('node-2');
    for (const type of ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure']) {
      expect(condition(down, type)).toMatchObject({ status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.' });
    }
    expect(down.spec?.taints?.map((t) => `${t.key}:${t.effect}`)).toEqual(['node.kubernetes.io/not-ready:NoSchedule', 'node.kubernetes.io/not-ready:NoExecute']);
    expect(await eventsOf('Node', 'node-2')).toContainEqual({ reason: 'NodeNotReady', message: 'Node node-2 status is now: NodeNotReady', type: 'Normal', component: 'node-controller' });
    const victim = onNode2[0]!.metadata!.name!;
    const stale = await env.c.core.readNamespacedPod({ name: victim, namespace: ns });
    expect(stale.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('False');
    expect(await eventsOf('Pod', victim, ns)).toContainEqual({ reason: 'NodeNotReady', message: 'Node is not ready', type: 'Warning', component: 'node-controller' });
    expect(stale.metadata?.deletionTimestamp).toBeUndefined();

    // The default 300s not-ready toleration runs out: the pods are marked for deletion, and
    // stay Terminating (no kubelet confirms); the ReplicaSet replaces them on node-1.
    env.cluster.advance(300_000);
    await env.cluster.settle();
    const evicted = await env.c.core.readNamespacedPod({ name: victim, namespace: ns });
    expect(evicted.metadata?.deletionTimestamp).toBeDefined();
    expect(evicted.status?.conditions?.find((c) => c.type === 'DisruptionTarget')).toMatchObject({ status: 'True', reason: 'DeletionByTaintManager', message: 'Taint manager: deleting due to NoExecute taint' });
    expect(await eventsOf('Pod', victim, ns)).toContainEqual({ reason: 'TaintManagerEviction', message: `Marking for deletion Pod ${ns}/${victim}`, type: 'Normal', component: 'taint-eviction-controller' });
    const live = (await podsOf('web')).filter((p) => !p.metadata?.deletionTimestamp);
    expect(live.map((p) => p.spec?.nodeName)).toEqual(['node-1', 'node-1', 'node-1', 'node-1']);

    // The kubelet comes back: Ready again, untainted, and the deletions finish.
    await setKubelet('node-2', null);
    const up = await node('node-2');
    expect(condition(up, 'Ready')).toMatchObject({ status: 'True', reason: 'KubeletReady' });
    expect(up.spec?.taints).toBeUndefined();
    env.cluster.advance(60_000);
    await env.cluster.settle();
    expect((await podsOf('web')).map((p) => p.metadata?.name)).not.toContain(victim);
  });

  it('takes a node created with a stopped kubelet NotReady, and brings it back when the annotation goes', async () => {
    await env.c.core.createNode({
      body: {
        metadata: { name: 'node-3', annotations: { 'sandbox.deckhand.dev/kubelet': 'stopped' } },
        status: { allocatable: { cpu: '4', memory: '8Gi', pods: '110' }, capacity: { cpu: '4', memory: '8Gi', pods: '110' }, conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' }] },
      },
    });
    await env.cluster.settle();
    env.cluster.advance(40_000);
    await env.cluster.settle();
    expect(condition(await node('node-3'), 'Ready')?.status).toBe('Unknown');
    await setKubelet('node-3', null);
    expect(condition(await node('node-3'), 'Ready')?.status).toBe('True');
  });
});

describe('sandbox node-pressure eviction', () => {
  it('reports MemoryPressure and evicts the pod using the most memory over its request', async () => {
    await env.c.core.createNamespacedPod({
      namespace: ns,
      body: {
        metadata: { name: 'hog', annotations: { 'sandbox.deckhand.dev/memory': '7900Mi' } },
        spec: { nodeSelector: { 'kubernetes.io/hostname': 'node-1' }, containers: [{ name: 'hog', image: 'registry.example.com/demo/hog:1.0', resources: { requests: { memory: '100Mi' } } }] },
      },
    });
    await env.cluster.settle();
    const pod = await env.c.core.readNamespacedPod({ name: 'hog', namespace: ns });
    expect(pod.status?.phase).toBe('Failed');
    expect(pod.status?.reason).toBe('Evicted');
    // Quantities as Quantity.String() prints them; memory.available never reads below 0.
    expect(pod.status?.message).toMatch(/^The node was low on resource: memory\. Threshold quantity: 100Mi, available: (0|\d+(Ki|Mi)?)\. Container hog was using 7900Mi, request is 100Mi, has larger consumption of memory\. $/);
    expect(await eventsOf('Pod', 'hog', ns)).toContainEqual({ reason: 'Evicted', message: pod.status!.message!, type: 'Warning', component: 'kubelet' });

    const pressured = await node('node-1');
    expect(condition(pressured, 'MemoryPressure')).toMatchObject({ status: 'True', reason: 'KubeletHasInsufficientMemory', message: 'kubelet has insufficient memory available' });
    expect(pressured.spec?.taints).toContainEqual(expect.objectContaining({ key: 'node.kubernetes.io/memory-pressure', effect: 'NoSchedule' }));
    expect((await eventsOf('Node', 'node-1')).map((e) => e.reason)).toEqual(expect.arrayContaining(['EvictionThresholdMet', 'NodeHasInsufficientMemory']));
    // The other pods on the node use less than they request: they stay.
    const others = (await env.c.core.listPodForAllNamespaces({ fieldSelector: 'spec.nodeName=node-1' })).items.filter((p) => p.metadata?.name !== 'hog');
    expect(others.every((p) => p.status?.phase === 'Running')).toBe(true);

    // Five minutes without pressure and the condition and taint go.
    env.cluster.advance(300_000);
    await env.cluster.settle();
    const relieved = await node('node-1');
    expect(condition(relieved, 'MemoryPressure')?.status).toBe('False');
    expect(relieved.spec?.taints ?? []).toEqual([]);
  });
});
