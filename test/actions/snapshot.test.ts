import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClusterReader } from '../../src/kube/read/cluster-reader.js';
import type { ClusterReader } from '../../src/kube/reader.js';
import { snapshotTarget } from '../../src/decisions/actions/snapshot.js';
import { startSandboxCluster, type SandboxCluster } from '../../sandbox/cluster/index.js';

let sandbox: SandboxCluster;
let reader: ClusterReader;

beforeAll(async () => {
  sandbox = await startSandboxCluster();
  const kc = new KubeConfig();
  kc.loadFromString(sandbox.kubeconfigYaml());
  reader = createClusterReader(kc, 'sandbox');
});

afterAll(async () => {
  await sandbox.close();
});

describe('snapshotTarget', () => {
  it('records the container resources set_resources would change', async () => {
    const snapshot = await snapshotTarget(reader, { type: 'set_resources', namespace: 'shop', kind: 'Deployment', name: 'cart', container: 'cart', limits: { memory: '512Mi' } });
    expect(snapshot).toMatchObject({
      kind: 'Deployment',
      namespace: 'shop',
      name: 'cart',
      generation: 1,
      resourceVersion: expect.any(String) as unknown,
      current: { 'limits.memory': '128Mi', 'requests.memory': '128Mi', 'requests.cpu': '100m', replicas: 2, revision: 1 },
    });
  });

  it('records replicas for scale and the revision for rollout_undo', async () => {
    expect((await snapshotTarget(reader, { type: 'scale', namespace: 'shop', kind: 'Deployment', name: 'web', replicas: 9 }))?.current).toMatchObject({ replicas: 3 });
    expect((await snapshotTarget(reader, { type: 'rollout_undo', namespace: 'shop', name: 'checkout' }))?.current).toMatchObject({ revision: 2 });
    expect((await snapshotTarget(reader, { type: 'scale', namespace: 'shop', kind: 'StatefulSet', name: 'redis', replicas: 2 }))?.current).toMatchObject({ replicas: 1 });
  });

  it('records a pod uid and its owner, so the verifier can tell the replacement apart', async () => {
    const [pod] = await reader.listWorkloadPods({ kind: 'Deployment', namespace: 'shop', name: 'web' });
    const snapshot = await snapshotTarget(reader, { type: 'restart_pod', namespace: 'shop', pod: pod!.metadata!.name! });
    expect(snapshot?.current).toMatchObject({ uid: pod!.metadata!.uid, owner: expect.stringMatching(/^ReplicaSet\/web-/) as unknown });
  });

  it('records whether a node is cordoned', async () => {
    expect((await snapshotTarget(reader, { type: 'cordon_node', node: 'node-3' }))?.current).toEqual({ unschedulable: 'false', ready: 'Unknown' });
  });

  it('is undefined when the target or its container does not exist', async () => {
    expect(await snapshotTarget(reader, { type: 'restart_pod', namespace: 'shop', pod: 'gone-1' })).toBeUndefined();
    expect(await snapshotTarget(reader, { type: 'set_resources', namespace: 'shop', kind: 'Deployment', name: 'cart', container: 'nope', limits: { cpu: '1' } })).toBeUndefined();
  });
});
