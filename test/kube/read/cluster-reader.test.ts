import { BatchV1Api, CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatDeployment, formatEvents, formatHpa, formatLogs, formatNode, formatPodDescribe, formatPodSummary } from '../../../src/kube/format/index.js';
import { createClusterReader } from '../../../src/kube/read/cluster-reader.js';
import type { ClusterReader } from '../../../src/kube/reader.js';
import { startSandboxCluster, type SandboxCluster } from '../../../sandbox/cluster/index.js';
import { AppError } from '../../../src/shared/errors.js';

let sandbox: SandboxCluster;
let reader: ClusterReader;

beforeAll(async () => {
  // Real time: a crash-looping pod then spends its time in CrashLoopBackOff, not between crashes.
  sandbox = await startSandboxCluster({ timeScale: 1, historyMs: 20 * 60_000 });
  const kc = new KubeConfig();
  kc.loadFromString(sandbox.kubeconfigYaml());
  reader = createClusterReader(kc, 'sandbox');
});

afterAll(async () => {
  await sandbox.close();
});

async function podsOf(name: string) {
  return reader.listWorkloadPods({ kind: 'Deployment', namespace: 'shop', name });
}

/** Everything the read helpers say about one deployment, as the analysis would read it. */
async function diagnose(name: string): Promise<string> {
  const pods = await podsOf(name);
  const deployment = await reader.getDeployment('shop', name);
  const parts = [formatDeployment(deployment!, await reader.listDeploymentReplicaSets('shop', name))];
  for (const pod of pods) {
    const podName = pod.metadata!.name!;
    const events = await reader.listObjectEvents('shop', 'Pod', podName);
    parts.push(formatPodSummary(pod), formatPodDescribe(pod, events), formatEvents(events, { limit: 10 }));
    parts.push(formatLogs(await reader.readLogs('shop', podName, { previous: true, tailLines: 20 }), { maxBytes: 2000 }));
  }
  return parts.join('\n');
}

describe('the read helpers make every sandbox scenario diagnosable', () => {
  it('checkout: CrashLoopBackOff, exit code 1, the FATAL log line and the env change', async () => {
    const text = await diagnose('checkout');
    expect(text).toContain('CrashLoopBackOff');
    expect(text).toContain('last terminated Error, exit code 1');
    expect(text).toContain('FATAL config: PAYMENT_URL "htp://payments" is not a valid URL');
    expect(text).toContain('Back-off restarting failed container');
    expect(text).toContain('PAYMENT_URL=http://payments.shop.svc:8080 → PAYMENT_URL=htp://payments');
  });

  it('cart: OOMKilled with exit code 137 and the 128Mi limit', async () => {
    const text = await diagnose('cart');
    expect(text).toContain('last terminated OOMKilled, exit code 137');
    expect(text).toContain('memory limit 128Mi');
  });

  it('frontend: ImagePullBackOff with the bad image, the pull failure, and the previous good image', async () => {
    const text = await diagnose('frontend');
    expect(text).toContain('ImagePullBackOff');
    expect(text).toContain('registry.example.com/shop/frontend:2.3.1-typo');
    expect(text).toContain('Failed to pull image');
    expect(text).toContain('image registry.example.com/shop/frontend:2.3.0 → registry.example.com/shop/frontend:2.3.1-typo');
  });

  it('search: Pending with the FailedScheduling message', async () => {
    const text = await diagnose('search');
    expect(text).toContain('FailedScheduling');
    expect(text).toContain('0/3 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/unreachable: }, 2 Insufficient memory.');
    expect(text).toContain('requests cpu=500m, memory=16Gi');
  });

  it('payments: ProgressDeadlineExceeded and the failing readiness probe', async () => {
    // The deployment's progressDeadlineSeconds (600) must pass in simulated time.
    sandbox.advance(15 * 60_000);
    const text = await diagnose('payments');
    expect(text).toContain('condition Progressing=False ProgressDeadlineExceeded');
    // 3.1.0 never listens (it waits for its ledger), so the kubelet's probe is refused.
    expect(text).toMatch(/Readiness probe failed: Get "http:\/\/10\.244\.\d+\.\d+:8080\/ready": dial tcp 10\.244\.\d+\.\d+:8080: connect: connection refused/);
  });

  it('node-3: NotReady with its reason and the unreachable taint', async () => {
    const node = await reader.getNode('node-3');
    const text = formatNode(node!);
    expect(text).toContain('node node-3: NotReady (Ready=Unknown NodeStatusUnknown)');
    expect(text).toContain('node.kubernetes.io/unreachable:NoSchedule');
    expect((await reader.listNodes()).map((n) => n.metadata?.name)).toEqual(['node-1', 'node-2', 'node-3']);
  });

  it('HPA api: at its maximum with CPU above target', async () => {
    const [hpa] = await reader.listHpas('shop');
    const text = formatHpa(hpa!);
    expect(text).toContain('at its maximum');
    expect(text).toContain('current 95% vs target 70%');
  });
});

