import { describe, expect, it } from 'vitest';
import { oldKubectl, oldKubectlMissing, runKubectl, useKubectlSandbox } from './kubectl-run.js';
import { call } from './wire.js';

// CI puts Debian's kubectl 1.20 on PATH (.ci/run), so there a missing one fails the run instead of skipping it.
describe.skipIf(oldKubectlMissing && process.env.CI !== 'true')('kubectl 1.20 (OpenAPI v2 as protobuf) against the sandbox (skipped outside CI when kubectl-1.20 is not on PATH)', () => {
  const box = useKubectlSandbox('sandbox-kubectl-old-', ['shop-healthy']);
  const kubectl = (...args: string[]) => runKubectl(oldKubectl, box.dir, args);

  it('--dry-run=server reads the dryRun parameter from /openapi/v2 and changes nothing', async () => {
    const pods = await call(box.cluster, 'GET', '/api/v1/namespaces/shop/pods?labelSelector=app%3Dapi');
    const pod = pods.body.items[0].metadata.name as string;
    const deleted = await kubectl('-n', 'shop', 'delete', 'pod', pod, '--dry-run=server');
    expect(deleted.stderr).toBe('');
    expect(deleted.stdout).toBe(`pod "${pod}" deleted (server dry run)\n`);
    expect(box.cluster.requests.some((r) => r.path === '/openapi/v2')).toBe(true);
    expect(box.cluster.getObject('Pod', 'shop', pod)).toMatchObject({ metadata: { name: pod } });
    expect((box.cluster.getObject('Pod', 'shop', pod) as { metadata: { deletionTimestamp?: string } }).metadata.deletionTimestamp).toBeUndefined();

    const scaled = await kubectl('-n', 'shop', 'scale', 'deployment/api', '--replicas=5', '--dry-run=server');
    expect(scaled.code).toBe(0);
    expect(box.cluster.requests.some((r) => r.path === '/apis/apps/v1/namespaces/shop/deployments/api/scale' && r.query.includes('dryRun=All'))).toBe(true);
    expect(box.cluster.getObject('Deployment', 'shop', 'api')).toMatchObject({ spec: { replicas: 2 } });
  });

  it('serves the same operations as JSON to a JSON Accept', async () => {
    const doc = await call(box.cluster, 'GET', '/openapi/v2');
    const patch = doc.body.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}'].patch;
    expect(patch['x-kubernetes-group-version-kind']).toEqual({ group: 'apps', kind: 'Deployment', version: 'v1' });
    expect(patch.parameters.map((p: { name: string }) => p.name)).toEqual(['dryRun', 'fieldManager', 'fieldValidation', 'force']);
  });
});
