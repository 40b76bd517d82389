import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Action } from '../../../src/decisions/actions/catalog.js';
import { executeAction } from '../../../src/decisions/execute/executor.js';
import { startSandboxCluster, type SandboxCluster } from '../../../sandbox/cluster/index.js';

/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-return -- sandbox objects are loosely typed wire JSON */

let sandbox: SandboxCluster;
let kc: KubeConfig;

beforeEach(async () => {
  sandbox = await startSandboxCluster({ timeScale: 60 });
  kc = new KubeConfig();
  kc.loadFromString(sandbox.kubeconfigYaml());
});

afterEach(async () => {
  await sandbox.close();
});

const object = (kind: string, ns: string | undefined, name: string) => sandbox.getObject(kind, ns, name) as any;
async function podNames(deployment: string): Promise<string[]> {
  const list = await kc.makeApiClient(CoreV1Api).listNamespacedPod({ namespace: 'shop', labelSelector: `app=${deployment}` });
  return list.items.filter((p) => !p.metadata?.deletionTimestamp).map((p) => p.metadata!.name!);
}

async function dryThenReal(action: Action, unchanged: () => void, changed: () => void) {
  const dry = await executeAction(kc, action, { dryRun: true });
  expect(dry).toMatchObject({ ok: true });
  expect(dry.ok && dry.summary).toContain('server dry run');
  unchanged();
  const real = await executeAction(kc, action, { dryRun: false });
  expect(real).toMatchObject({ ok: true });
  changed();
  return real;
}

