import * as k8s from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatherEvidence } from '../../../src/analysis/gather.js';
import { createClusterReader } from '../../../src/kube/read/cluster-reader.js';
import type { ClusterReader } from '../../../src/kube/reader.js';
import { startSandboxCluster, type SandboxCluster } from '../../../sandbox/cluster/index.js';

let sandbox: SandboxCluster;
let reader: ClusterReader;

beforeAll(async () => {
  sandbox = await startSandboxCluster({ scenarios: [], timeScale: 100 });
  const kc = new k8s.KubeConfig();
  kc.loadFromString(sandbox.kubeconfigYaml());
  // Objects are made by an admin; Deckhand reads as its own least-privilege identity.
  const admin = new k8s.KubeConfig();
  admin.loadFromString(sandbox.kubeconfigYaml());
  admin.setCurrentContext('sandbox-admin');
  const core = admin.makeApiClient(k8s.CoreV1Api);
  await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'app-config' }, data: { level: 'debug', 'db-url': 'postgres://app:hunter2@db/app' } } });
  await core.createNamespacedSecret({ namespace: 'default', body: { metadata: { name: 'db' }, stringData: { password: 'hunter2' } } });
  await core.createNamespacedServiceAccount({ namespace: 'default', body: { metadata: { name: 'billing' } } });
  await admin.makeApiClient(k8s.PolicyV1Api).createNamespacedPodDisruptionBudget({ namespace: 'default', body: { metadata: { name: 'hello' }, spec: { minAvailable: 1, selector: { matchLabels: { app: 'hello' } } } } });
  await sandbox.settle();
  reader = createClusterReader(kc, 'sandbox');
});

afterAll(async () => {
  await sandbox.close();
});

describe('the object reads the analyzers use', () => {
  it('reads ConfigMaps as names and keys only: no value leaves the reader', async () => {
    const maps = await reader.listConfigMapKeys('default');
    expect(maps.find((m) => m.name === 'app-config')).toEqual({ name: 'app-config', keys: ['db-url', 'level'] });
    expect(JSON.stringify(maps)).not.toContain('hunter2');
  });

  it('has no Secret read at all, and never asks the API for Secrets', async () => {
    expect(Object.keys(reader).filter((k) => /secret/i.test(k))).toEqual([]);
    const from = sandbox.requests.length;
    await Promise.all([reader.listServiceAccountNames('default'), reader.listPodDisruptionBudgets('default'), reader.listResourceQuotas('default')]);
    expect(sandbox.requests.slice(from).filter((r) => /secrets/.test(r.path)).map((r) => r.path)).toEqual([]);
    expect(sandbox.requests.length).toBeGreaterThan(from);
  });

  it("gathering a namespace's evidence reads its objects and never a Secret", async () => {
    const from = sandbox.requests.length;
    const evidence = await gatherEvidence(reader, { namespace: 'default' });
    expect(evidence.focus).toEqual({ kind: 'Namespace', name: 'default' });
    expect(evidence.objects?.configMaps.map((c) => c.name)).toContain('app-config');
    expect(evidence.objects?.pdbs.map((p) => p.metadata?.name)).toEqual(['hello']);
    expect(evidence.notes.filter((n) => n.startsWith('could not read'))).toEqual([]);
    const paths = sandbox.requests.slice(from).map((r) => r.path);
    expect(paths).toContain('/api/v1/namespaces/default/configmaps');
    expect(paths.filter((p) => /secrets/.test(p))).toEqual([]);
    expect(JSON.stringify(evidence)).not.toContain('hunter2');
  });

  it('lists ServiceAccount names, PDBs, the pods bound to a node and their metrics', async () => {
    expect(await reader.listServiceAccountNames('default')).toContain('billing');
    expect((await reader.listPodDisruptionBudgets('default')).map((p) => p.metadata?.name)).toEqual(['hello']);
    const onNodes = [...(await reader.listPodsOnNode('node-1')), ...(await reader.listPodsOnNode('node-2'))];
    expect(onNodes.some((p) => p.metadata?.name?.startsWith('hello-'))).toBe(true);
    expect(onNodes.every((p) => p.spec?.nodeName === 'node-1' || p.spec?.nodeName === 'node-2')).toBe(true);
    const usage = await reader.listPodUsage('default');
    expect(usage.find((u) => u.name.startsWith('hello-'))?.containers[0]).toMatchObject({ name: 'hello', cpu: expect.stringMatching(/n$/) });
    expect((await reader.listNodeUsage()).map((n) => n.name).sort()).toEqual(['node-1', 'node-2']);
  });

  it('lists empty kinds as empty, not as errors', async () => {
    expect(await reader.listJobs('default')).toEqual([]);
    expect(await reader.listCronJobs('default')).toEqual([]);
    expect(await reader.listPersistentVolumeClaims('default')).toEqual([]);
    expect(await reader.listStorageClasses()).toEqual([]);
  });
});
