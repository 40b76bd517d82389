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
