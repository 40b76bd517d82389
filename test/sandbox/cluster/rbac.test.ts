/* eslint-disable @typescript-eslint/no-explicit-any -- API replies are wire JSON of any kind */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { startSandboxCluster, type SandboxCluster } from '../../../sandbox/cluster/index.js';
import { demoIdentities } from '../../../sandbox/cluster/rbac-seed.js';
import { adminToken, call } from './wire.js';

const leastPrivilegeToken = 'deckhand-token';
const rbac = '/apis/rbac.authorization.k8s.io/v1';

/** A raw call with impersonation headers (repeated Impersonate-Group lines, as client-go sends them). */
async function callAs(cluster: SandboxCluster, method: string, path: string, as: { user?: string; groups?: string[]; token?: string }, body?: unknown) {
  const headers = new Headers({ authorization: `Bearer ${as.token ?? 'sandbox-token'}`, accept: 'application/json' });
  if (as.user) headers.set('Impersonate-User', as.user);
  for (const g of as.groups ?? []) headers.append('Impersonate-Group', g);
  if (body !== undefined) headers.set('content-type', 'application/json');
  const res = await fetch(`${cluster.url}${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as Record<string, any> };
}

const sar = (spec: Record<string, unknown>) => ({ apiVersion: 'authorization.k8s.io/v1', kind: 'SubjectAccessReview', spec });

describe('sandbox RBAC', () => {
  let cluster: SandboxCluster;
  beforeAll(async () => {
    cluster = await startSandboxCluster({ timeScale: 100, scenarios: ['shop-healthy'] });
    await cluster.settle();
  });
  afterAll(async () => {
    await cluster.close();
  });

  it('serves the least-privilege deckhand ClusterRoles exactly as deploy/rbac.yaml defines them', async () => {
    const docs = parseAllDocuments(await readFile('deploy/rbac.yaml', 'utf8')).map((d) => d.toJSON() as { kind: string; metadata: { name: string }; rules?: unknown[] });
    for (const name of ['deckhand', 'deckhand-impersonate']) {
      const role = docs.find((d) => d.kind === 'ClusterRole' && d.metadata.name === name);
      expect(role?.rules?.length).toBeGreaterThan(0);
      expect((await call(cluster, 'GET', `${rbac}/clusterroles/${name}`)).body.rules).toEqual(role?.rules);
    }
    // deploy/'s impersonate role names exactly the demo's people.
    const impersonate = docs.find((d) => d.metadata.name === 'deckhand-impersonate')?.rules as { resourceNames: string[] }[];
    expect(impersonate[0]?.resourceNames).toEqual([demoIdentities.alice.user, demoIdentities.carol.user]);
  });

  it('authorises the least-privilege identity by its role: reads and catalog writes, nothing else', async () => {
    const opts = { token: leastPrivilegeToken };
    expect((await call(cluster, 'GET', '/api/v1/namespaces/shop/pods', undefined, opts)).status).toBe(200);
    const cm = await call(cluster, 'GET', '/api/v1/namespaces/shop/configmaps', undefined, opts);
    expect(cm.body).toMatchObject({ code: 403, reason: 'Forbidden', message: 'configmaps is forbidden: User "system:serviceaccount:deckhand-system:deckhand" cannot list resource "configmaps" in API group "" in the namespace "shop"' });
    const create = await call(cluster, 'POST', '/apis/apps/v1/namespaces/shop/deployments', { metadata: { name: 'x' } }, opts);
    expect(create.body.message).toBe('deployments.apps is forbidden: User "system:serviceaccount:deckhand-system:deckhand" cannot create resource "deployments" in API group "apps" in the namespace "shop"');
    const secrets = await call(cluster, 'GET', '/api/v1/namespaces/shop/secrets', undefined, opts);
    expect(secrets.status).toBe(403);
  });

  it('refuses an unknown token with 401', async () => {
    expect(await call(cluster, 'GET', '/api/v1/namespaces', undefined, { token: 'nobody' })).toMatchObject({ status: 401, body: { reason: 'Unauthorized' } });
  });

  it('honours Impersonate-User and -Group: the impersonated identity is authorised, and named in the 403', async () => {
    const pods = await call(cluster, 'GET', '/api/v1/namespaces/shop/pods');
    const pod = String(pods.body.items[0].metadata.name);
    const carol = await callAs(cluster, 'DELETE', `/api/v1/namespaces/shop/pods/${pod}?dryRun=All`, { user: 'carol@example.com' });
    expect(carol.body).toMatchObject({ code: 403, message: `pods "${pod}" is forbidden: User "carol@example.com" cannot delete resource "pods" in API group "" in the namespace "shop"` });
    const alice = await callAs(cluster, 'DELETE', `/api/v1/namespaces/shop/pods/${pod}?dryRun=All`, { user: 'alice@example.com', groups: ['sre'] });
    expect(alice.status).toBe(200);
    // Someone else may, only through the group that carries a RoleBinding.
    expect((await callAs(cluster, 'DELETE', `/api/v1/namespaces/shop/pods/${pod}?dryRun=All`, { user: 'mallory@example.com' })).status).toBe(403);
    expect((await callAs(cluster, 'DELETE', `/api/v1/namespaces/shop/pods/${pod}?dryRun=All`, { user: 'mallory@example.com', groups: ['sre'] })).status).toBe(200);
    const last = cluster.requests.filter((r) => r.method === 'DELETE').at(-3);
    expect(last).toMatchObject({ user: 'system:serviceaccount:deckhand:deckhand', impersonatedUser: { username: 'alice@example.com', groups: ['sre', 'system:authenticated'] } });
  });

  it('honours resourceNames: carol may patch the checkout Deployment in shop and no other', async () => {
    await call(cluster, 'POST', '/apis/apps/v1/namespaces/shop/deployments', { metadata: { name: 'checkout' }, spec: { replicas: 1, selector: { matchLabels: { app: 'checkout' } }, template: { metadata: { labels: { app: 'checkout' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } } });
    const patch = (name: string) => callAs(cluster, 'PATCH', `/apis/apps/v1/namespaces/shop/deployments/${name}?dryRun=All`, { user: 'carol@example.com' }, [{ op: 'add', path: '/metadata/labels/x', value: 'y' }]);
    const deployments = await call(cluster, 'GET', '/apis/apps/v1/namespaces/shop/deployments');
    const other = (deployments.body.items as { metadata: { name: string } }[]).map((d) => d.metadata.name).find((n) => n !== 'checkout');
    expect(other).toBeDefined();
    expect((await patch(other ?? '')).body.message).toBe(`deployments.apps "${other}" is forbidden: User "carol@example.com" cannot patch resource "deployments" in API group "apps" in the namespace "shop"`);
    expect((await patch('checkout')).status).not.toBe(403);
  });

  it('needs the impersonate verb, by resourceName, to impersonate', async () => {
    const opts = { token: leastPrivilegeToken };
    expect((await callAs(cluster, 'GET', '/api/v1/namespaces/shop/pods', { ...opts, user: 'alice@example.com', groups: ['sre'] })).status).toBe(200);
    const mallory = await callAs(cluster, 'GET', '/api/v1/namespaces/shop/pods', { ...opts, user: 'kubernetes-admin' });
    expect(mallory.body).toMatchObject({ code: 403, message: 'users "kubernetes-admin" is forbidden: User "system:serviceaccount:deckhand-system:deckhand" cannot impersonate resource "users" in API group "" at the cluster scope' });
    const masters = await callAs(cluster, 'GET', '/api/v1/namespaces/shop/secrets', { ...opts, user: 'alice@example.com', groups: ['system:masters'] });
    expect(masters.body.message).toBe('groups "system:masters" is forbidden: User "system:serviceaccount:deckhand-system:deckhand" cannot impersonate resource "groups" in API group "" at the cluster scope');
  });

  it('reads RoleBindings a client creates, at once', async () => {
    const admin = { token: adminToken };
    const path = '/api/v1/namespaces/shop/configmaps';
    expect((await callAs(cluster, 'GET', path, { user: 'dave@example.com' })).status).toBe(403);
    await call(cluster, 'POST', `${rbac}/namespaces/shop/rolebindings`, { metadata: { name: 'dave-view' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' }, subjects: [{ kind: 'User', name: 'dave@example.com', apiGroup: 'rbac.authorization.k8s.io' }] }, admin);
    expect((await callAs(cluster, 'GET', path, { user: 'dave@example.com' })).status).toBe(200);
    await call(cluster, 'POST', `${rbac}/namespaces/shop/rolebindings`, { metadata: { name: 'dangling' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'gone' }, subjects: [{ kind: 'User', name: 'erin@example.com', apiGroup: 'rbac.authorization.k8s.io' }] }, admin);
    const review = await call(cluster, 'POST', '/apis/authorization.k8s.io/v1/subjectaccessreviews', sar({ user: 'erin@example.com', resourceAttributes: { namespace: 'shop', verb: 'get', resource: 'pods' } }));
    expect(review.body.status).toEqual({ allowed: false, reason: 'RBAC: role.rbac.authorization.k8s.io "gone" not found' });
  });

  it('answers SubjectAccessReviews with the RBAC reason and never stores them', async () => {
    const allowed = await call(cluster, 'POST', '/apis/authorization.k8s.io/v1/subjectaccessreviews', sar({ user: 'alice@example.com', groups: ['sre'], resourceAttributes: { namespace: 'shop', verb: 'delete', resource: 'pods', name: 'x' } }));
    expect(allowed).toMatchObject({ status: 201, body: { kind: 'SubjectAccessReview', apiVersion: 'authorization.k8s.io/v1', status: { allowed: true, reason: 'RBAC: allowed by RoleBinding "sre-edit/shop" of ClusterRole "edit" to Group "sre"' } } });
    const denied = await call(cluster, 'POST', '/apis/authorization.k8s.io/v1/subjectaccessreviews', sar({ user: 'carol@example.com', resourceAttributes: { namespace: 'shop', verb: 'delete', resource: 'pods' } }));
    expect(denied.body.status).toEqual({ allowed: false });
    const scale = await call(cluster, 'POST', '/apis/authorization.k8s.io/v1/subjectaccessreviews', sar({ user: 'system:serviceaccount:deckhand-system:deckhand', groups: ['system:serviceaccounts'], resourceAttributes: { namespace: 'shop', verb: 'patch', group: 'apps', resource: 'deployments', subresource: 'scale', name: 'web' } }));
    expect(scale.body.status).toMatchObject({ allowed: true, reason: 'RBAC: allowed by ClusterRoleBinding "deckhand" of ClusterRole "deckhand" to ServiceAccount "deckhand/deckhand-system"' });
    expect((await call(cluster, 'GET', '/apis/authorization.k8s.io/v1/subjectaccessreviews')).status).toBe(405);
    // Asking about others needs `create` on subjectaccessreviews; asking about oneself does not.
    const asCarol = await callAs(cluster, 'POST', '/apis/authorization.k8s.io/v1/subjectaccessreviews', { user: 'carol@example.com' }, sar({ user: 'alice@example.com', resourceAttributes: { verb: 'get', resource: 'pods' } }));
    expect(asCarol.body.message).toBe('subjectaccessreviews.authorization.k8s.io is forbidden: User "carol@example.com" cannot create resource "subjectaccessreviews" in API group "authorization.k8s.io" at the cluster scope');
    const self = await callAs(cluster, 'POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', { user: 'carol@example.com' }, { spec: { resourceAttributes: { namespace: 'shop', verb: 'list', resource: 'pods' } } });
    expect(self.body.status).toMatchObject({ allowed: true, reason: 'RBAC: allowed by RoleBinding "carol-view/shop" of ClusterRole "view" to User "carol@example.com"' });
  });

  it('keeps Secrets from Deckhand and lets the admin and editors in shop read them', async () => {
    await call(cluster, 'POST', '/api/v1/namespaces/shop/secrets', { metadata: { name: 'db' }, stringData: { password: 'hunter2' } }, { token: adminToken });
    expect((await call(cluster, 'GET', '/api/v1/namespaces/shop/secrets/db')).status).toBe(403);
    expect((await call(cluster, 'GET', '/api/v1/namespaces/shop/secrets/db', undefined, { token: leastPrivilegeToken })).status).toBe(403);
    expect((await callAs(cluster, 'GET', '/api/v1/namespaces/shop/secrets/db', { user: 'carol@example.com' })).status).toBe(403);
    expect((await callAs(cluster, 'GET', '/api/v1/namespaces/shop/secrets/db', { user: 'alice@example.com', groups: ['sre'] })).status).toBe(200);
    expect((await call(cluster, 'GET', '/api/v1/namespaces/shop/secrets/db', undefined, { token: adminToken })).status).toBe(200);
  });
});
