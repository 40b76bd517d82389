import * as z from 'zod';
import { Action } from './catalog.js';
import { RiskLevel } from '../../core/vocabulary.js';

/**
 * A proposed remediation: one catalog action on one cluster, with the risk computed by
 * code (never by the model) and the state of its target when it was proposed, so a
 * stale proposal can be refused at approval time.
 */
export const ProposalStatus = z.enum(['pending', 'approved', 'rejected', 'executing', 'executed', 'failed', 'expired', 'refused']);
export type ProposalStatus = z.infer<typeof ProposalStatus>;

export const TargetSnapshot = z.object({
  kind: z.string(),
  namespace: z.string().optional(),
  name: z.string(),
  resourceVersion: z.string().optional(),
  generation: z.number().optional(),
  /** Values the risk rules compared against (current replicas, current memory limit…). */
  current: z.record(z.string(), z.union([z.string(), z.number()])).default({}),
});
export type TargetSnapshot = z.infer<typeof TargetSnapshot>;

export const Proposal = z.object({
  id: z.string(),
  incidentId: z.string(),
  channel: z.string(),
  threadTs: z.string().optional(),
  cluster: z.string(),
  action: Action,
  risk: RiskLevel,
  /** Why the risk is what it is (e.g. "scale beyond 2x of 3"), shown in the message. */
  riskReasons: z.array(z.string()).default([]),
  confidence: z.number().min(0).max(1),
  rationale: z.string(),
  /** 'analyzer:<name>' or 'claude'. */
  origin: z.string(),
  /** Slack user who asked for it (follow-up questions), who may then not approve it. */
  requestedBy: z.string().optional(),
  target: TargetSnapshot.optional(),
  /** The proposal this one undoes, for Undo / inverse actions. */
  undoOf: z.string().optional(),
  createdAt: z.string(),
  expiresAt: z.string(),
  /** ts of the proposal's Slack message, once posted. */
  messageTs: z.string().optional(),
});
export type Proposal = z.infer<typeof Proposal>;
