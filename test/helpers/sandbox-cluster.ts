import { afterAll, beforeAll } from 'vitest';
import type { ClusterRegistryLike } from '../../src/app.js';
import { createClusterConnection, type ClusterConnection } from '../../src/kube/connection.js';
import { startSandboxCluster, type SandboxCluster, type SandboxClusterOptions } from '../../sandbox/cluster/index.js';
import { createSilentLogger } from '../../src/shared/logger.js';

/** The deckhand.yaml of flow tests: one cluster `prod`, #incidents acting on `shop`, alice approves. */
export const incidentsYaml = `
clusters:
  prod: {}
channels:
  CINCIDENTS:
    cluster: prod
    namespaces: [shop]
    mode: approval
    approvers: { users: [UALICE] }
`;

export interface SandboxProd {
  cluster: SandboxCluster;
  connection: ClusterConnection;
  /** A registry with the one cluster `prod`, always reachable, for startTestApp's `clusters`. */
  clusters: ClusterRegistryLike;
}

/** The sandbox cluster behind a real client-node connection named `prod`. Close with `cluster.close()`. */
export async function startSandboxProd(options: SandboxClusterOptions): Promise<SandboxProd> {
  const cluster = await startSandboxCluster(options);
  const connection = createClusterConnection('prod', cluster.kubeconfigYaml(), createSilentLogger());
  const clusters: ClusterRegistryLike = { names: () => ['prod'], check: () => Promise.resolve({ ok: true }), get: () => connection };
  return { cluster, connection, clusters };
}

/**
 * One sandbox `prod` for the whole test file: started (and, unless `settle: false`, settled)
 * in beforeAll, closed in afterAll. Call at the top of the file; the returned getter gives
 * the running sandbox inside tests.
 */
export function useSandboxProd(options: SandboxClusterOptions & { settle?: boolean }): () => SandboxProd {
  const { settle = true, ...clusterOptions } = options;
  let sandbox: SandboxProd | undefined;
  beforeAll(async () => {
    sandbox = await startSandboxProd(clusterOptions);
    if (settle) await sandbox.cluster.settle();
  });
  afterAll(async () => {
    await sandbox?.cluster.close();
  });
  return () => {
    if (!sandbox) throw new Error('the sandbox starts in beforeAll: use it inside a test');
    return sandbox;
  };
}