describe('executeAction against the sandbox', () => {
  it('restart_pod: the dry run keeps the pod, the real run deletes it', async () => {
    const [pod] = await podNames('checkout');
    await dryThenReal(
      { type: 'restart_pod', namespace: 'shop', pod: pod! },
      () => expect(object('Pod', 'shop', pod!)?.metadata.deletionTimestamp).toBeUndefined(),
      () => {
        const after = object('Pod', 'shop', pod!);
        expect(after === undefined || after.metadata.deletionTimestamp !== undefined).toBe(true);
      },
    );
    const dryDelete = sandbox.requests.find((r) => r.method === 'DELETE' && r.query.includes('dryRun=All'));
    expect(dryDelete?.path).toBe(`/api/v1/namespaces/shop/pods/${pod}`);
  });

  it('rollout_restart: sets the restartedAt annotation only on the real run', async () => {
    const generation = object('Deployment', 'shop', 'web').metadata.generation;
    const result = await dryThenReal(
      { type: 'rollout_restart', namespace: 'shop', kind: 'Deployment', name: 'web' },
      () => expect(object('Deployment', 'shop', 'web').metadata.generation).toBe(generation),
      () => {
        const d = object('Deployment', 'shop', 'web');
        expect(d.spec.template.metadata.annotations['kubectl.kubernetes.io/restartedAt']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
        expect(d.metadata.generation).toBe(generation + 1);
      },
    );
    expect(result.ok && result.summary).toContain('restarted Deployment shop/web');
  });

  it('rollout_restart works on a StatefulSet and a DaemonSet', async () => {
    for (const action of [
      { type: 'rollout_restart', namespace: 'shop', kind: 'StatefulSet', name: 'redis' },
      { type: 'rollout_restart', namespace: 'monitoring', kind: 'DaemonSet', name: 'node-exporter' },
    ] as const) {
      expect(await executeAction(kc, action, { dryRun: false })).toMatchObject({ ok: true });
      const kind = action.kind;
      expect(object(kind, action.namespace, action.name).spec.template.metadata.annotations['kubectl.kubernetes.io/restartedAt']).toBeDefined();
    }
  });

  it('scale: patches the scale subresource, reporting the replicas before and after', async () => {
    const result = await dryThenReal(
      { type: 'scale', namespace: 'shop', kind: 'Deployment', name: 'web', replicas: 5 },
      () => expect(object('Deployment', 'shop', 'web').spec.replicas).toBe(3),
      () => expect(object('Deployment', 'shop', 'web').spec.replicas).toBe(5),
    );
    expect(result.ok && result.summary).toBe('scaled Deployment shop/web from 3 to 5 replicas');
    expect(sandbox.requests.some((r) => r.method === 'PATCH' && r.path === '/apis/apps/v1/namespaces/shop/deployments/web/scale')).toBe(true);
  });

  it('rollout_undo: puts revision 1 template back into checkout', async () => {
    const envOf = () => object('Deployment', 'shop', 'checkout').spec.template.spec.containers[0].env;
    const result = await dryThenReal(
      { type: 'rollout_undo', namespace: 'shop', name: 'checkout' },
      () => expect(envOf()).toContainEqual({ name: 'PAYMENT_URL', value: 'htp://payments' }),
      () => {
        expect(envOf()).toContainEqual({ name: 'PAYMENT_URL', value: 'http://payments.shop.svc:8080' });
        expect(object('Deployment', 'shop', 'checkout').spec.template.metadata.labels['pod-template-hash']).toBeUndefined();
      },
    );
    expect(result.ok && result.summary).toBe('rolled back deployment shop/checkout from revision 2 to revision 1');
  });

  it('rollout_undo: reports missing history and unknown revisions as values, like kubectl', async () => {
    expect(await executeAction(kc, { type: 'rollout_undo', namespace: 'shop', name: 'cart' }, { dryRun: true })).toEqual({
      ok: false,
      code: 'not_found',
      message: 'no rollout history found for deployment "cart"',
      retryable: false,
    });
    expect(await executeAction(kc, { type: 'rollout_undo', namespace: 'shop', name: 'checkout', toRevision: 7 }, { dryRun: true })).toMatchObject({
      ok: false,
      message: 'unable to find specified revision 7 in history',
    });
  });

  it('set_resources: changes only the named container resources, keeping the rest', async () => {
    const containerOf = () => object('Deployment', 'shop', 'cart').spec.template.spec.containers[0];
    const result = await dryThenReal(
      { type: 'set_resources', namespace: 'shop', kind: 'Deployment', name: 'cart', container: 'cart', limits: { memory: '512Mi' } },
      () => expect(containerOf().resources.limits.memory).toBe('128Mi'),
      () => {
        expect(containerOf().resources.limits.memory).toBe('512Mi');
        expect(containerOf().resources.requests).toEqual({ cpu: '100m', memory: '128Mi' });
      },
    );
    expect(result.ok && result.summary).toContain('limits memory=512Mi (was memory=128Mi)');
  });

  it('set_resources: a container that does not exist is an error value naming the real ones', async () => {
    const result = await executeAction(
      kc,
      { type: 'set_resources', namespace: 'shop', kind: 'Deployment', name: 'cart', container: 'sidecar', limits: { memory: '1Gi' } },
      { dryRun: true },
    );
    expect(result).toEqual({ ok: false, code: 'not_found', message: 'container "sidecar" not found in Deployment shop/cart (containers: cart)', retryable: false });
  });

  it('cordon and uncordon: flip spec.unschedulable', async () => {
    await dryThenReal(
      { type: 'cordon_node', node: 'node-1' },
      () => expect(object('Node', undefined, 'node-1').spec.unschedulable).toBeFalsy(),
      () => expect(object('Node', undefined, 'node-1').spec.unschedulable).toBe(true),
    );
    await dryThenReal(
      { type: 'uncordon_node', node: 'node-1' },
      () => expect(object('Node', undefined, 'node-1').spec.unschedulable).toBe(true),
      () => expect(object('Node', undefined, 'node-1').spec.unschedulable).toBeFalsy(),
    );
  });

  it('a missing target is a not_found value', async () => {
    expect(await executeAction(kc, { type: 'restart_pod', namespace: 'shop', pod: 'nope-1' }, { dryRun: true })).toMatchObject({
      ok: false,
      code: 'not_found',
      message: 'pod "nope-1" not found in namespace shop',
    });
    expect(await executeAction(kc, { type: 'cordon_node', node: 'node-9' }, { dryRun: true })).toMatchObject({ ok: false, code: 'not_found' });
  });

  it('maps a 403 to the verb and resource the service account lacks', async () => {
    sandbox.faults.denyWrites(true);
    const [pod] = await podNames('web');
    expect(await executeAction(kc, { type: 'restart_pod', namespace: 'shop', pod: pod! }, { dryRun: true })).toMatchObject({
      ok: false,
      code: 'forbidden',
      retryable: false,
      message: expect.stringMatching(/^the service account may not delete pods in namespace shop \(pods ".*" is forbidden: User/) as unknown,
    });
    const scale = await executeAction(kc, { type: 'scale', namespace: 'shop', kind: 'Deployment', name: 'web', replicas: 4 }, { dryRun: false, cluster: 'prod' });
    expect(scale).toMatchObject({ ok: false, code: 'forbidden', message: expect.stringContaining('cluster prod: the service account may not patch deployments/scale in namespace shop') as unknown });
  });

  it('a 5xx is a retryable failure value', async () => {
    sandbox.faults.failRequests(1, 503);
    expect(await executeAction(kc, { type: 'cordon_node', node: 'node-1' }, { dryRun: true })).toMatchObject({ ok: false, code: 'unavailable', retryable: true });
  });
});
