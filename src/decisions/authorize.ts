import { namespaceOf } from './actions/catalog.js';
import { type RiskLevel } from '../core/vocabulary.js';
import type { Proposal, ProposalStatus } from './actions/proposal.js';
import type { ChannelConfig, ChannelMode } from '../core/config/file.js';

export type ClickKind = 'approve' | 'reject' | 'undo';

export type RefusalReason =
  | 'not_approver'
  | 'wrong_channel'
  | 'plan_mode'
  | 'paused'
  | 'forbidden'
  | 'requester_cannot_approve'
  | 'already_approved_by_you'
  | 'expired'
  | 'already_decided'
  | 'not_executed'
  | 'cluster_not_allowed'
  | 'namespace_not_allowed'
  | 'stale'
  | 'unknown_proposal'
  | 'target_unreadable'
  | 'no_inverse'
  | 'unmapped_identity'
  | 'cluster_refused'
  | 'access_check_failed';

export type Authorization = { ok: true } | { ok: false; reason: RefusalReason; message: string };

export interface Approval {
  user: string;
  at: string;
}

/** What the authorisation needs to know about a proposal's state. */
export interface DecisionState {
  proposal: Proposal;
  status: ProposalStatus;
  approvals: Approval[];
}

export interface AuthorizeInput {
  kind: ClickKind;
  user: string;
  /** Channel the click came from. */
  channel: string;
  state: DecisionState;
  channelConfig: ChannelConfig;
  /** The clicker is one of the channel's approvers (user ids or user-group members). */
  isApprover: boolean;
  mode: ChannelMode;
  paused: boolean;
  now: number;
}

/** Approvals a proposal needs: two different people for high risk, never for forbidden. */
export function requiredApprovalsFor(risk: RiskLevel): number {
  if (risk === 'forbidden') return Number.POSITIVE_INFINITY;
  return risk === 'high' ? 2 : 1;
}

/**
 * Decides whether a click may change anything. Pure: the caller gathers the state, so every
 * refusal is a table row in the test. Only approvers may decide, Reject included: a bystander
 * must not be able to cancel a fix either. The atomic store script re-checks the state parts
 * (pending, not expired, not approved twice by one person) so a race cannot slip past this.
 */
export function authorizeClick(input: AuthorizeInput): Authorization {
  const { kind, user, state, channelConfig } = input;
  const { proposal } = state;
  const refuse = (reason: RefusalReason, message: string): Authorization => ({ ok: false, reason, message });

  if (input.channel !== proposal.channel) {
    return refuse('wrong_channel', 'This proposal belongs to another channel; decide it there.');
  }
  if (!input.isApprover) {
    // An Undo is about an action that already ran, not a proposal.
    const what = kind === 'undo' ? 'undo an action Deckhand ran' : `${kind} Deckhand's proposals`;
    return refuse('not_approver', `Only this channel's approvers may ${what}, and you are not one of them. Nothing changed.`);
  }
  if (kind === 'undo') {
    if (input.mode === 'plan') return refuse('plan_mode', 'This channel is in plan mode: nothing runs from here.');
    if (input.paused) return refuse('paused', 'Deckhand is paused: nothing runs until someone uses /k8s resume.');
    if (state.status !== 'executed' && state.status !== 'failed') {
      return refuse('not_executed', 'Only an action that ran can be undone.');
    }
    return { ok: true };
  }
  if (kind === 'approve' && proposal.risk === 'forbidden') {
    return refuse('forbidden', 'This action is forbidden by policy and can never be approved.');
  }
  if (state.status !== 'pending') {
    return state.status === 'expired'
      ? refuse('expired', 'This proposal has expired; ask for a fresh analysis.')
      : refuse('already_decided', `This proposal was already decided (${state.status}); nothing changed.`);
  }
  if (Date.parse(proposal.expiresAt) <= input.now) {
    return refuse('expired', 'This proposal has expired; ask for a fresh analysis.');
  }
  if (kind === 'reject') return { ok: true };

  if (input.mode === 'plan') return refuse('plan_mode', 'This channel is in plan mode: nothing runs from here.');
  if (input.paused) return refuse('paused', 'Deckhand is paused: nothing runs until someone uses /k8s resume.');
  if (proposal.cluster !== channelConfig.cluster) {
    return refuse('cluster_not_allowed', `This channel may act on cluster ${channelConfig.cluster} only.`);
  }
  const namespace = namespaceOf(proposal.action);
  if (namespace !== undefined && !channelConfig.namespaces.includes('*') && !channelConfig.namespaces.includes(namespace)) {
    return refuse('namespace_not_allowed', `This channel may not act in namespace ${namespace}.`);
  }
  if (proposal.requestedBy === user) {
    return refuse('requester_cannot_approve', 'You asked for this action, so someone else must approve it.');
  }
  if (state.approvals.some((a) => a.user === user)) {
    return refuse('already_approved_by_you', 'You already approved this; a second, different approver is needed.');
  }
  return { ok: true };
}
