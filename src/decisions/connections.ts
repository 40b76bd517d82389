import type { Action } from './actions/catalog.js';
import type { TargetSnapshot } from './actions/proposal.js';
import { snapshotTarget } from './actions/snapshot.js';
import type { KubeIdentity } from '../core/config/file.js';
import type { ClusterConnection, ClusterRegistry } from '../kube/connection.js';
import type { AccessVerdict, ResourcePermission } from '../kube/impersonation.js';
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
  /** SubjectAccessReviews as Deckhand: may `identity` do all of `permissions` here? */
  reviewAccess(identity: KubeIdentity, permissions: ResourcePermission[]): Promise<AccessVerdict>;
}

export interface ActionConnections {
  /** The cluster as Deckhand's own identity, or acting as `as` (impersonation). */
  get(cluster: string, as?: KubeIdentity): ActionConnection | Promise<ActionConnection>;
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
    reviewAccess: (identity, permissions) => connection.reviewAccess(identity, permissions),
  };
}

/** Every cluster of the registry as the decision loop sees it. */
export function createActionConnections(clusters: ClusterRegistry, log: Logger): ActionConnections {
  const built = new Map<string, ActionConnection>();
  return {
    get(cluster, as) {
      const key = as ? JSON.stringify([cluster, as.user, [...as.groups].sort()]) : cluster;
      let connection = built.get(key);
      if (!connection) {
        const base = clusters.get(cluster);
        connection = createActionConnection(as ? base.impersonate(as) : base, as ? log.child({ runAs: as.user }) : log);
        built.set(key, connection);
      }
      return connection;
    },
  };
}
