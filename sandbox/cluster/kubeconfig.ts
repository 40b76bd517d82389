import { stringify } from 'yaml';

/** The bearer token of the `admin` user: the only identity that may touch Secrets. */
export const adminToken = 'sandbox-admin-token';
/** Who the admin is. kubectl sends no bearer token over plain http, so its kubeconfig entry also impersonates this user. */
export const adminUser = 'kubernetes-admin';

/**
 * A kubeconfig whose cluster, user and current context are all named "sandbox" (Deckhand's
 * identity), plus an `admin` user and `sandbox-admin` context for tests that set up Secrets.
 */
export function buildKubeconfig(url: string, namespace = 'default'): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'sandbox', cluster: { server: url, 'insecure-skip-tls-verify': true } }],
    users: [
      { name: 'sandbox', user: { token: 'sandbox-token' } },
      { name: 'admin', user: { token: adminToken, as: adminUser, 'as-groups': ['system:masters'] } },
    ],
    contexts: [
      { name: 'sandbox', context: { cluster: 'sandbox', user: 'sandbox', namespace } },
      { name: 'sandbox-admin', context: { cluster: 'sandbox', user: 'admin', namespace } },
    ],
    'current-context': 'sandbox',
    preferences: {},
  });
}
