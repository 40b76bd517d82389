import { describe, expect, it } from 'vitest';
import { kubectlIn, kubectlMissing, kubectlOk, useKubectlSandbox } from './kubectl-run.js';

describe.skipIf(kubectlMissing)('RBAC through the real kubectl', () => {
  const box = useKubectlSandbox('deckhand-kubectl-rbac-', ['shop-healthy']);
  const kubectl = (...args: string[]) => kubectlIn(box.dir, ...args);

  it('answers `kubectl auth can-i --as` from the seeded roles', async () => {
    const alice = await kubectl('auth', 'can-i', '--as', 'alice@example.com', 'delete', 'pods', '-n', 'shop');
    expect(alice).toMatchObject({ code: 0, stdout: 'yes\n' });
    expect((await kubectl('auth', 'can-i', '--as', 'someone@example.com', '--as-group', 'sre', 'delete', 'pods', '-n', 'shop')).stdout).toBe('yes\n');
    expect((await kubectl('auth', 'can-i', '--as', 'someone@example.com', 'delete', 'pods', '-n', 'shop')).stdout).toBe('no\n');
    const carol = await kubectl('auth', 'can-i', '--as', 'carol@example.com', 'delete', 'pods', '-n', 'shop');
    expect(carol).toMatchObject({ code: 1, stdout: 'no\n' });
    expect((await kubectl('auth', 'can-i', '--as', 'carol@example.com', 'patch', 'deployment/checkout', '-n', 'shop')).stdout).toBe('yes\n');
    expect((await kubectl('auth', 'can-i', '--as', 'carol@example.com', 'patch', 'deployment/api', '-n', 'shop')).stdout).toBe('no\n');
    // Deckhand's own identity (the default context) never reads Secrets.
    expect((await kubectl('auth', 'can-i', 'get', 'secrets', '-n', 'shop')).stdout).toBe('no\n');
    expect((await kubectl('--context', 'sandbox-admin', 'auth', 'can-i', 'get', 'secrets', '-n', 'shop')).stdout).toBe('yes\n');
  });

  it('refuses an impersonated request with the API server\'s 403', async () => {
    const pod = (await kubectlOk(box.dir, '-n', 'shop', 'get', 'pods', '-o', 'name')).split('\n')[0]?.replace('pod/', '') ?? '';
    const refused = await kubectl('--as', 'carol@example.com', '-n', 'shop', 'delete', 'pod', pod, '--dry-run=server');
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain(`Error from server (Forbidden): pods "${pod}" is forbidden: User "carol@example.com" cannot delete resource "pods" in API group "" in the namespace "shop"`);
    expect(await kubectlOk(box.dir, '--as', 'alice@example.com', '--as-group', 'sre', '-n', 'shop', 'delete', 'pod', pod, '--dry-run=server')).toContain(`pod "${pod}" deleted (server dry run)`);
  });

  it('lists what an identity may do (`auth can-i --list`, a SelfSubjectRulesReview)', async () => {
    const list = await kubectlOk(box.dir, 'auth', 'can-i', '--list', '-n', 'shop', '--as', 'carol@example.com');
    expect(list).toMatch(/deployments\.apps\s+\[\]\s+\[checkout\]\s+\[get patch\]/);
    expect(list).toMatch(/selfsubjectaccessreviews\.authorization\.k8s\.io\s+\[\]\s+\[\]\s+\[create\]/);
  });

  it('lists and creates RBAC objects', async () => {
    expect(await kubectlOk(box.dir, '-n', 'shop', 'get', 'rolebindings')).toMatch(/sre-edit\s+ClusterRole\/edit/);
    await kubectlOk(box.dir, '-n', 'shop', 'create', 'rolebinding', 'dave-view', '--clusterrole=view', '--user=dave@example.com');
    expect((await kubectl('auth', 'can-i', '--as', 'dave@example.com', 'list', 'pods', '-n', 'shop')).stdout).toBe('yes\n');
    expect(await kubectlOk(box.dir, 'get', 'clusterroles', 'deckhand', '-o', 'jsonpath={.rules[0].verbs}')).toBe('["get","list"]');
  });
});
