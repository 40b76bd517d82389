import type { Incident, IncidentStatus, Severity } from '../../incidents/model.js';
import type { KnownBlock, SlackMessage } from '../messenger.js';

/** Members listed in the root before "+N more"; Slack caps a section's text at 3000 chars. */
export const maxListedMembers = 15;

const severityBadge: Record<Severity, string> = {
  critical: ':red_circle: CRITICAL',
  high: ':large_orange_circle: HIGH',
  warning: ':large_yellow_circle: WARNING',
  info: ':large_blue_circle: INFO',
};

const statusText: Record<IncidentStatus, string> = {
  triggered: ':rotating_light: Triggered',
  acknowledged: ':eyes: Acknowledged',
  resolved: ':white_check_mark: Resolved',
};

/**
 * The incident's thread root: header with severity and title, the facts (status, service,
 * cluster / namespace / workload), links to the source and, for Alertmanager groups, the
 * member alerts (with "+N truncated" when Alertmanager dropped some). Pure.
 */
export function buildIncidentRootMessage(incident: Incident): SlackMessage {
  const blocks: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: clip(`${incident.status === 'resolved' ? '[RESOLVED] ' : ''}${incident.title}`, 150), emoji: true } },
    { type: 'section', fields: factsOf(incident).map(([label, value]) => ({ type: 'mrkdwn', text: clip(`*${label}*\n${value}`, 2000) })) },
  ];
  const members = memberListOf(incident);
  if (members) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: members } });
  const links = incident.links.filter((l) => /^https?:\/\//.test(l.url)).map((l) => `<${l.url}|${escape(l.title)}>`);
  const context = [`${incident.source === 'pagerduty' ? 'PagerDuty' : 'Alertmanager'} · incident \`${incident.id}\``, ...links].join(' · ');
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: clip(context, 3000) }] });
  return { text: fallbackTextOf(incident), blocks };
}

function fallbackTextOf(incident: Incident): string {
  return clip(`[${incident.severity.toUpperCase()}] ${escape(incident.title)} — ${incident.status}`, 3000);
}

/**
 * The root as plain text only, for when Slack refuses the Block Kit root for its content:
 * the incident still gets its thread, and its title, severity, status and id.
 */
export function buildMinimalIncidentRootMessage(incident: Incident): SlackMessage {
  const title = clip(escape(incident.title.replace(/\s+/g, ' ').trim()), 300) || 'Untitled alert';
  return { text: `[${incident.severity.toUpperCase()}] ${title} — ${incident.status} · incident \`${incident.id}\`` };
}

function factsOf(incident: Incident): [string, string][] {
  const t = incident.target;
  const facts: [string, string][] = [
    ['Severity', severityBadge[incident.severity]],
    ['Status', statusText[incident.status]],
  ];
  if (incident.service) facts.push(['Service', escape(incident.service.name)]);
  if (t.cluster) facts.push(['Cluster', code(t.cluster)]);
  if (t.namespace) facts.push(['Namespace', code(t.namespace)]);
  const workload = workloadOf(incident);
  if (workload) facts.push(['Workload', code(workload)]);
  if (t.pod) facts.push(['Pod', code(t.pod)]);
  if (t.node) facts.push(['Node', code(t.node)]);
  // Slack allows at most 10 fields in a section.
  return facts.slice(0, 10);
}

function workloadOf(incident: Incident): string | undefined {
  const t = incident.target;
  if (t.deployment) return `deployment/${t.deployment}`;
  if (t.statefulset) return `statefulset/${t.statefulset}`;
  if (t.daemonset) return `daemonset/${t.daemonset}`;
  return undefined;
}

function memberListOf(incident: Incident): string | undefined {
  if (incident.members.length === 0 && incident.truncatedAlerts === 0) return undefined;
  const firing = incident.members.filter((m) => m.status === 'firing').length;
  const lines = [`*Alerts* (${firing} firing, ${incident.members.length - firing} resolved)`];
  for (const member of incident.members.slice(0, maxListedMembers)) {
    const icon = member.status === 'firing' ? ':fire:' : ':white_check_mark:';
    const where = [member.labels.namespace, member.labels.pod ?? member.labels.deployment ?? member.labels.node].filter(Boolean).join('/');
    const line = `${icon} *${escape(member.name)}*${where ? ` ${code(where)}` : ''}${member.summary ? ` — ${escape(member.summary)}` : ''}`;
    lines.push(clip(line, 180));
  }
  const hidden = incident.members.length - maxListedMembers;
  if (hidden > 0) lines.push(`+${hidden} more`);
  if (incident.truncatedAlerts > 0) lines.push(`+${incident.truncatedAlerts} truncated by Alertmanager`);
  return clip(lines.join('\n'), 3000);
}

function code(s: string): string {
  return `\`${escape(s).replaceAll('`', "'")}\``;
}

/** Slack mrkdwn control characters (https://api.slack.com/reference/surfaces/formatting#escaping). */
function escape(s: string): string {
  return s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

function clip(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}
