import type * as k8s from '@kubernetes/client-node';
import { afterEach, beforeEach } from 'vitest';
import { startSandboxCluster, type SandboxCluster } from '../../../sandbox/cluster/index.js';
import { clientsFor, type Clients } from './helpers.js';

export const ns = 'default';

/**
 * A fresh cluster per test, with the base scenario alone: node-1 and node-2 (4 cpu, 8Gi each)
 * and its hello pod in `default`. Read `env.cluster` and `env.c` inside tests.
 */
export function freshClusterPerTest(): { cluster: SandboxCluster; c: Clients } {
  const env = {} as { cluster: SandboxCluster; c: Clients };
  beforeEach(async () => {
    env.cluster = await startSandboxCluster({ scenarios: [], timeScale: 100 });
    env.c = clientsFor(env.cluster);
    await env.cluster.settle();
  });
  afterEach(async () => {
    await env.cluster.close();
  });
  return env;
}

/** Creates a one-container Deployment in `default` (with pod-template annotations if given), as a user would, and waits for the cluster to settle. */
export function deployer(env: { cluster: SandboxCluster; c: Clients }) {
  return async (
    name: string,
    replicas: number,
    podSpec: Partial<k8s.V1PodSpec> = {},
    resources: k8s.V1ResourceRequirements = { requests: { cpu: '100m', memory: '128Mi' } },
    annotations?: Record<string, string>,
  ): Promise<void> => {
    await env.c.apps.createNamespacedDeployment({
      namespace: ns,
      body: {
        metadata: { name },
        spec: {
          replicas,
          selector: { matchLabels: { app: name } },
          template: { metadata: { labels: { app: name }, ...(annotations ? { annotations } : {}) }, spec: { ...podSpec, containers: [{ name, image: `registry.example.com/demo/${name}:1.0`, resources }] } },
        },
      },
    });
    await env.cluster.settle();
  };
}
