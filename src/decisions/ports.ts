import type { Action } from '../actions/catalog.js';
import type { TargetSnapshot } from '../actions/proposal.js';

/**
 * What the decision loop needs from cluster access (B's ClusterConnection satisfies it), kept
 * narrow so tests use plain fakes.
 */
export type ExecutionResult = { ok: true; summary: string } | { ok: false; code: string; message: string; retryable: boolean };

export interface Verdict {
  ok: boolean;
  summary: string;
  evidence: string[];
}

export interface ActionConnection {
  execute(action: Action, options: { dryRun: boolean }): Promise<ExecutionResult>;
  verify(action: Action, options: { timeoutMs: number; settleMs: number; pollMs?: number }): Promise<Verdict>;
  snapshot(action: Action): Promise<TargetSnapshot | undefined>;
}

/** B's ClusterRegistry: `get(cluster)`, sync or async. */
export interface ActionConnections {
  get(cluster: string): ActionConnection | Promise<ActionConnection>;
}
