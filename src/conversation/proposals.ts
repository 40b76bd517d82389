import { createHash } from 'node:crypto';
import type { Action } from '../decisions/actions/catalog.js';
import type { Proposal, TargetSnapshot } from '../decisions/actions/proposal.js';
import type { RiskResult } from '../decisions/actions/risk.js';
import { actionKey } from '../analysis/port.js';
import type { Clock } from '../shared/clock.js';
import type { Logger } from '../shared/logger.js';
import type { SubmitProposalsInput } from './job.js';

/** What the decision loop offers (src/decisions services): risk by code, and the one way in. */
export interface ProposalPipeline {
  classify(action: Action, input: { cluster: string; channel: string; target: TargetSnapshot | undefined }): RiskResult;
  /** Stores the proposal, audits it, and posts it with the channel's approval rules (or runs it under yolo). */
  submit(proposal: Proposal): Promise<unknown>;
}

export interface ConversationProposalDeps {
  pipeline: ProposalPipeline;
  /** B's snapshotTarget for the cluster; undefined when it cannot be read. */
  snapshot?: (cluster: string, action: Action) => Promise<TargetSnapshot | undefined>;
  clock: Clock;
  ttlMs: number;
  log: Logger;
}

/**
 * Turns the actions Claude proposed while answering into Proposals — risk computed here by
 * code, the asking user recorded as `requestedBy` (so the approval rules apply to them as
 * to anyone) — and submits each through the decision loop. Ids are derived from the
 * thread, the question and the action, so a retried job submits nothing twice.
 */
export function createConversationProposalSubmitter(deps: ConversationProposalDeps): (input: SubmitProposalsInput) => Promise<void> {
  return async (input) => {
    const now = deps.clock();
    for (const proposed of input.proposals) {
      let target: TargetSnapshot | undefined;
      try {
        target = await deps.snapshot?.(input.cluster, proposed.action);
      } catch (err) {
        deps.log.warn({ err: err instanceof Error ? err.message : String(err), type: proposed.action.type }, 'conversation proposal snapshot failed');
      }
      const risk = deps.pipeline.classify(proposed.action, { cluster: input.cluster, channel: input.thread.channel, target });
      const id = `p-${createHash('sha256').update(`conv|${input.thread.channel}|${input.thread.threadTs}|${input.exchangeId}|${actionKey(proposed.action)}`).digest('hex').slice(0, 20)}`;
      const proposal: Proposal = {
        id,
        incidentId: input.incident?.id ?? `adhoc-${input.thread.channel}-${input.thread.threadTs}`,
        channel: input.thread.channel,
        threadTs: input.thread.threadTs,
        cluster: input.cluster,
        action: proposed.action,
        risk: risk.risk,
        riskReasons: risk.reasons,
        confidence: Math.max(0, Math.min(1, proposed.confidence)),
        rationale: proposed.rationale,
        origin: proposed.origin,
        requestedBy: input.requestedBy,
        createdAt: new Date(now).toISOString(),
        expiresAt: new Date(now + deps.ttlMs).toISOString(),
        ...(target ? { target } : {}),
      };
      await deps.pipeline.submit(proposal);
    }
  };
}
