import type { AppContext } from '../core/feature.js';
import type { DecisionServices } from './services.js';

export type { DecisionRecord } from './proposal-store.js';

/**
 * The decision loop as the other capabilities reach it — the one declared way in:
 * analysis and conversation hand proposals to `submit` (with `classify`, risk by code);
 * /k8s reads and drives the stores (modes, pause, breaker, audit, approvers, proposals).
 */
export type DecisionsPort = Pick<DecisionServices, 'submit' | 'offerApproveAll' | 'classify' | 'store' | 'audit' | 'pause' | 'modes' | 'breaker' | 'approvers'>;

/**
 * What the decision loop asks of analysis — a fresh investigation of an incident (the "Fresh
 * analysis" button after a refused, stale proposal). Declared here, offered by analysis
 * (`analysisRequests` in analysis/job.ts) and handed in by the composition root, so decisions
 * never imports the capability that feeds it.
 */
export interface AnalysisRequests {
  request(ctx: AppContext, incidentId: string, reason: string): Promise<void>;
}

/** Gives the port of a running app; the decisions feature is one. */
export interface DecisionsProvider {
  port(ctx: AppContext): DecisionsPort;
}
