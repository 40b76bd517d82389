import { redactText } from '../../shared/redact.js';
import { joinMd, mention, safe, type Mrkdwn } from '../../slack/blocks/mrkdwn.js';

/** What each audit entry type reads as in `/k8s audit`. */
const typeWords: Record<string, string> = {
  proposal: 'proposed',
  approval: 'approved',
  rejection: 'rejected',
  refusal: 'refused',
  expiry: 'expired',
  dry_run: 'dry run',
  execution: 'executed',
  verification: 'verification',
  mode_change: 'mode changed',
  pause: 'paused',
  resume: 'resumed',
  breaker: 'circuit breaker',
  incident_status: 'incident status',
};

/** Why a click was refused, in words (the decision loop's refusal codes). */
const refusalWords: Record<string, string> = {
  not_approver: 'not an approver in this channel',
  wrong_channel: 'clicked in another channel',
  plan_mode: 'the channel is in plan mode',
  paused: 'Deckhand was paused',
  forbidden: 'the action is forbidden by policy',
  requester_cannot_approve: 'they had asked for the action themselves',
  already_approved_by_you: 'they had already approved it; a second, different approver was needed',
  expired: 'the proposal had expired',
  already_decided: 'it was already decided',
  not_executed: 'the action had not run',
  cluster_not_allowed: "the cluster is not this channel's",
  namespace_not_allowed: "the namespace is not this channel's",
  stale: 'the target had changed since the proposal',
  unknown_proposal: 'the proposal was unknown',
  target_unreadable: 'the target could not be read',
  no_inverse: 'the action has no inverse',
};

export function auditTypeWords(type: string): string {
  return typeWords[type] ?? type.replace(/[_.]/g, ' ');
}

/** The audit's actor as a person: a Slack mention, or Deckhand itself. */
export function auditActor(actor: string): Mrkdwn {
  if (isUserId(actor)) return mention(actor);
  if (actor === 'deckhand:yolo') return safe('Deckhand (yolo policy)');
  if (actor === 'deckhand' || actor === 'system') return safe('Deckhand');
  return safe(actor);
}

/**
 * An audit summary in words: refusal codes (`refused: already_approved_by_you`) become what
 * they mean, and the ids of `people` (`UALICE`) become mentions. Summaries quote outside text
 * (cluster and error messages), so only the ids of people Slack told us acted — the actors of
 * audit entries — become mentions; any other id or `<@…>` stays masked and escaped text.
 */
export function auditDetailWords(detail: string, people: ReadonlySet<string>): Mrkdwn {
  // Masked as a whole first, so no split below can cut a secret in two.
  const worded = redactText(detail).replace(/\brefused: ([a-z_]+)\b/g, (whole, code: string) => {
    const words = refusalWords[code];
    return words === undefined ? whole : `refused: ${words}`;
  });
  const parts: Mrkdwn[] = [];
  let last = 0;
  for (const match of worded.matchAll(/(?<![<@\w])([UW][A-Z0-9]{2,})\b/g)) {
    const id = match[1];
    if (id === undefined || !people.has(id)) continue;
    parts.push(safe(worded.slice(last, match.index)), mention(id));
    last = match.index + match[0].length;
  }
  parts.push(safe(worded.slice(last)));
  return joinMd(parts, '');
}

/** A Slack user id (U… or W…, capitals and digits) — not a word that happens to start with U. */
export function isUserId(text: string): boolean {
  return /^[UW][A-Z0-9]{2,}$/.test(text) && /[A-Z]/.test(text.slice(1));
}
