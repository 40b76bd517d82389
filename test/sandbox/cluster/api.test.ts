import * as k8s from '@kubernetes/client-node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSandboxCluster, type SandboxCluster } from '../../../sandbox/cluster/index.js';
import { waitFor } from '../../../sandbox/shared/wait.js';
import { clientsFor, merge, statusOf, strategic, type Clients } from './helpers.js';

let cluster: SandboxCluster;
let c: Clients;

beforeAll(async () => {
  cluster = await startSandboxCluster({ timeScale: 100, scenarios: ['shop-healthy', 'node-notready'] });
  c = clientsFor(cluster);
  await cluster.settle();
});
afterAll(async () => {
  await cluster.close();
});
afterEach(() => {
  cluster.faults.reset();
});

const get = (path: string, accept = 'application/json') => fetch(`${cluster.url}${path}`, { headers: { accept, authorization: 'Bearer sandbox-token' } });

describe('sandbox API wire details', () => {
  it('answers /version with minor 32 and aggregated discovery with its content type', async () => {
    expect(await (await get('/version')).json()).toMatchObject({ major: '1', minor: '32' });
    const res = await get('/apis', 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json');
    expect(res.headers.get('content-type')).toBe('application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList');
    const body = (await res.json()) as { items: { metadata: { name: string } }[] };
    expect(body.items.map((g) => g.metadata.name)).toEqual(['apps', 'authorization.k8s.io', 'autoscaling', 'batch', 'coordination.k8s.io', 'discovery.k8s.io', 'events.k8s.io', 'metrics.k8s.io', 'policy', 'rbac.authorization.k8s.io', 'storage.k8s.io']);
    const legacy = (await (await get('/apis/apps/v1')).json()) as { resources: { name: string }[] };
    expect(legacy.resources.map((r) => r.name)).toContain('deployments/scale');
  });

  it('prints Tables when asked, one row per object', async () => {
    const res = await get('/apis/apps/v1/namespaces/shop/deployments/web', 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json');
    expect(res.headers.get('content-type')).toBe('application/json;as=Table;v=v1;g=meta.k8s.io');
    const table = (await res.json()) as { columnDefinitions: { name: string }[]; rows: { cells: unknown[] }[] };
    expect(table.columnDefinitions.map((x) => x.name).slice(0, 5)).toEqual(['Name', 'Ready', 'Up-to-date', 'Available', 'Age']);
    expect(table.rows).toHaveLength(1);
    expect(table.rows[0]!.cells.slice(0, 4)).toEqual(['web', '3/3', 3, 3]);
  });

  it('filters by label selector and by field selectors in any order, in both event shapes', async () => {
    const pods = await c.core.listNamespacedPod({ namespace: 'shop', labelSelector: 'app in (web,api),app!=api' });
    expect(pods.items.map((p) => p.metadata?.labels?.app)).toEqual(['web', 'web', 'web']);
    const pod = pods.items[0]!;
    const a = await c.core.listNamespacedEvent({ namespace: 'shop', fieldSelector: `involvedObject.uid=${pod.metadata!.uid},involvedObject.name=${pod.metadata!.name},involvedObject.namespace=shop` });
    const b = await c.core.listNamespacedEvent({ namespace: 'shop', fieldSelector: `involvedObject.namespace=shop,involvedObject.name=${pod.metadata!.name},involvedObject.uid=${pod.metadata!.uid}` });
    expect(a.items.length).toBeGreaterThan(0);
    expect(b.items.map((e) => e.metadata?.name)).toEqual(a.items.map((e) => e.metadata?.name));
    const v1 = await c.events.listNamespacedEvent({ namespace: 'shop', fieldSelector: `regarding.name=${pod.metadata!.name}` });
    expect(v1.items).toHaveLength(a.items.length);
    expect(v1.items[0]?.regarding?.uid).toBe(pod.metadata!.uid);
  });

  it('dryRun=All validates and returns the result but stores nothing', async () => {
    const before = await c.apps.readNamespacedDeployment({ name: 'web', namespace: 'shop' });
    const dry = await c.apps.patchNamespacedDeployment({ name: 'web', namespace: 'shop', body: { spec: { replicas: 7 } }, dryRun: 'All' }, merge);
    expect(dry.spec?.replicas).toBe(7);
    const after = await c.apps.readNamespacedDeployment({ name: 'web', namespace: 'shop' });
    expect(after.spec?.replicas).toBe(3);
    expect(after.metadata?.resourceVersion).toBe(before.metadata?.resourceVersion);
    const pod = (await c.core.listNamespacedPod({ namespace: 'shop', labelSelector: 'app=api' })).items[0]!;
    await c.core.deleteNamespacedPod({ name: pod.metadata!.name!, namespace: 'shop', dryRun: 'All' });
    expect((cluster.getObject('Pod', 'shop', pod.metadata!.name!) as k8s.V1Pod).metadata?.deletionTimestamp).toBeUndefined();
  });

  it('rejects invalid writes with 422 and stale scale writes with 409', async () => {
    const invalid = await statusOf(c.apps.patchNamespacedDeployment({ name: 'web', namespace: 'shop', body: [{ op: 'replace', path: '/spec/replicas', value: -1 }] }));
    expect(invalid).toMatchObject({ code: 422, reason: 'Invalid' });
    expect(invalid.message).toContain('spec.replicas: Invalid value: -1: must be greater than or equal to 0');
    const limits = await statusOf(
      c.apps.patchNamespacedDeployment({ name: 'web', namespace: 'shop', body: { spec: { template: { spec: { containers: [{ name: 'web', resources: { requests: { memory: '1Gi' } } }] } } } } }, strategic),
    );
    expect(limits.message).toContain('must be less than or equal to memory limit of 256Mi');
    // web, not api: api's HPA (maximum 2) would take a third replica back, as a real one does.
    const scale = await c.apps.readNamespacedDeploymentScale({ name: 'web', namespace: 'shop' });
    expect(scale).toMatchObject({ kind: 'Scale', spec: { replicas: 3 }, status: { replicas: 3, selector: 'app=web' } });
    await c.apps.patchNamespacedDeploymentScale({ name: 'web', namespace: 'shop', body: { spec: { replicas: 4 } } }, merge);
    const stale = await statusOf(c.apps.replaceNamespacedDeploymentScale({ name: 'web', namespace: 'shop', body: { ...scale, spec: { replicas: 1 } } }));
    expect(stale).toMatchObject({ code: 409, reason: 'Conflict' });
    await cluster.settle();
    expect((await c.apps.readNamespacedDeployment({ name: 'web', namespace: 'shop' })).status?.readyReplicas).toBe(4);
  });

  it('injects faults: 403 on writes, 500s, and dropped watches', async () => {
    cluster.faults.denyWrites(true);
    const denied = await statusOf(c.core.deleteNamespacedPod({ name: 'redis-0', namespace: 'shop' }));
    expect(denied).toMatchObject({ code: 403, reason: 'Forbidden' });
    expect(denied.message).toBe('pods "redis-0" is forbidden: User "system:serviceaccount:deckhand:deckhand" cannot delete resource "pods" in API group "" in the namespace "shop"');
    expect((await c.core.readNamespacedPod({ name: 'redis-0', namespace: 'shop' })).metadata?.name).toBe('redis-0');
    cluster.faults.reset();
    cluster.faults.failRequests(2);
    expect((await statusOf(c.core.listNode())).code).toBe(500);
    expect((await statusOf(c.core.listNode())).code).toBe(500);
    expect((await c.core.listNode()).items).toHaveLength(3);

    const kc = new k8s.KubeConfig();
    kc.loadFromString(cluster.kubeconfigYaml());
    const seen: string[] = [];
    let ended = false;
    await new k8s.Watch(kc).watch('/apis/apps/v1/namespaces/shop/deployments', {}, (type) => seen.push(type), () => void (ended = true));
    await waitFor(() => seen.length >= 2);
    cluster.faults.dropWatches();
    await waitFor(() => ended);
    expect(cluster.requests.some((r) => r.path === '/apis/apps/v1/namespaces/shop/deployments' && r.query.includes('watch=true'))).toBe(true);
  });

  it('refuses Secrets with 403', async () => {
    const status = await statusOf(c.core.listNamespacedSecret({ namespace: 'shop' }));
    expect(status).toMatchObject({ code: 403, reason: 'Forbidden' });
  });

  it('cordons through a strategic merge patch and taints the node', async () => {
    await c.core.patchNode({ name: 'node-1', body: { spec: { unschedulable: true } } }, strategic);
    await waitFor(() => (cluster.getObject('node', undefined, 'node-1') as k8s.V1Node).spec?.taints?.some((t) => t.key === 'node.kubernetes.io/unschedulable'));
    await c.core.patchNode({ name: 'node-1', body: { spec: { unschedulable: null } } }, strategic);
    await waitFor(() => !(cluster.getObject('node', undefined, 'node-1') as k8s.V1Node).spec?.taints);
  });
});
