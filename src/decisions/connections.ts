import type { Action } from '../actions/catalog.js';
import type { TargetSnapshot } from '../actions/proposal.js';
import { snapshotTarget } from '../actions/snapshot.js';
import type { ClusterConnection, ClusterRegistry } from '../kube/connection.js';
import type { Logger } from '../shared/logger.js';
import { executeAction, type ExecutionResult } from './execute/executor.js';
import { verifyAction, type Verdict, type VerifyOptions } from './verify/verifier.js';

export type { ExecutionResult } from './execute/executor.js';
export type { Verdict } from './verify/verifier.js';

/** What the decision loop does on one cluster, kept narrow so unit tests use plain fakes. */
export interface ActionConnection {
  execute(action: Action, options: { dryRun: boolean }): Promise<ExecutionResult>;
  verify(action: Action, options: VerifyOptions): Promise<Verdict>;
  snapshot(action: Action): Promise<TargetSnapshot | undefined>;
}

export interface ActionConnections {
  get(cluster: string): ActionConnection | Promise<ActionConnection>;
}

/** The executor, verifier and snapshot over one cluster connection of src/kube. */
export function createActionConnection(connection: ClusterConnection, log: Logger): ActionConnection {
  const clusterLog = log.child({ cluster: connection.name });
  return {
    async execute(action, options) {
      const result = await executeAction(connection.kubeConfig, action, { ...options, cluster: connection.name });
      clusterLog.info({ action: action.type, dryRun: options.dryRun, ok: result.ok, code: result.ok ? undefined : result.code }, 'kube action executed');
      return result;
    },
    verify: (action, options) => verifyAction(connection.reader, action, options),
    snapshot: (action) => snapshotTarget(connection.reader, action),
  };
}

/** Every cluster of the registry as the decision loop sees it. */
export function createActionConnections(clusters: ClusterRegistry, log: Logger): ActionConnections {
  const built = new Map<string, ActionConnection>();
  return {
    get(cluster) {
      let connection = built.get(cluster);
      if (!connection) {
        connection = createActionConnection(clusters.get(cluster), log);
        built.set(cluster, connection);
      }
      return connection;
    },
  };
}
