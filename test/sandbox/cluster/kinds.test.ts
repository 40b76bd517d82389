import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandboxCluster, type SandboxCluster } from '../../../sandbox/cluster/index.js';
import { waitFor } from '../../../sandbox/shared/wait.js';
import { adminToken, call, nextEvent, openWatch } from './wire.js';

let cluster: SandboxCluster;

beforeAll(async () => {
  cluster = await startSandboxCluster({ timeScale: 100, scenarios: ['shop-healthy'] });
  await cluster.settle();
  await call(cluster, 'POST', '/api/v1/namespaces', { metadata: { name: 'kinds' } });
});
afterAll(async () => {
  await cluster.close();
});

const tableAccept = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json';

interface Kind {
  path: string;
  body: Record<string, unknown>;
  columns: string[];
  /** A controller writes its status too (the PV, Job and disruption controllers): more MODIFIED events. */
  controlled?: boolean;
}

/** One minimal object of every added kind, with the columns real kubectl shows for it. */
const kinds: Kind[] = [
  { path: '/api/v1/namespaces/kinds/services', body: { metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } }, columns: ['Name', 'Type', 'Cluster-IP', 'External-IP', 'Port(s)', 'Age', 'Selector'] },
  { path: '/api/v1/namespaces/kinds/endpoints', body: { metadata: { name: 'external-db' }, subsets: [{ addresses: [{ ip: '10.244.1.5' }], ports: [{ port: 8080 }] }] }, columns: ['Name', 'Endpoints', 'Age'] },
  { path: '/apis/discovery.k8s.io/v1/namespaces/kinds/endpointslices', body: { metadata: { name: 'web-abc' }, addressType: 'IPv4', endpoints: [{ addresses: ['10.244.1.5'] }], ports: [{ port: 8080 }] }, columns: ['Name', 'AddressType', 'Ports', 'Endpoints', 'Age'] },
  { path: '/api/v1/namespaces/kinds/configmaps', body: { metadata: { name: 'settings' }, data: { a: '1', b: '2' } }, columns: ['Name', 'Data', 'Age'] },
  { path: '/api/v1/namespaces/kinds/serviceaccounts', body: { metadata: { name: 'builder' } }, columns: ['Name', 'Secrets', 'Age'] },
  { path: '/api/v1/namespaces/kinds/persistentvolumeclaims', body: { metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }, columns: ['Name', 'Status', 'Volume', 'Capacity', 'Access Modes', 'StorageClass', 'VolumeAttributesClass', 'Age', 'VolumeMode'] },
  { path: '/api/v1/persistentvolumes', body: { metadata: { name: 'pv-1' }, spec: { capacity: { storage: '5Gi' }, accessModes: ['ReadWriteOnce'], hostPath: { path: '/data' } } }, controlled: true, columns: ['Name', 'Capacity', 'Access Modes', 'Reclaim Policy', 'Status', 'Claim', 'StorageClass', 'VolumeAttributesClass', 'Reason', 'Age', 'VolumeMode'] },
  { path: '/apis/storage.k8s.io/v1/storageclasses', body: { metadata: { name: 'fast' }, provisioner: 'rancher.io/local-path' }, columns: ['Name', 'Provisioner', 'ReclaimPolicy', 'VolumeBindingMode', 'AllowVolumeExpansion', 'Age'] },
  { path: '/api/v1/namespaces/kinds/resourcequotas', body: { metadata: { name: 'quota' }, spec: { hard: { pods: '10' } } }, columns: ['Name', 'Request', 'Limit', 'Age'] },
  { path: '/api/v1/namespaces/kinds/limitranges', body: { metadata: { name: 'limits' }, spec: { limits: [{ type: 'Container', default: { memory: '256Mi' } }] } }, columns: ['Name', 'Created At'] },
  { path: '/apis/policy/v1/namespaces/kinds/poddisruptionbudgets', body: { metadata: { name: 'web' }, spec: { minAvailable: 1, selector: { matchLabels: { app: 'web' } } } }, controlled: true, columns: ['Name', 'Min Available', 'Max Unavailable', 'Allowed Disruptions', 'Age'] },
  { path: '/apis/batch/v1/namespaces/kinds/jobs', body: { metadata: { name: 'migrate' }, spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'migrate', image: 'busybox' }] } } } }, controlled: true, columns: ['Name', 'Status', 'Completions', 'Duration', 'Age', 'Containers', 'Images', 'Selector'] },
  { path: '/apis/batch/v1/namespaces/kinds/cronjobs', body: { metadata: { name: 'nightly' }, spec: { schedule: '0 3 * * *', jobTemplate: { spec: { template: { spec: { restartPolicy: 'OnFailure', containers: [{ name: 'n', image: 'busybox' }] } } } } } }, columns: ['Name', 'Schedule', 'Timezone', 'Suspend', 'Active', 'Last Schedule', 'Age', 'Containers', 'Images', 'Selector'] },
  { path: '/apis/coordination.k8s.io/v1/namespaces/kinds/leases', body: { metadata: { name: 'leader' }, spec: { holderIdentity: 'pod-a' } }, columns: ['Name', 'Holder', 'Age'] },
];

