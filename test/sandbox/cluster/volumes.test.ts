import type * as k8s from '@kubernetes/client-node';
import * as client from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { freshClusterPerTest, ns } from './scheduler-helpers.js';

const env = freshClusterPerTest();
const storage = () => {
  const kc = new client.KubeConfig();
  kc.loadFromString(env.cluster.kubeconfigYaml());
  return kc.makeApiClient(client.StorageV1Api);
};

async function claim(name: string, spec: Partial<k8s.V1PersistentVolumeClaimSpec> = {}): Promise<void> {
  await env.c.core.createNamespacedPersistentVolumeClaim({
    namespace: ns,
    body: { metadata: { name }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, ...spec } },
  });
  await env.cluster.settle();
}

async function volume(name: string, spec: Partial<k8s.V1PersistentVolumeSpec> = {}, labels: Record<string, string> = {}): Promise<void> {
  await env.c.core.createPersistentVolume({
    body: { metadata: { name, labels }, spec: { capacity: { storage: '5Gi' }, accessModes: ['ReadWriteOnce'], hostPath: { path: `/data/${name}` }, ...spec } },
  });
  await env.cluster.settle();
}

async function storageClass(name: string, provisioner: string, isDefault = false): Promise<void> {
  await storage().createStorageClass({
    body: { metadata: { name, ...(isDefault ? { annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } } : {}) }, provisioner },
  });
}

const read = (name: string) => env.c.core.readNamespacedPersistentVolumeClaim({ name, namespace: ns });

async function eventsOf(name: string): Promise<{ reason: string; message: string; type: string; component: string }[]> {
  const list = await env.c.core.listNamespacedEvent({ namespace: ns, fieldSelector: `involvedObject.name=${name},involvedObject.kind=PersistentVolumeClaim` });
  return list.items.map((e) => ({ reason: e.reason ?? '', message: e.message ?? '', type: e.type ?? '', component: e.source?.component ?? '' }));
}

