import type { TestClusters } from './app.js';
import { KubeConfig } from '@kubernetes/client-node';
import { createClusterConnection, type ClusterConnection } from '../../src/kube/connection.js';
import { startSandboxCluster, type SandboxCluster, type SandboxClusterOptions } from '../../sandbox/cluster/index.js';
import { afterAll, beforeAll } from 'vitest';

/**
 * The deckhand.yaml of flow tests: one cluster `prod`, #incidents (CINCIDENTS) acting on `shop`
 * in approval mode; `approvers` is the channel's approvers entry, `extra` more top-level keys
 * (routes, identities, detection…).
 */
export function incidentsYamlWith(options: { approvers?: string; extra?: string } = {}): string {
  return `
clusters:
  prod: {}
channels:
  CINCIDENTS:
    cluster: prod
    namespaces: [shop]
    mode: approval
    approvers: ${options.approvers ?? '{ users: [UALICE] }'}
${options.extra ?? ''}`;
}

/** The flow tests' deckhand.yaml with alice as the one approver. */
export const incidentsYaml = incidentsYamlWith();

export interface SandboxProd {
  cluster: SandboxCluster;
  connection: ClusterConnection;
  /** A registry with the one cluster `prod`, always reachable, for startTestApp's `clusters`. */
  clusters: TestClusters;
}

/** The sandbox cluster behind a real client-node connection named `prod`. Close with `cluster.close()`. */
export async function startSandboxProd(options: SandboxClusterOptions): Promise<SandboxProd> {
  const cluster = await startSandboxCluster(options);
  const connection = createClusterConnection('prod', kubeConfigFromYaml(cluster.kubeconfigYaml()));
  const clusters: TestClusters = { names: () => ['prod'], check: () => Promise.resolve({ ok: true }), get: () => connection };
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

/** A KubeConfig over a kubeconfig's text (the sandbox cluster writes one). */
export function kubeConfigFromYaml(yaml: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromString(yaml);
  return kc;
}
