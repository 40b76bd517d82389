import type { ChannelMode } from '../../core/config/file.js';
import { IncidentStatus, incidentStatusLabels } from '../../core/incident.js';
import type { KnownBlock, SlackMessage } from '../../slack/messenger.js';
import { channelRef, clip, inlineCode, joinMd, md, mention, message, safe, section, slackDate, type Mrkdwn } from '../../slack/blocks/mrkdwn.js';

export interface StatusView {
  channel: string;
  mode: ChannelMode;
  /** 'runtime' when set by `/k8s mode`, 'config' when from deckhand.yaml (or the default). */
  modeSource: 'runtime' | 'config';
  paused: { global: boolean; clusters: string[] } | 'unknown';
  incidents: { id: string; title: string; severity: string; status: string; channel?: string; threadTs?: string }[] | 'unknown';
  pendingProposals: { id: string; summary: string; risk: string; incidentId: string }[] | 'unknown';
  breakers: { cluster: string; state: string; detail?: string; closesAt?: string }[] | 'unknown';
}

export const maxListed = 10;

const modeIcon: Record<ChannelMode, Mrkdwn> = { plan: md`:memo:`, approval: md`:raised_hand:`, yolo: md`:zap:` };

/** `/k8s status`. A part Deckhand could not read shows as "unknown", never as zero. Titles and details are made safe. Pure. */
export function buildStatusMessage(view: StatusView): SlackMessage {
  const lines: Mrkdwn[] = [];
  lines.push(md`*Mode in ${channelRef(view.channel)}:* ${modeIcon[view.mode]} ${inlineCode(view.mode)}${view.modeSource === 'runtime' ? md` (set with /k8s mode)` : md``}`);
  if (view.paused === 'unknown') lines.push(md`*Actions:* unknown (pause state unreadable)`);
  else if (view.paused.global) lines.push(md`*Actions:* :double_vertical_bar: paused everywhere`);
  else if (view.paused.clusters.length > 0) lines.push(md`*Actions:* :double_vertical_bar: paused on ${joinMd(view.paused.clusters.map(inlineCode), ', ')}`);
  else lines.push(md`*Actions:* :arrow_forward: running`);

  const blocks: KnownBlock[] = [section(joinMd(lines, '\n'))];
  blocks.push(listSection('Open incidents', listOf(view.incidents, (i) => md`${link(i)} ${inlineCode(i.id)} ${short(i.title)} — ${safe(i.severity)}, ${statusLabel(i.status)}`)));
  blocks.push(listSection('Pending proposals', listOf(view.pendingProposals, (p) => md`${inlineCode(p.id)} ${short(p.summary)} — risk ${safe(p.risk)} (incident ${inlineCode(p.incidentId)})`)));
  blocks.push(listSection('Circuit breakers', listOf(view.breakers, (b) => md`${inlineCode(b.cluster)}: ${safe(b.state)}${b.detail ? md` — ${short(b.detail)}` : md``}${b.closesAt ? md`; closes ${slackDate(b.closesAt)}` : md``}`)));
  const paused = view.paused === 'unknown' ? 'unknown' : view.paused.global ? 'yes' : view.paused.clusters.length > 0 ? view.paused.clusters.join(', ') : 'no';
  const text = md`Mode: ${safe(view.mode)} · Open incidents: ${safe(countOf(view.incidents))} · Pending proposals: ${safe(countOf(view.pendingProposals))} · Paused: ${safe(paused)}`;
  return message(text, blocks);
}

/** `/k8s mode` without an argument, and after a change. */
export function buildModeMessage(input: { channel: string; mode: ChannelMode; changedBy?: string; previous?: ChannelMode }): SlackMessage {
  const text =
    input.changedBy !== undefined
      ? md`${mention(input.changedBy)} set the mode of ${channelRef(input.channel)} to ${inlineCode(input.mode)}${input.previous ? md` (was ${inlineCode(input.previous)})` : md``}.`
      : md`The mode of ${channelRef(input.channel)} is ${inlineCode(input.mode)}. Change it with \`/k8s mode plan|approval|yolo\` (approvers only).`;
  return message(text, [section(md`${modeIcon[input.mode]} ${text}`)]);
}

/** `/k8s pause` / `resume` confirmation. */
export function buildPauseMessage(input: { paused: boolean; user: string; cluster?: string }): SlackMessage {
  const where = input.cluster ? md` on ${inlineCode(input.cluster)}` : md``;
  const text = input.paused
    ? md`:double_vertical_bar: ${mention(input.user)} paused all actions${where}. Nothing will run until \`/k8s resume\`.`
    : md`:arrow_forward: ${mention(input.user)} resumed actions${where}.`;
  return message(text, [section(text)]);
}

/** `/k8s clusters`: each configured cluster and whether it answered. */
export function buildClustersMessage(clusters: { name: string; ok: boolean; detail?: string }[]): SlackMessage {
  if (clusters.length === 0) return message(md`No clusters are configured.`, [section(md`No clusters are configured.`)]);
  const lines = clusters.map((c) => md`${c.ok ? md`:large_green_circle:` : md`:red_circle:`} ${inlineCode(c.name)} — ${c.ok ? md`reachable` : md`unreachable`}${c.detail ? md` (${short(c.detail)})` : md``}`);
  const text = joinMd(clusters.map((c) => md`${safe(c.name)}: ${c.ok ? md`reachable` : md`unreachable`}`), ', ');
  return message(text, [listSection('Clusters', { lines, more: 0 })]);
}

function listOf<T>(items: T[] | 'unknown', render: (item: T) => Mrkdwn): { lines: Mrkdwn[]; more: number } | 'unknown' {
  if (items === 'unknown') return 'unknown';
  return { lines: items.slice(0, maxListed).map(render), more: Math.max(0, items.length - maxListed) };
}

function listSection(title: string, list: { lines: Mrkdwn[]; more: number } | 'unknown'): KnownBlock {
  let body: Mrkdwn;
  if (list === 'unknown') body = md`_unknown: could not be read_`;
  else if (list.lines.length === 0) body = md`_none_`;
  else body = joinMd([...list.lines, ...(list.more > 0 ? [md`…and ${list.more} more`] : [])], '\n');
  return section(clip(md`*${safe(title)}*\n${body}`, 2900));
}

function countOf(items: unknown[] | 'unknown'): string {
  return items === 'unknown' ? 'unknown' : String(items.length);
}

function link(incident: { channel?: string; threadTs?: string }): Mrkdwn {
  return incident.channel && incident.threadTs ? channelRef(incident.channel) : md`•`;
}

/** The lifecycle status as the thread root shows it (icon and word). */
function statusLabel(status: string): Mrkdwn {
  const parsed = IncidentStatus.safeParse(status);
  if (!parsed.success) return safe(status);
  const label = incidentStatusLabels[parsed.data];
  return safe(`${label.icon} ${label.text.toLowerCase()}`);
}

function short(text: string): Mrkdwn {
  return clip(safe(text), 200);
}
