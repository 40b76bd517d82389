import { type Incident, incidentStatusLabels, isClosedStatus } from '../../core/incident.js';
import type { Severity } from '../../core/vocabulary.js';
import type { KnownBlock, SlackMessage } from '../../slack/messenger.js';
import { clip, contextBlock, fieldsSection, header, inlineCode, joinMd, link, md, message, safe, section, type Mrkdwn } from '../../slack/blocks/mrkdwn.js';

/** Members listed in the root before "+N more"; Slack caps a section's text at 3000 chars. */
export const maxListedMembers = 15;

const severityBadge: Record<Severity, string> = {
  critical: ':red_circle: CRITICAL',
  high: ':large_orange_circle: HIGH',
  warning: ':large_yellow_circle: WARNING',
  info: ':large_blue_circle: INFO',
};


/**
 * The incident's thread root: header with severity and title, the facts (status, service,
 * cluster / namespace / workload), links to the source and, for Alertmanager groups, the
 * member alerts (with "+N truncated" when Alertmanager dropped some). Every alert field is
 * masked and escaped; a source URL becomes a link only when it is a plain http(s) URL. Pure.
 */
export function buildIncidentRootMessage(incident: Incident): SlackMessage {
  const blocks: KnownBlock[] = [
    header(`${isClosedStatus(incident.status) ? `[${incident.status.toUpperCase()}] ` : ''}${incident.title}`),
    fieldsSection(factsOf(incident).map(([label, value]) => md`*${safe(label)}*\n${value}`)),
  ];
  const members = memberListOf(incident);
  if (members) blocks.push(section(members));
  const links = incident.links.map((l) => link(l.url, l.title));
  const origin = md`${safe(incident.source === 'pagerduty' ? 'PagerDuty' : 'Alertmanager')} · incident ${inlineCode(incident.id)}`;
  blocks.push(contextBlock(joinMd([origin, ...links], ' · ')));
  return message(fallbackTextOf(incident), blocks);
}

function fallbackTextOf(incident: Incident): Mrkdwn {
  return md`[${safe(incident.severity.toUpperCase())}] ${safe(incident.title)} — ${safe(incident.status)}`;
}

/**
 * The root as plain text only, for when Slack refuses the Block Kit root for its content:
 * the incident still gets its thread, and its title, severity, status and id.
 */
export function buildMinimalIncidentRootMessage(incident: Incident): SlackMessage {
  const title = clip(safe(incident.title.replace(/\s+/g, ' ').trim() || 'Untitled alert'), 300);
  return message(md`[${safe(incident.severity.toUpperCase())}] ${title} — ${safe(incident.status)} · incident ${inlineCode(incident.id)}`);
}

function factsOf(incident: Incident): [string, Mrkdwn][] {
  const t = incident.target;
  const facts: [string, Mrkdwn][] = [
    ['Severity', safe(severityBadge[incident.severity])],
    ['Status', safe(`${incidentStatusLabels[incident.status].icon} ${incidentStatusLabels[incident.status].text}`)],
  ];
  if (incident.service) facts.push(['Service', safe(incident.service.name)]);
  if (t.cluster) facts.push(['Cluster', inlineCode(t.cluster)]);
  if (t.namespace) facts.push(['Namespace', inlineCode(t.namespace)]);
  const workload = workloadOf(incident);
  if (workload) facts.push(['Workload', inlineCode(workload)]);
  if (t.pod) facts.push(['Pod', inlineCode(t.pod)]);
  if (t.node) facts.push(['Node', inlineCode(t.node)]);
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

function memberListOf(incident: Incident): Mrkdwn | undefined {
  if (incident.members.length === 0 && incident.truncatedAlerts === 0) return undefined;
  const firing = incident.members.filter((m) => m.status === 'firing').length;
  const lines = [md`*Alerts* (${firing} firing, ${incident.members.length - firing} resolved)`];
  for (const member of incident.members.slice(0, maxListedMembers)) {
    const icon = safe(member.status === 'firing' ? ':fire:' : ':white_check_mark:');
    const where = [member.labels.namespace, member.labels.pod ?? member.labels.deployment ?? member.labels.node].filter(Boolean).join('/');
    const line = md`${icon} *${safe(member.name)}*${where ? md` ${inlineCode(where)}` : safe('')}${member.summary ? md` — ${safe(member.summary)}` : safe('')}`;
    lines.push(clip(line, 180));
  }
  const hidden = incident.members.length - maxListedMembers;
  if (hidden > 0) lines.push(md`+${hidden} more`);
  if (incident.truncatedAlerts > 0) lines.push(md`+${incident.truncatedAlerts} truncated by Alertmanager`);
  return clip(joinMd(lines, '\n'), 3000);
}