const nameOf = (k: Kind) => (k.body.metadata as { name: string }).name;

describe('the added kinds', () => {
  it.each(kinds)('$path: create, get, list, watch, patch three ways, dry run, delete', async (k) => {
    const name = nameOf(k);
    const dry = await call(cluster, 'POST', `${k.path}?dryRun=All`, k.body);
    expect(dry.status).toBe(201);
    expect((await call(cluster, 'GET', `${k.path}/${name}`)).status).toBe(404);
    const list = await call(cluster, 'GET', k.path);
    const watch = await openWatch(cluster, `${k.path}?watch=true&resourceVersion=${list.body.metadata.resourceVersion}`);
    const created = await call(cluster, 'POST', k.path, k.body);
    expect(created.status).toBe(201);
    expect(created.body.metadata).toMatchObject({ name, uid: expect.any(String), resourceVersion: expect.stringMatching(/^\d+$/) });
    expect((await call(cluster, 'GET', `${k.path}/${name}`)).body.metadata.uid).toBe(created.body.metadata.uid);
    expect((await call(cluster, 'GET', k.path)).body.items.map((o: { metadata: { name: string } }) => o.metadata.name)).toContain(name);

    const merge = await call(cluster, 'PATCH', `${k.path}/${name}`, { metadata: { labels: { merged: 'yes' } } }, { contentType: 'application/merge-patch+json' });
    expect(merge.body.metadata.labels).toMatchObject({ merged: 'yes' });
    const strategic = await call(cluster, 'PATCH', `${k.path}/${name}`, { metadata: { annotations: { note: 'smp' } } }, { contentType: 'application/strategic-merge-patch+json' });
    expect(strategic.body.metadata.annotations).toEqual({ note: 'smp' });
    const json = await call(cluster, 'PATCH', `${k.path}/${name}`, [{ op: 'add', path: '/metadata/labels/json', value: 'yes' }], { contentType: 'application/json-patch+json' });
    expect(json.body.metadata.labels).toMatchObject({ merged: 'yes', json: 'yes' });
    const dryPatch = await call(cluster, 'PATCH', `${k.path}/${name}?dryRun=All`, { metadata: { labels: { dry: 'yes' } } }, { contentType: 'application/merge-patch+json' });
    expect(dryPatch.body.metadata.labels).toMatchObject({ dry: 'yes' });
    expect((await call(cluster, 'GET', `${k.path}/${name}`)).body.metadata.labels.dry).toBeUndefined();

    const table = await call(cluster, 'GET', `${k.path}/${name}`, undefined, { accept: tableAccept });
    expect(table.body.kind).toBe('Table');
    expect(table.body.columnDefinitions.map((c: { name: string }) => c.name)).toEqual(k.columns);
    expect(table.body.rows[0].cells).toHaveLength(k.columns.length);

    const dryDelete = await call(cluster, 'DELETE', `${k.path}/${name}`, { dryRun: ['All'] });
    expect(dryDelete.status).toBe(200);
    expect((await call(cluster, 'GET', `${k.path}/${name}`)).status).toBe(200);
    expect((await call(cluster, 'DELETE', `${k.path}/${name}`)).status).toBe(200);
    expect((await call(cluster, 'GET', `${k.path}/${name}`)).status).toBe(404);
    await nextEvent(watch, (e) => e.type === 'DELETED' && e.object.metadata.name === name);
    watch.close();
    // Controllers keep their own objects of the namespace (a Service's Endpoints) in the same stream.
    const types = watch.events.filter((e) => e.object.metadata.name === name).map((e) => e.type);
    const modified = types.filter((t) => t === 'MODIFIED').length;
    expect(types.filter((t) => t !== 'MODIFIED')).toEqual(['ADDED', 'DELETED']);
    expect(k.controlled ? modified >= 3 : modified === 3).toBe(true);
  });

  it('serves every added kind in discovery, with the short names kubectl resolves', async () => {
    const core = await call(cluster, 'GET', '/api/v1');
    const byName = new Map(core.body.resources.map((r: { name: string; shortNames?: string[] }) => [r.name, r.shortNames]));
    expect(byName.get('services')).toEqual(['svc']);
    expect(byName.get('persistentvolumeclaims')).toEqual(['pvc']);
    for (const r of ['endpoints', 'configmaps', 'secrets', 'serviceaccounts', 'persistentvolumes', 'resourcequotas', 'limitranges']) expect(byName.has(r)).toBe(true);
    for (const [gv, r] of [['batch/v1', 'cronjobs'], ['policy/v1', 'poddisruptionbudgets'], ['storage.k8s.io/v1', 'storageclasses'], ['discovery.k8s.io/v1', 'endpointslices'], ['coordination.k8s.io/v1', 'leases'], ['metrics.k8s.io/v1beta1', 'pods']]) {
      const list = await call(cluster, 'GET', `/apis/${gv}`);
      expect(list.body.resources.map((x: { name: string }) => x.name)).toContain(r);
    }
  });

  it('fills what the API server fills: a Service IP and target port, a Job selector, a Secret type', async () => {
    const svc = await call(cluster, 'POST', '/api/v1/namespaces/kinds/services', { metadata: { name: 'api' }, spec: { selector: { app: 'api' }, ports: [{ name: 'http', port: 80 }] } });
    expect(svc.body.spec).toMatchObject({ type: 'ClusterIP', clusterIP: expect.stringMatching(/^10\.96\./), ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 80 }] });
    const row = (await call(cluster, 'GET', '/api/v1/namespaces/kinds/services/api', undefined, { accept: tableAccept })).body.rows[0].cells;
    expect(row.slice(0, 5)).toEqual(['api', 'ClusterIP', svc.body.spec.clusterIP, '<none>', '80/TCP']);
    const replaced = await call(cluster, 'PUT', '/api/v1/namespaces/kinds/services/api', { ...svc.body, spec: { ...svc.body.spec, clusterIP: undefined, clusterIPs: undefined } });
    expect(replaced.body.spec.clusterIP).toBe(svc.body.spec.clusterIP);

    const job = await call(cluster, 'POST', '/apis/batch/v1/namespaces/kinds/jobs', { metadata: { name: 'once' }, spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'once', image: 'busybox' }] } } } });
    expect(job.body.spec).toMatchObject({ completions: 1, parallelism: 1, backoffLimit: 6, selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': job.body.metadata.uid } } });
    expect(job.body.spec.template.metadata.labels).toMatchObject({ 'job-name': 'once', 'batch.kubernetes.io/job-name': 'once' });
    const jobRow = (await call(cluster, 'GET', '/apis/batch/v1/namespaces/kinds/jobs/once', undefined, { accept: tableAccept })).body.rows[0].cells;
    expect(jobRow.slice(0, 3)).toEqual(['once', 'Running', '0/1']);

    const secret = await call(cluster, 'POST', '/api/v1/namespaces/kinds/secrets', { metadata: { name: 'creds' }, stringData: { password: 'hunter2' } }, { token: adminToken });
    expect(secret.body).toMatchObject({ type: 'Opaque', data: { password: Buffer.from('hunter2').toString('base64') } });
    expect(secret.body.stringData).toBeUndefined();
  });

  it('keeps Secrets from Deckhand\'s identity on every verb, and lets the admin user read them', async () => {
    await call(cluster, 'POST', '/api/v1/namespaces/kinds/secrets', { metadata: { name: 'token' }, data: { t: 'eA==' } }, { token: adminToken });
    const get = await call(cluster, 'GET', '/api/v1/namespaces/kinds/secrets/token');
    expect(get).toMatchObject({ status: 403, body: { reason: 'Forbidden', message: 'secrets "token" is forbidden: User "system:serviceaccount:deckhand:deckhand" cannot get resource "secrets" in API group "" in the namespace "kinds"' } });
    expect((await call(cluster, 'GET', '/api/v1/secrets?watch=true')).body.message).toContain('cannot watch resource "secrets" in API group "" at the cluster scope');
    expect((await call(cluster, 'POST', '/api/v1/namespaces/kinds/secrets', { metadata: { name: 'mine' } })).status).toBe(403);
    const admin = await call(cluster, 'GET', '/api/v1/namespaces/kinds/secrets', undefined, { token: adminToken });
    expect(admin.body.items.map((s: { metadata: { name: string } }) => s.metadata.name)).toContain('token');
  });

  it('serves pod and node metrics from the running pods, with the program\'s memory and cpu', async () => {
    await call(cluster, 'POST', '/apis/apps/v1/namespaces/kinds/deployments', {
      metadata: { name: 'hungry' },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'hungry' } },
        template: {
          metadata: { labels: { app: 'hungry' }, annotations: { 'sandbox.deckhand.dev/memory': '300Mi', 'sandbox.deckhand.dev/cpu': '250m' } },
          spec: { containers: [{ name: 'hungry', image: 'registry.example.com/hungry:1.0', resources: { requests: { cpu: '100m', memory: '128Mi' } } }] },
        },
      },
    });
    const metrics = await waitFor(async () => {
      const res = await call(cluster, 'GET', '/apis/metrics.k8s.io/v1beta1/namespaces/kinds/pods');
      // Only the Deployment's pod: the Job of the test above runs its own pod in this namespace.
      const body = res.body as { kind: string; items?: { metadata: { name: string }; containers: unknown[] }[] };
      const items = (body.items ?? []).filter((i) => i.metadata.name.startsWith('hungry-'));
      return items.length === 1 ? { ...body, items } : undefined;
    });
    expect(metrics.kind).toBe('PodMetricsList');
    expect(metrics.items[0]!.containers).toEqual([{ name: 'hungry', usage: { cpu: '250000000n', memory: '307200Ki' } }]);
    const pod = metrics.items[0]!.metadata.name;
    expect((await call(cluster, 'GET', `/apis/metrics.k8s.io/v1beta1/namespaces/kinds/pods/${pod}`)).body.containers[0].usage.memory).toBe('307200Ki');
    const node = (await call(cluster, 'GET', `/api/v1/namespaces/kinds/pods/${pod}`)).body.spec.nodeName;
    const nodes = await call(cluster, 'GET', '/apis/metrics.k8s.io/v1beta1/nodes');
    const usage = nodes.body.items.find((n: { metadata: { name: string } }) => n.metadata.name === node).usage;
    expect(Number(usage.memory.replace('Ki', ''))).toBeGreaterThan(307200);
    expect((await call(cluster, 'GET', '/apis/metrics.k8s.io/v1beta1/namespaces/kinds/pods/nope')).status).toBe(404);
  });
});
