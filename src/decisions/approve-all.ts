import type { SlackMessenger } from '../slack/messenger.js';
import { buildApproveAllMessage } from './blocks/approve-all.js';
import type { Click, ClickResult } from './clicks.js';
import type { DecisionRecord, ProposalStore } from './proposal-store.js';

/** A proposal the Approve-all button stands for: undecided, posted with its own buttons. */
function isAwaitingApproval(record: DecisionRecord, now: number): boolean {
  return record.status === 'pending' && record.proposal.risk !== 'forbidden' && record.proposal.messageTs !== undefined && Date.parse(record.proposal.expiresAt) > now;
}

export interface ApproveAllDeps {
  store: Pick<ProposalStore, 'listByIncident'>;
  messenger: Pick<SlackMessenger, 'post'>;
  /** The one Approve path (authorisation, staleness, two-person rule, the atomic store). */
  approve: (click: Click) => Promise<ClickResult>;
  clock: () => number;
}

/**
 * Offers "Approve all" in the incident's thread when two or more of its proposals await
 * approval (posted once per set of proposals). Returns how many it stands for.
 */
export async function offerApproveAll(deps: ApproveAllDeps, incidentId: string): Promise<number> {
  const waiting = (await deps.store.listByIncident(incidentId)).filter((r) => isAwaitingApproval(r, deps.clock()));
  const first = waiting[0];
  if (waiting.length < 2 || !first) return 0;
  const { channel, threadTs } = first.proposal;
  await deps.messenger.post({
    channel,
    ...(threadTs ? { threadTs } : {}),
    message: buildApproveAllMessage({ incidentId, count: waiting.length, high: waiting.filter((r) => r.proposal.risk === 'high').length }),
    idempotencyKey: `approve-all-${incidentId}-${waiting.map((r) => r.proposal.id).sort().join(',')}`.slice(0, 250),
  });
  return waiting.length;
}

/**
 * The "Approve all" click: Approve on each proposal of the incident that awaits approval, in
 * turn, through the same path as a click on its own button — so each is authorised and
 * risk-checked, high risk counts this approver once of two, forbidden is never approved.
 * The clicker is told, privately, what happened to each.
 */
export async function approveAll(deps: ApproveAllDeps, input: { incidentId: string; user: string; channel: string }): Promise<ClickResult> {
  const waiting = (await deps.store.listByIncident(input.incidentId)).filter((r) => isAwaitingApproval(r, deps.clock()));
  if (waiting.length === 0) return { ok: false, reason: 'already_decided', message: 'No proposal of this incident waits for approval any more; nothing changed.' };
  const approved: string[] = [];
  const halfway: string[] = [];
  const refused: string[] = [];
  let firstRefusal: Extract<ClickResult, { ok: false }> | undefined;
  for (const record of waiting) {
    const result = await deps.approve({ proposalId: record.proposal.id, user: input.user, channel: input.channel });
    const what = record.proposal.action.type;
    if (result.ok && result.notice) halfway.push(what);
    else if (result.ok) approved.push(what);
    else {
      refused.push(`${what} (${result.message.replace(/\.$/, '')})`);
      firstRefusal ??= result;
    }
  }
  const lines = [
    approved.length > 0 ? `Approved ${approved.length}: ${approved.join(', ')} — each runs as a dry run, then for real, then is verified.` : undefined,
    halfway.length > 0 ? `Your approval is recorded on ${halfway.length} high-risk: ${halfway.join(', ')} — a second, different approver is needed.` : undefined,
    refused.length > 0 ? `Not approved: ${refused.join('; ')}.` : undefined,
  ].filter((l): l is string => l !== undefined);
  const text = lines.join('\n');
  if (approved.length + halfway.length === 0 && firstRefusal) return { ok: false, reason: firstRefusal.reason, message: text };
  return { ok: true, notice: text };
}
