import type { SlackMessage } from '../../slack/messenger.js';

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

/** `/k8s audit`: newest first, one line each. Pure. */
export function buildAuditMessage(input: { entries: AuditLine[]; incidentId?: string; limit: number }): SlackMessage {
  const scope = input.incidentId ? `for incident \`${input.incidentId}\`` : `(last ${input.limit})`;
  if (input.entries.length === 0) {
    const text = `No audit entries ${scope}.`;
    return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
  }
  const lines = input.entries.map((e) => {
    const who = /^[UW][A-Z0-9]+$/.test(e.actor) ? `<@${e.actor}>` : e.actor;
    const incident = e.incidentId && !input.incidentId ? ` \`${e.incidentId}\`` : '';
    return `\`${e.at.replace(/\.\d{3}Z$/, 'Z')}\` ${who} *${e.type}*${incident}${e.detail ? ` — ${escape(e.detail)}` : ''}`;
  });
  // Slack sections hold 3000 characters: spread the lines over as many as needed.
  const sections: string[] = [];
  let current = `*Audit ${scope}*`;
  for (const line of lines) {
    if (current.length + line.length + 1 > 2900) {
      sections.push(current);
      current = line;
    } else current += `\n${line}`;
  }
  sections.push(current);
  return {
    text: `Audit ${scope}: ${input.entries.length} entries`,
    blocks: sections.slice(0, 45).map((text) => ({ type: 'section', text: { type: 'mrkdwn', text } })),
  };
}

function escape(text: string): string {
  const t = text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\s*\n\s*/g, ' ');
  return t.length > 300 ? `${t.slice(0, 299)}…` : t;
}
