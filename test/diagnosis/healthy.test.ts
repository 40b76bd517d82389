import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatherEvidence } from '../../src/analysis/gather.js';
import { runAnalyzers } from '../../src/analysis/run-analyzers.js';
import { createClusterReader } from '../../src/kube/read/cluster-reader.js';
import type { ClusterReader } from '../../src/kube/reader.js';
import { startSandboxCluster, type SandboxCluster } from '../../sandbox/cluster/index.js';
import { ns, worldFor } from './world.js';

/** The other half of the table: what is healthy must not be reported. */
let cluster: SandboxCluster;
let reader: ClusterReader;

beforeAll(async () => {
  cluster = await startSandboxCluster({ scenarios: [], timeScale: 100 });
  await cluster.settle();
  const w = await worldFor(cluster);
  await w.deploy('web', 2, { container: { ports: [{ name: 'http', containerPort: 8080 }] }, resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '1', memory: '256Mi' } } });
  await w.core.createNamespacedService({ namespace: ns, body: { metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 'http' }] } } });
  await w.policy.createNamespacedPodDisruptionBudget({ namespace: ns, body: { metadata: { name: 'web' }, spec: { maxUnavailable: 1, selector: { matchLabels: { app: 'web' } } } } });
  await w.core.createNamespacedResourceQuota({ namespace: ns, body: { metadata: { name: 'roomy' }, spec: { hard: { pods: '20', 'requests.memory': '8Gi' } } } });
  await w.core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: 'web-config' }, data: { level: 'info' } } });
  await w.storage.createStorageClass({ body: { metadata: { name: 'standard', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } }, provisioner: 'rancher.io/local-path', volumeBindingMode: 'WaitForFirstConsumer' } });
  await w.core.createNamespacedPersistentVolumeClaim({ namespace: ns, body: { metadata: { name: 'data' }, spec: { storageClassName: 'standard', accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } } });
  await w.batch.createNamespacedCronJob({
    namespace: ns,
    body: { metadata: { name: 'nightly' }, spec: { schedule: '0 3 * * *', jobTemplate: { spec: { template: { spec: { restartPolicy: 'OnFailure', containers: [{ name: 'nightly', image: 'registry.example.com/shop/nightly:1.0' }] } } } } } },
  });
  await cluster.settle();
  const kc = new KubeConfig();
  kc.loadFromString(cluster.kubeconfigYaml());
  reader = createClusterReader(kc, 'sandbox');
});

afterAll(async () => {
  await cluster.close();
});

describe('healthy objects are not reported', () => {
  it('a healthy Deployment with its Service, PDB, quota and config: no finding, no proposal', async () => {
    const r = runAnalyzers(await gatherEvidence(reader, { namespace: ns, deployment: 'web' }), Date.now());
    expect(r.findings.map((f) => f.title)).toEqual([]);
    expect(r.proposals).toEqual([]);
  });

  it('the whole namespace, and the system namespaces: nothing to report', async () => {
    for (const namespace of [ns, 'default', 'kube-system', 'monitoring']) {
      const r = runAnalyzers(await gatherEvidence(reader, { namespace }), Date.now());
      expect({ namespace, findings: r.findings.map((f) => f.title) }).toEqual({ namespace, findings: [] });
    }
  });
});
