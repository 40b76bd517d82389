import { stringify } from 'yaml';

/** A kubeconfig whose cluster, user and context are all named "sandbox". */
export function buildKubeconfig(url: string, namespace = 'default'): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'sandbox', cluster: { server: url, 'insecure-skip-tls-verify': true } }],
    users: [{ name: 'sandbox', user: { token: 'sandbox-token' } }],
    contexts: [{ name: 'sandbox', context: { cluster: 'sandbox', user: 'sandbox', namespace } }],
    'current-context': 'sandbox',
    preferences: {},
  });
}
