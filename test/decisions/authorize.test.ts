import { describe, expect, it } from 'vitest';
import { type AuthorizeInput, authorizeClick, requiredApprovalsFor } from '../../src/decisions/authorize.js';
import { makeChannel, makeProposal, t0 } from './fixtures.js';

function input(overrides: Partial<AuthorizeInput> = {}, state: Partial<AuthorizeInput['state']> = {}): AuthorizeInput {
  return {
    kind: 'approve',
    user: 'UALICE',
    channel: 'C0OPS',
    state: { proposal: makeProposal(), status: 'pending', approvals: [], ...state },
    channelConfig: makeChannel(),
    isApprover: true,
    mode: 'approval',
    paused: false,
    now: t0 + 60_000,
    ...overrides,
  };
}

const reasonOf = (i: AuthorizeInput) => {
  const result = authorizeClick(i);
  return result.ok ? 'ok' : result.reason;
};

describe('authorizeClick', () => {
  it('allows an approver to approve a pending proposal', () => {
    expect(reasonOf(input())).toBe('ok');
  });
  it('refuses a click by a non-approver, for Approve and Reject alike', () => {
    expect(reasonOf(input({ isApprover: false }))).toBe('not_approver');
    expect(reasonOf(input({ isApprover: false, kind: 'reject' }))).toBe('not_approver');
  });
  it('refuses a click from another channel', () => {
    expect(reasonOf(input({ channel: 'C0OTHER' }))).toBe('wrong_channel');
  });
  it('refuses to approve a forbidden action', () => {
    expect(reasonOf(input({}, { proposal: makeProposal({ risk: 'forbidden' }) }))).toBe('forbidden');
  });
  it('refuses the requester as an approver', () => {
    expect(reasonOf(input({}, { proposal: makeProposal({ requestedBy: 'UALICE' }) }))).toBe('requester_cannot_approve');
    expect(reasonOf(input({ user: 'UBOB' }, { proposal: makeProposal({ requestedBy: 'UALICE' }) }))).toBe('ok');
  });
  it('refuses the same person as the second approver of a high-risk action', () => {
    const state = { proposal: makeProposal({ risk: 'high' }), approvals: [{ user: 'UALICE', at: 'x' }] };
    expect(reasonOf(input({}, state))).toBe('already_approved_by_you');
    expect(reasonOf(input({ user: 'UBOB' }, state))).toBe('ok');
  });
  it('refuses an expired proposal, by status or by its TTL', () => {
    expect(reasonOf(input({}, { status: 'expired' }))).toBe('expired');
    expect(reasonOf(input({ now: t0 + 31 * 60_000 }))).toBe('expired');
  });
  it('refuses an already decided proposal', () => {
    for (const status of ['approved', 'rejected', 'executing', 'executed', 'failed', 'refused'] as const) {
      expect(reasonOf(input({}, { status }))).toBe('already_decided');
      expect(reasonOf(input({ kind: 'reject' }, { status }))).toBe('already_decided');
    }
  });
  it('refuses approval while paused or in plan mode, but still lets an approver reject', () => {
    expect(reasonOf(input({ paused: true }))).toBe('paused');
    expect(reasonOf(input({ mode: 'plan' }))).toBe('plan_mode');
    expect(reasonOf(input({ paused: true, kind: 'reject' }))).toBe('ok');
    expect(reasonOf(input({ mode: 'plan', kind: 'reject' }))).toBe('ok');
  });
  it("refuses an action outside the channel's cluster or namespaces", () => {
    expect(reasonOf(input({}, { proposal: makeProposal({ cluster: 'staging' }) }))).toBe('cluster_not_allowed');
    expect(reasonOf(input({ channelConfig: makeChannel({ namespaces: ['other'] }) }))).toBe('namespace_not_allowed');
    expect(reasonOf(input({ channelConfig: makeChannel({ namespaces: ['*'] }) }))).toBe('ok');
  });
  it('allows Undo only of an action that ran, by an approver, not while paused or in plan mode', () => {
    expect(reasonOf(input({ kind: 'undo' }, { status: 'executed' }))).toBe('ok');
    expect(reasonOf(input({ kind: 'undo' }, { status: 'pending' }))).toBe('not_executed');
    expect(reasonOf(input({ kind: 'undo', isApprover: false }, { status: 'executed' }))).toBe('not_approver');
    expect(reasonOf(input({ kind: 'undo', paused: true }, { status: 'executed' }))).toBe('paused');
    expect(reasonOf(input({ kind: 'undo', mode: 'plan' }, { status: 'executed' }))).toBe('plan_mode');
  });
  it('needs two approvals for high risk, one otherwise, and never enough for forbidden', () => {
    expect(requiredApprovalsFor('low')).toBe(1);
    expect(requiredApprovalsFor('medium')).toBe(1);
    expect(requiredApprovalsFor('high')).toBe(2);
    expect(requiredApprovalsFor('forbidden')).toBe(Number.POSITIVE_INFINITY);
  });
});
