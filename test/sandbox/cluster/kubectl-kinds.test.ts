import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { kubectlIn, kubectlMissing, kubectlOk, useKubectlSandbox } from './kubectl-run.js';
import { waitFor } from '../../../sandbox/shared/wait.js';

const claim = `apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: data
  namespace: kinds
spec:
  accessModes: [ReadWriteOnce]
  resources:
    requests:
      storage: 1Gi
`;

const cronJob = `apiVersion: batch/v1
kind: CronJob
metadata:
  name: nightly
  namespace: kinds
spec:
  schedule: "0 3 * * *"
  # Suspended: the sandbox's sped-up clock passes 03:00 often, and a run would add a pod mid-test.
  suspend: true
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers: [{name: nightly, image: busybox}]
`;

const deployment = (image: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: applied
  namespace: kinds
spec:
  replicas: 1
  selector: {matchLabels: {app: applied}}
  template:
    metadata: {labels: {app: applied}}
    spec:
      containers: [{name: app, image: "${image}"}]
`;

// CI installs kubectl (.ci/run), so there a missing kubectl fails the run instead of skipping it.
describe.skipIf(kubectlMissing && process.env.CI !== 'true')('the real kubectl with the added kinds (skipped outside CI when kubectl is not on PATH)', () => {
  const box = useKubectlSandbox('sandbox-kubectl-kinds-', ['shop-healthy']);
  const kubectl = (...args: string[]) => kubectlIn(box.dir, ...args);
  const ok = (...args: string[]) => kubectlOk(box.dir, ...args);

  it('creates with the generators (protobuf bodies) and lists the kinds across namespaces', async () => {
    expect(await ok('create', 'namespace', 'kinds')).toBe('namespace/kinds created\n');
    expect(await ok('-n', 'kinds', 'create', 'configmap', 'app-config', '--from-literal=a=1', '--from-literal=b=2')).toBe('configmap/app-config created\n');
    expect(await ok('-n', 'kinds', 'create', 'serviceaccount', 'builder')).toBe('serviceaccount/builder created\n');
    expect(await ok('-n', 'kinds', 'create', 'service', 'clusterip', 'web', '--tcp=80:8080')).toBe('service/web created\n');
    expect(await ok('-n', 'kinds', 'create', 'job', 'once', '--image=busybox')).toBe('job.batch/once created\n');
    // From a file: kubectl 1.20's generator would ask for batch/v1beta1, which 1.32 no longer serves.
    await writeFile(join(box.dir, 'cronjob.yaml'), cronJob);
    expect(await ok('create', '-f', join(box.dir, 'cronjob.yaml'))).toBe('cronjob.batch/nightly created\n');
    await writeFile(join(box.dir, 'claim.yaml'), claim);
    expect(await ok('create', '-f', join(box.dir, 'claim.yaml'))).toBe('persistentvolumeclaim/data created\n');

    const out = await ok('get', 'svc,cm,sa,pvc,jobs', '-A');
    expect(out).toMatch(/NAMESPACE\s+NAME\s+TYPE\s+CLUSTER-IP\s+EXTERNAL-IP\s+PORT\(S\)\s+AGE\nkinds\s+service\/web\s+ClusterIP\s+10\.96\.\d+\.\d+\s+<none>\s+80\/TCP\s+/);
    expect(out).toMatch(/NAMESPACE\s+NAME\s+DATA\s+AGE\nkinds\s+configmap\/app-config\s+2\s+/);
    expect(out).toMatch(/kinds\s+serviceaccount\/builder\s+0\s+/);
    expect(out).toMatch(/NAMESPACE\s+NAME\s+STATUS\s+VOLUME\s+CAPACITY\s+ACCESS MODES\s+STORAGECLASS\s+VOLUMEATTRIBUTESCLASS\s+AGE\nkinds\s+persistentvolumeclaim\/data\s+Pending\s+/);
    expect(out).toMatch(/NAMESPACE\s+NAME\s+STATUS\s+COMPLETIONS\s+DURATION\s+AGE\nkinds\s+job\.batch\/once\s+Running\s+0\/1\s+/);
    expect(await ok('-n', 'kinds', 'get', 'cronjobs')).toMatch(/NAME\s+SCHEDULE\s+TIMEZONE\s+SUSPEND\s+ACTIVE\s+LAST SCHEDULE\s+AGE\nnightly\s+0 3 \* \* \*\s+<none>\s+True\s+0\s+<none>\s+/);
    expect(await ok('-n', 'kinds', 'get', 'configmap', 'app-config', '-o', 'jsonpath={.data.b}')).toBe('2');
  });

  it('applies a manifest twice and the change reaches the object', async () => {
    await writeFile(join(box.dir, 'app.yaml'), deployment('nginx:1.27'));
    expect(await ok('apply', '-f', join(box.dir, 'app.yaml'))).toBe('deployment.apps/applied created\n');
    await writeFile(join(box.dir, 'app.yaml'), deployment('nginx:1.28'));
    expect(await ok('apply', '-f', join(box.dir, 'app.yaml'))).toBe('deployment.apps/applied configured\n');
    expect(await ok('-n', 'kinds', 'get', 'deployment', 'applied', '-o', 'jsonpath={.spec.template.spec.containers[0].image}')).toBe('nginx:1.28');
  });

  it('get pods --chunk-size=2 pages through the whole list', async () => {
    // The rollout the previous test started may still replace a pod between two listings.
    let before = 0;
    let chunked = '';
    let whole = '';
    await waitFor(
      async () => {
        before = box.cluster.requests.length;
        chunked = await ok('get', 'pods', '-A', '--chunk-size=2', '-o', 'name');
        whole = await ok('get', 'pods', '-A', '-o', 'name');
        return chunked === whole;
      },
      { timeoutMs: 30_000, message: 'the paged and the whole pod list never agreed' },
    );
    expect(chunked).toBe(whole);
    const pages = box.cluster.requests.slice(before).filter((r) => r.path === '/api/v1/pods' && r.query.includes('limit=2'));
    expect(pages.length).toBe(Math.ceil(whole.trim().split('\n').length / 2));
    expect(pages.slice(1).every((r) => r.query.includes('continue='))).toBe(true);
  });

  it('a server-side dry run of create stores nothing', async () => {
    expect(await ok('-n', 'kinds', 'create', 'configmap', 'dry', '--from-literal=a=1', '--dry-run=server')).toBe('configmap/dry created (server dry run)\n');
    const missing = await kubectl('-n', 'kinds', 'get', 'configmap', 'dry');
    expect(missing.stderr).toContain('Error from server (NotFound): configmaps "dry" not found');
  });

  it('keeps Secrets from Deckhand\'s identity and lets the admin context use them', async () => {
    const refused = await kubectl('-n', 'kinds', 'create', 'secret', 'generic', 'creds', '--from-literal=password=hunter2');
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('secrets is forbidden: User "system:serviceaccount:deckhand:deckhand" cannot create resource "secrets" in API group "" in the namespace "kinds"');
    expect(await ok('--context', 'sandbox-admin', '-n', 'kinds', 'create', 'secret', 'generic', 'creds', '--from-literal=password=hunter2')).toBe('secret/creds created\n');
    expect(await ok('--context', 'sandbox-admin', '-n', 'kinds', 'get', 'secrets')).toMatch(/creds\s+Opaque\s+1\s+/);
    expect((await kubectl('-n', 'kinds', 'get', 'secrets')).stderr).toContain('cannot list resource "secrets"');
  });

  it('top reads the metrics API', async () => {
    // kubectl 1.20 heads the percentages CPU% and MEMORY%, newer ones CPU(%) and MEMORY(%).
    expect(await ok('top', 'nodes')).toMatch(/NAME\s+CPU\(cores\)\s+CPU\(?%\)?\s+MEMORY\(bytes\)\s+MEMORY\(?%\)?\s*\nnode-1\s+\d+m\s+\d+%\s+\d+Mi\s+\d+%/);
    expect(await ok('-n', 'shop', 'top', 'pods')).toMatch(/^NAME\s+CPU\(cores\)\s+MEMORY\(bytes\)\s*\n\S+\s+\d+m\s+\d+Mi/);
  });
});
