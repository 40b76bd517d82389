import type * as k8s from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { merge } from './helpers.js';
import { deployer, freshClusterPerTest, ns } from './scheduler-helpers.js';

// Each test builds its broken workload through the API, on the base scenario's two nodes
// (node-1, node-2: 4 cpu, 8Gi each) plus the nodes it adds.
const env = freshClusterPerTest();
const deploy = deployer(env);

async function addNode(name: string, opts: { labels?: Record<string, string>; taints?: k8s.V1Taint[]; cpu?: string; memory?: string; pods?: string } = {}): Promise<void> {
  const resources = { cpu: opts.cpu ?? '4', memory: opts.memory ?? '8Gi', pods: opts.pods ?? '110' };
  await env.c.core.createNode({
    body: {
      metadata: { name, labels: { 'kubernetes.io/hostname': name, ...opts.labels } },
      spec: { ...(opts.taints ? { taints: opts.taints } : {}) },
      status: { capacity: resources, allocatable: resources, conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' }] },
    },
  });
}

async function podsOf(app: string): Promise<k8s.V1Pod[]> {
  return (await env.c.core.listNamespacedPod({ namespace: ns, labelSelector: `app=${app}` })).items.filter((p) => !p.metadata?.deletionTimestamp);
}

/** The one pending pod of `app`: its PodScheduled condition and FailedScheduling event must carry the same message. */
async function pendingMessage(app: string): Promise<string> {
  const pending = (await podsOf(app)).filter((p) => !p.spec?.nodeName);
  expect(pending).toHaveLength(1);
  const pod = pending[0]!;
  expect(pod.status?.phase).toBe('Pending');
  const condition = pod.status?.conditions?.find((x) => x.type === 'PodScheduled');
  expect(condition).toMatchObject({ status: 'False', reason: 'Unschedulable' });
  const events = await env.c.core.listNamespacedEvent({ namespace: ns, fieldSelector: `involvedObject.name=${pod.metadata!.name},reason=FailedScheduling` });
  expect(events.items).toHaveLength(1);
  expect(events.items[0]).toMatchObject({ type: 'Warning', reportingComponent: 'default-scheduler' });
  expect(events.items[0]!.message).toBe(condition!.message);
  return events.items[0]!.message!;
}

const nodesOf = async (app: string) => (await podsOf(app)).map((p) => p.spec?.nodeName ?? '').sort();

describe('sandbox scheduler', () => {
  it('counts the requests of the pods already bound against allocatable memory', async () => {
    // 3Gi each: two fit on each 8Gi node, the fifth fits nowhere.
    await deploy('big', 5, {}, { requests: { cpu: '100m', memory: '3Gi' } });
    expect(await nodesOf('big')).toEqual(['', 'node-1', 'node-1', 'node-2', 'node-2']);
    expect(await pendingMessage('big')).toBe(
      '0/2 nodes are available: 2 Insufficient memory. preemption: 0/2 nodes are available: 2 No preemption victims found for incoming pod.',
    );
  });

  it('counts cpu and the pods allocatable, each reason on its own', async () => {
    await addNode('tiny', { cpu: '4', memory: '8Gi', pods: '0' });
    await deploy('cpu', 3, {}, { requests: { cpu: '3', memory: '64Mi' } });
    expect(await pendingMessage('cpu')).toBe(
      '0/3 nodes are available: 1 Too many pods, 2 Insufficient cpu. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.',
    );
  });

  it('reports a cordoned node, an untolerated taint and a nodeSelector mismatch, then a toleration schedules', async () => {
    await addNode('cp-1', { labels: { disk: 'ssd' }, taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] });
    await env.c.core.patchNode({ name: 'node-1', body: { metadata: { labels: { disk: 'ssd' } }, spec: { unschedulable: true } } }, merge);
    await deploy('picky', 1, { nodeSelector: { disk: 'ssd' } });
    expect(await pendingMessage('picky')).toBe(
      "0/3 nodes are available: 1 node(s) didn't match Pod's node affinity/selector, 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 1 node(s) were unschedulable. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.",
    );
    await env.c.apps.patchNamespacedDeployment(
      { name: 'picky', namespace: ns, body: { spec: { template: { spec: { tolerations: [{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' }] } } } } },
      merge,
    );
    await env.cluster.settle();
    expect(await nodesOf('picky')).toEqual(['cp-1']);
  });

  it('matches tolerations by key, value and effect; an empty key with Exists tolerates every taint', async () => {
    await addNode('gpu-1', { taints: [{ key: 'gpu', value: 'true', effect: 'NoExecute' }] });
    for (const n of ['node-1', 'node-2']) await env.c.core.patchNode({ name: n, body: { spec: { unschedulable: true } } }, merge);
    await deploy('wrong-value', 1, { tolerations: [{ key: 'gpu', operator: 'Equal', value: 'false' }] });
    expect(await pendingMessage('wrong-value')).toBe(
      '0/3 nodes are available: 1 node(s) had untolerated taint {gpu: true}, 2 node(s) were unschedulable. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.',
    );
    await deploy('equal', 1, { tolerations: [{ key: 'gpu', operator: 'Equal', value: 'true', effect: 'NoExecute' }] });
    expect(await nodesOf('equal')).toEqual(['gpu-1']);
    // Tolerating everything includes the cordon's taint: the cordoned node-1 takes it.
    await deploy('anything', 1, { tolerations: [{ operator: 'Exists' }], nodeSelector: { 'kubernetes.io/hostname': 'node-1' } });
    expect(await nodesOf('anything')).toEqual(['node-1']);
  });

  it('honours required node affinity with In, NotIn, Exists and DoesNotExist', async () => {
    await env.c.core.patchNode({ name: 'node-1', body: { metadata: { labels: { zone: 'a' } } } }, merge);
    const affinity = (operator: string, values?: string[]): Partial<k8s.V1PodSpec> => ({
      affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator, ...(values ? { values } : {}) }] }] } } },
    });
    await deploy('in-a', 2, affinity('In', ['a']));
    expect(await nodesOf('in-a')).toEqual(['node-1', 'node-1']);
    await deploy('not-in-a', 2, affinity('NotIn', ['a']));
    expect(await nodesOf('not-in-a')).toEqual(['node-2', 'node-2']);
    await deploy('exists', 1, affinity('Exists'));
    expect(await nodesOf('exists')).toEqual(['node-1']);
    await deploy('absent', 1, affinity('DoesNotExist'));
    expect(await nodesOf('absent')).toEqual(['node-2']);
    await deploy('in-b', 1, affinity('In', ['b']));
    expect(await pendingMessage('in-b')).toBe(
      "0/2 nodes are available: 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.",
    );
  });

  it('spreads a deployment with required pod anti-affinity one per host, the extra replica stays Pending', async () => {
    await deploy('spread', 3, {
      affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'spread' } }, topologyKey: 'kubernetes.io/hostname' }] } },
    });
    expect(await nodesOf('spread')).toEqual(['', 'node-1', 'node-2']);
    expect(await pendingMessage('spread')).toBe(
      "0/2 nodes are available: 2 node(s) didn't match pod anti-affinity rules. preemption: 0/2 nodes are available: 2 No preemption victims found for incoming pod.",
    );
    // The placed pods' own rule keeps a matching newcomer away too.
    await env.c.core.createNamespacedPod({ namespace: ns, body: { metadata: { name: 'lone', labels: { app: 'spread' } }, spec: { containers: [{ name: 'lone', image: 'registry.example.com/demo/lone:1.0' }] } } });
    await env.cluster.settle();
    const lone = await env.c.core.readNamespacedPod({ name: 'lone', namespace: ns });
    expect(lone.spec?.nodeName).toBeUndefined();
    expect(lone.status?.conditions?.find((x) => x.type === 'PodScheduled')?.message).toBe(
      "0/2 nodes are available: 2 node(s) didn't satisfy existing pods anti-affinity rules. preemption: 0/2 nodes are available: 2 No preemption victims found for incoming pod.",
    );
  });
});
