import { stringify } from 'yaml';

/** The bearer token of the `admin` user (`kubernetes-admin`, in `system:masters`). */
export const adminToken = 'sandbox-admin-token';
/** Who the admin is. kubectl sends no bearer token over plain http, so its kubeconfig entry also impersonates this user. */
export const adminUser = 'kubernetes-admin';
/** The token of the default `sandbox` user: Deckhand's service account, as the product's tests use it. */
export const sandboxToken = 'sandbox-token';
/** The token of the `deckhand` user: the least-privilege service account of deploy/rbac.yaml. */
export const deckhandToken = 'deckhand-token';

/** Who each token is, with the groups the API server's authenticators add. */
export const tokenUsers: Record<string, { username: string; groups: string[] }> = {
  [sandboxToken]: { username: 'system:serviceaccount:deckhand:deckhand', groups: ['system:serviceaccounts', 'system:serviceaccounts:deckhand', 'system:authenticated'] },
  [deckhandToken]: {
    username: 'system:serviceaccount:deckhand-system:deckhand',
    groups: ['system:serviceaccounts', 'system:serviceaccounts:deckhand-system', 'system:authenticated'],
  },
  [adminToken]: { username: adminUser, groups: ['system:masters', 'system:authenticated'] },
};

/**
 * A kubeconfig whose cluster, user and current context are all named "sandbox" (Deckhand's
 * identity as the product's tests use it), plus an `admin` user and `sandbox-admin` context
 * (superuser), and a `deckhand` user and `sandbox-deckhand` context with exactly deploy/'s
 * least-privilege role.
 */
export function buildKubeconfig(url: string, namespace = 'default'): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'sandbox', cluster: { server: url, 'insecure-skip-tls-verify': true } }],
    users: [
      { name: 'sandbox', user: { token: sandboxToken } },
      { name: 'admin', user: { token: adminToken, as: adminUser, 'as-groups': ['system:masters'] } },
      // kubectl sends no token over http: it is the `sandbox` user there unless told `--as`.
      { name: 'deckhand', user: { token: deckhandToken } },
    ],
    contexts: [
      { name: 'sandbox', context: { cluster: 'sandbox', user: 'sandbox', namespace } },
      { name: 'sandbox-admin', context: { cluster: 'sandbox', user: 'admin', namespace } },
      { name: 'sandbox-deckhand', context: { cluster: 'sandbox', user: 'deckhand', namespace } },
    ],
    'current-context': 'sandbox',
    preferences: {},
  });
}