describe('createClusterReader', () => {
  it('returns undefined or empty lists for what does not exist', async () => {
    expect(await reader.getPod('shop', 'nope')).toBeUndefined();
    expect(await reader.getDeployment('shop', 'nope')).toBeUndefined();
    expect(await reader.getNode('node-9')).toBeUndefined();
    expect(await reader.listWorkloadPods({ kind: 'Deployment', namespace: 'shop', name: 'nope' })).toEqual([]);
    expect(await reader.listDeploymentReplicaSets('shop', 'nope')).toEqual([]);
    expect(await reader.readLogs('shop', 'nope')).toEqual({ ok: false, message: 'pod "nope" not found in namespace shop' });
  });

  it('passes on the kubelet message when a container has no logs yet', async () => {
    const pod = (await podsOf('frontend')).find((p) => p.status?.phase === 'Pending');
    const result = await reader.readLogs('shop', pod!.metadata!.name!);
    expect(result).toMatchObject({ ok: false, message: expect.stringContaining('is waiting to start') as unknown });
  });

  it('keeps the newest bytes of a log within limitBytes', async () => {
    const [pod] = await podsOf('checkout');
    const result = await reader.readLogs('shop', pod!.metadata!.name!, { previous: true, limitBytes: 80 });
    expect(result.ok && Buffer.byteLength(result.text)).toBeLessThanOrEqual(80);
    expect(result).toMatchObject({ ok: true, truncated: true, text: expect.stringContaining('FATAL config') as unknown });
  });

  it('lists the replica sets a deployment owns, newest revision first', async () => {
    const sets = await reader.listDeploymentReplicaSets('shop', 'checkout');
    expect(sets.map((rs) => rs.metadata?.annotations?.['deployment.kubernetes.io/revision'])).toEqual(['2', '1']);
  });

  it('finds workloads by name across namespaces, exact match first', async () => {
    expect(await reader.findWorkloads('redis')).toEqual([{ kind: 'StatefulSet', namespace: 'shop', name: 'redis' }]);
    expect((await reader.findWorkloads('proxy'))[0]).toEqual({ kind: 'DaemonSet', namespace: 'kube-system', name: 'kube-proxy' });
    expect(await reader.findWorkloads('checkout', 'default')).toEqual([]);
  });

  it('lists events of a namespace newest first, bounded', async () => {
    const events = await reader.listNamespaceEvents('shop', { limit: 5 });
    expect(events).toHaveLength(5);
    expect(await reader.listNamespaces()).toContain('shop');
  });

  it('turns a server error into a retryable AppError', async () => {
    sandbox.faults.failRequests(1, 500);
    const error = await reader.listPods('shop').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'unavailable', retryable: true });
  });

  it('never asks the API for a Secret', () => {
    expect(sandbox.requests.length).toBeGreaterThan(20);
    expect(sandbox.requests.filter((r) => r.path.includes('/secrets'))).toEqual([]);
  });
});

describe('listInventory', () => {
  it("lists a namespace's workloads, pods, Services and claims, and the whole cluster's without one", async () => {
    const kc = new KubeConfig();
    kc.loadFromString(sandbox.kubeconfigYaml());
    // A Service (and a Job) made through the API as a user would, so every list has something to show.
    await kc.makeApiClient(CoreV1Api).createNamespacedService({ namespace: 'shop', body: { metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } } });
    await kc.makeApiClient(BatchV1Api).createNamespacedJob({
      namespace: 'shop',
      body: { metadata: { name: 'migrate' }, spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'm', image: 'registry.example.com/shop/migrate:1' }] } } } },
    });
    const shop = await reader.listInventory('shop');
    expect(shop.namespace).toBe('shop');
    expect(shop.deployments.map((d) => d.metadata?.name)).toEqual(expect.arrayContaining(['checkout', 'web']));
    expect(shop.statefulSets.map((s) => s.metadata?.name)).toContain('redis');
    expect(shop.services.map((s) => s.metadata?.name)).toContain('web');
    expect(shop.jobs.map((j) => j.metadata?.name)).toContain('migrate');
    expect(shop.pods.every((p) => p.metadata?.namespace === 'shop')).toBe(true);
    expect(shop.notes).toEqual([]);
    const all = await reader.listInventory(undefined);
    expect(all.daemonSets.map((d) => `${d.metadata?.namespace}/${d.metadata?.name}`)).toContain('monitoring/node-exporter');
  });

  it('reads one page per kind and says which lists it cut', async () => {
    const inventory = await reader.listInventory('shop', { limit: 1 });
    expect(inventory.pods).toHaveLength(1);
    expect(inventory.notes).toContain('only the first 1 pods were read');
    expect(inventory.notes).toContain('only the first 1 deployments were read');
  });
});
