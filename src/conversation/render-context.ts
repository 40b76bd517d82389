import type { Incident } from '../core/incident.js';
import { truncateBytes, type ThreadContext, type Turn } from './context-store.js';

/** Default cap on the context text handed to the model with each question. */
export const defaultContextBytes = 12_000;

function describeTarget(target: Incident['target']): string {
  const parts = Object.entries(target)
    .filter(([, v]) => typeof v === 'string' && v.length > 0)
    .map(([k, v]) => `${k}=${String(v)}`);
  return parts.length > 0 ? parts.join(', ') : 'unknown';
}

function shortTurn(turn: Turn): string {
  return `${turn.role === 'user' ? 'user' : 'you'}: ${truncateBytes(turn.text.replace(/\s+/g, ' '), 100)}`;
}

/**
 * The conversation's context as plain text for the model: the incident, what happened in
 * the thread (findings, proposals, decisions), one summary line for older turns, and the
 * recent turns verbatim. When over `maxBytes`, the oldest events go first, then the oldest
 * turns: the incident header and the newest exchange are what matter most.
 */
export function renderContext(context: ThreadContext, incident: Incident | undefined, maxBytes = defaultContextBytes): string {
  const header: string[] = [];
  if (incident) {
    header.push(
      `Incident ${incident.id}: ${incident.title}`,
      `severity ${incident.severity}, status ${incident.status}, source ${incident.source}`,
      `target: ${describeTarget(incident.target)}`,
    );
    if (incident.members.length > 0) {
      header.push(`alerts: ${incident.members.slice(0, 5).map((m) => `${m.name} (${m.status})`).join('; ')}`);
    }
  } else if (context.incidentId) {
    header.push(`Incident ${context.incidentId}`);
  } else {
    header.push('No incident: an ad-hoc question.');
  }
  if (context.cluster || context.namespace) {
    header.push(`scope: cluster ${context.cluster ?? 'default'}, namespace ${context.namespace ?? 'any'}`);
  }

  const events = context.events.map((e) => `- [${e.kind}] ${e.summary}${refsOf(e.refs)}`);
  const summary =
    context.foldedCount > 0
      ? `Earlier in this thread (${context.foldedCount} older turns, summarised): ${context.folded.map(shortTurn).join(' | ')}`
      : undefined;
  const turns = context.turns.map((t) => `${t.role === 'user' ? `User${t.user ? ` <@${t.user}>` : ''}` : 'Deckhand'}: ${t.text}`);

  const build = (ev: string[], tu: string[]): string =>
    [
      '## Incident',
      ...header,
      ...(ev.length > 0 ? ['', '## Thread so far (findings, proposals, decisions)', ...ev] : []),
      ...(summary ? ['', summary] : []),
      ...(tu.length > 0 ? ['', '## Recent conversation', ...tu] : []),
    ].join('\n');

  let ev = events;
  let tu = turns;
  let text = build(ev, tu);
  while (Buffer.byteLength(text, 'utf8') > maxBytes && (ev.length > 0 || tu.length > 1)) {
    if (ev.length > 0) ev = ev.slice(1);
    else tu = tu.slice(1);
    text = build(ev, tu);
  }
  return truncateBytes(text, maxBytes);
}

function refsOf(refs: Record<string, string>): string {
  const entries = Object.entries(refs);
  return entries.length > 0 ? ` (${entries.map(([k, v]) => `${k} ${v}`).join(', ')})` : '';
}
