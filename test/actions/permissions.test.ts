import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Action } from '../../src/decisions/actions/catalog.js';
import { permissionsFor } from '../../src/decisions/actions/permissions.js';
import { snapshotTarget } from '../../src/decisions/actions/snapshot.js';
import { executeAction } from '../../src/decisions/execute/executor.js';
import { impersonate } from '../../src/kube/impersonation.js';
import { createClusterReader } from '../../src/kube/read/cluster-reader.js';
import { startSandboxCluster, type SandboxCluster } from '../../sandbox/cluster/index.js';

/**
 * permissionsFor is what an approver's SubjectAccessReview asks; if the snapshot or the
 * executor needed more, the cluster would allow the click and then refuse the run. So each
 * action runs here (snapshot, then the server-side dry run) impersonating a user to whom the
 * sandbox's RBAC grants exactly permissionsFor(action), nothing else.
 */
describe('permissionsFor', () => {
  let sandbox: SandboxCluster;
  const kc = new KubeConfig();
  beforeAll(async () => {
    sandbox = await startSandboxCluster({ timeScale: 120 });
    await sandbox.settle();
    kc.loadFromString(sandbox.kubeconfigYaml());
  });
  afterAll(async () => {
    await sandbox.close();
  });

  async function grantOnly(user: string, action: Action): Promise<void> {
    const rules = permissionsFor(action).map((p) => ({
      apiGroups: [p.group],
      resources: [p.subresource ? `${p.resource}/${p.subresource}` : p.resource],
      verbs: [p.verb],
      ...(p.name ? { resourceNames: [p.name] } : {}),
    }));
    const post = (path: string, body: unknown) =>
      fetch(`${sandbox.url}${path}`, { method: 'POST', headers: { authorization: 'Bearer sandbox-admin-token', 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const ref = { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: user };
    expect((await post('/apis/rbac.authorization.k8s.io/v1/clusterroles', { metadata: { name: user }, rules })).status).toBe(201);
    const subjects = [{ kind: 'User', name: user, apiGroup: 'rbac.authorization.k8s.io' }];
    expect((await post('/apis/rbac.authorization.k8s.io/v1/clusterrolebindings', { metadata: { name: user }, roleRef: ref, subjects })).status).toBe(201);
  }

  it('covers the snapshot and the dry run of every catalog action', async () => {
    const [pod] = await createClusterReader(kc, 'sandbox').listWorkloadPods({ kind: 'Deployment', namespace: 'shop', name: 'web' });
    const actions: Action[] = [
      { type: 'restart_pod', namespace: 'shop', pod: pod?.metadata?.name ?? '' },
      { type: 'rollout_restart', namespace: 'shop', kind: 'Deployment', name: 'api' },
      { type: 'rollout_restart', namespace: 'shop', kind: 'StatefulSet', name: 'redis' },
      { type: 'scale', namespace: 'shop', kind: 'Deployment', name: 'web', replicas: 4 },
      { type: 'scale', namespace: 'shop', kind: 'StatefulSet', name: 'redis', replicas: 1 },
      { type: 'rollout_undo', namespace: 'shop', name: 'frontend' },
      { type: 'set_resources', namespace: 'shop', kind: 'Deployment', name: 'cart', container: 'cart', limits: { memory: '512Mi' } },
      { type: 'cordon_node', node: 'node-2' },
    ];
    for (const [i, action] of actions.entries()) {
      const user = `only-${i}@example.com`;
      await grantOnly(user, action);
      const as = impersonate(kc, { user, groups: [] });
      expect(await snapshotTarget(createClusterReader(as, 'sandbox'), action), action.type).toBeDefined();
      expect(await executeAction(as, action, { dryRun: true }), `${action.type} as ${user}`).toMatchObject({ ok: true });
    }
    const refused = sandbox.requests.filter((r) => r.status === 403 && r.impersonatedUser?.username.startsWith('only-')).map((r) => `${r.method} ${r.path}`);
    expect(refused).toEqual([]);
  });
});
