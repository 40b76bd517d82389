import type { SlackMessage } from '../../slack/messenger.js';
import { clip, inlineCode, joinMd, md, mention, message, safe, section, type Mrkdwn } from '../../slack/blocks/mrkdwn.js';

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
  const lines = input.entries.map((e) => {
    const who = /^[UW][A-Z0-9]+$/.test(e.actor) ? mention(e.actor) : safe(e.actor);
    const incident = e.incidentId && !input.incidentId ? md` ${inlineCode(e.incidentId)}` : md``;
    const detail = e.detail ? md` — ${clip(safe(e.detail.replace(/\s*\n\s*/g, ' ')), 300)}` : md``;
    return md`${inlineCode(e.at.replace(/\.\d{3}Z$/, 'Z'))} ${who} *${safe(e.type)}*${incident}${detail}`;
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