describe('sandbox PersistentVolume controller', () => {
  it('leaves a claim without class Pending with FailedBinding, and binds it once a matching volume exists', async () => {
    await claim('data', { storageClassName: '' });
    expect((await read('data')).status?.phase).toBe('Pending');
    expect(await eventsOf('data')).toEqual([
      { reason: 'FailedBinding', type: 'Normal', component: 'persistentvolume-controller', message: 'no persistent volumes available for this claim and no storage class is set' },
    ]);
    // Too small, wrong access mode, another class: none of them serve the claim.
    await volume('small', { capacity: { storage: '512Mi' } });
    await volume('rox', { accessModes: ['ReadOnlyMany'] });
    await volume('classy', { storageClassName: 'fast' });
    expect((await read('data')).status?.phase).toBe('Pending');
    await volume('good', { capacity: { storage: '2Gi' } });
    await volume('bigger', { capacity: { storage: '10Gi' } });
    const bound = await read('data');
    expect(bound.spec?.volumeName).toBe('good');
    expect(bound.status).toMatchObject({ phase: 'Bound', capacity: { storage: '2Gi' }, accessModes: ['ReadWriteOnce'] });
    const pv = await env.c.core.readPersistentVolume({ name: 'good' });
    expect(pv.status?.phase).toBe('Bound');
    expect(pv.spec?.claimRef).toMatchObject({ kind: 'PersistentVolumeClaim', namespace: ns, name: 'data', uid: bound.metadata?.uid });
    expect((await env.c.core.readPersistentVolume({ name: 'bigger' })).status?.phase).toBe('Available');

    // The claim goes: a Retain volume is Released, not handed to the next claim.
    await env.c.core.deleteNamespacedPersistentVolumeClaim({ name: 'data', namespace: ns });
    await env.cluster.settle();
    expect((await env.c.core.readPersistentVolume({ name: 'good' })).status?.phase).toBe('Released');
  });

  it('matches a claim’s label selector against the volumes', async () => {
    await volume('gold', {}, { tier: 'gold' });
    await claim('picky', { storageClassName: '', selector: { matchLabels: { tier: 'silver' } } });
    expect((await read('picky')).status?.phase).toBe('Pending');
    await volume('silver', {}, { tier: 'silver' });
    expect((await read('picky')).spec?.volumeName).toBe('silver');
  });

  it('provisions a volume for a claim of the default class', async () => {
    await storageClass('standard', 'rancher.io/local-path', true);
    await claim('logs', { resources: { requests: { storage: '3Gi' } } });
    const bound = await read('logs');
    expect(bound.spec?.storageClassName).toBe('standard');
    expect(bound.status).toMatchObject({ phase: 'Bound', capacity: { storage: '3Gi' } });
    const pv = await env.c.core.readPersistentVolume({ name: `pvc-${bound.metadata!.uid!}` });
    expect(pv.spec).toMatchObject({ storageClassName: 'standard', persistentVolumeReclaimPolicy: 'Delete', capacity: { storage: '3Gi' } });
    expect(pv.metadata?.annotations?.['pv.kubernetes.io/provisioned-by']).toBe('rancher.io/local-path');
    const reasons = (await eventsOf('logs')).map((e) => e.reason);
    expect(reasons).toEqual(expect.arrayContaining(['ExternalProvisioning', 'Provisioning', 'ProvisioningSucceeded']));
    // Delete policy: the volume goes with its claim.
    await env.c.core.deleteNamespacedPersistentVolumeClaim({ name: 'logs', namespace: ns });
    await env.cluster.settle();
    expect(env.cluster.getObject('pv', undefined, `pvc-${bound.metadata!.uid!}`)).toBeUndefined();
  });

  it('says why a class cannot provision: a missing class, no provisioner', async () => {
    await claim('ghost', { storageClassName: 'fast-ssd' });
    expect(await eventsOf('ghost')).toEqual([{ reason: 'ProvisioningFailed', type: 'Warning', component: 'persistentvolume-controller', message: 'storageclass.storage.k8s.io "fast-ssd" not found' }]);
    await storageClass('local', 'kubernetes.io/no-provisioner');
    await claim('local-claim', { storageClassName: 'local' });
    expect(await eventsOf('local-claim')).toEqual([{ reason: 'ProvisioningFailed', type: 'Warning', component: 'persistentvolume-controller', message: 'no volume plugin matched name: kubernetes.io/no-provisioner' }]);
    expect((await read('local-claim')).status?.phase).toBe('Pending');
  });

  it('refuses a claim naming a volume that is bound to another claim', async () => {
    await volume('shared', { capacity: { storage: '1Gi' } });
    await claim('first', { storageClassName: '' });
    expect((await read('first')).spec?.volumeName).toBe('shared');
    await claim('second', { storageClassName: '', volumeName: 'shared' });
    expect((await read('second')).status?.phase).toBe('Pending');
    expect(await eventsOf('second')).toEqual([{ reason: 'FailedBinding', type: 'Warning', component: 'persistentvolume-controller', message: 'volume "shared" already bound to a different claim.' }]);
  });

  it('keeps a pod with an unbound claim Pending with the scheduler’s message, and places it once bound', async () => {
    await claim('db-data', { storageClassName: '' });
    await env.c.core.createNamespacedPod({
      namespace: ns,
      body: { metadata: { name: 'db' }, spec: { containers: [{ name: 'db', image: 'postgres:16' }], volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'db-data' } }] } },
    });
    await env.cluster.settle();
    const pod = await env.c.core.readNamespacedPod({ name: 'db', namespace: ns });
    expect(pod.spec?.nodeName).toBeUndefined();
    const message = '0/2 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.';
    expect(pod.status?.conditions?.find((c) => c.type === 'PodScheduled')).toMatchObject({ status: 'False', reason: 'Unschedulable', message });
    const events = await env.c.core.listNamespacedEvent({ namespace: ns, fieldSelector: 'involvedObject.name=db,reason=FailedScheduling' });
    expect(events.items.map((e) => e.message)).toEqual([message]);
    await volume('db-volume');
    expect((await env.c.core.readNamespacedPod({ name: 'db', namespace: ns })).spec?.nodeName).toMatch(/^node-/);
  });

  it('names a claim that does not exist', async () => {
    await env.c.core.createNamespacedPod({
      namespace: ns,
      body: { metadata: { name: 'orphan' }, spec: { containers: [{ name: 'app', image: 'nginx:1.27' }], volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'nope' } }] } },
    });
    await env.cluster.settle();
    const pod = await env.c.core.readNamespacedPod({ name: 'orphan', namespace: ns });
    expect(pod.status?.conditions?.[0]?.message).toBe('0/2 nodes are available: persistentvolumeclaim "nope" not found. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.');
  });
});
