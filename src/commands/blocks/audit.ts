import type { SlackMessage } from '../../slack/messenger.js';
import { clip, inlineCode, joinMd, md, message, safe, section, slackDate, type Mrkdwn } from '../../slack/blocks/mrkdwn.js';
import { auditActor, auditDetailWords, auditTypeWords, isUserId } from './audit-words.js';

export interface AuditLine {
  at: string;
  /** Slack user id, 'deckhand' or 'system'. */
  actor: string;
  /** What happened, e.g. 'proposal.approved', 'mode.changed'. */
  type: string;
  incidentId?: string;
  /** One line of detail, already redacted. */
  detail?: string;
}

/** `/k8s audit`: newest first, one line each; details masked and escaped. Pure. */
export function buildAuditMessage(input: { entries: AuditLine[]; incidentId?: string; limit: number }): SlackMessage {
  const scope = input.incidentId ? md`for incident ${inlineCode(input.incidentId)}` : md`(last ${input.limit})`;
  if (input.entries.length === 0) {
    const text = md`No audit entries ${scope}.`;
    return message(text, [section(text)]);
  }
  // People who acted (ids Slack gave us) may be named in other entries' summaries too.
  const people = new Set(input.entries.map((e) => e.actor).filter(isUserId));
  const lines = input.entries.map((e) => {
    const incident = e.incidentId && !input.incidentId ? md` ${inlineCode(e.incidentId)}` : md``;
    const detail = e.detail ? md` — ${clip(auditDetailWords(e.detail.replace(/\s*\n\s*/g, ' '), people), 300)}` : md``;
    return md`${slackDate(e.at)} ${auditActor(e.actor)} *${safe(auditTypeWords(e.type))}*${incident}${detail}`;
  });
  // Slack sections hold 3000 characters: spread the lines over as many as needed.
  const sections: Mrkdwn[][] = [[md`*Audit ${scope}*`]];
  let length = 0;
  for (const line of lines) {
    const current = sections.at(-1) ?? [];
    if (length + line.length + 1 > 2900) {
      sections.push([line]);
      length = line.length;
    } else {
      current.push(line);
      length += line.length + 1;
    }
  }
  return message(
    md`Audit ${scope}: ${input.entries.length} entries`,
    sections.slice(0, 45).map((s) => section(joinMd(s, '\n'))),
  );
}
