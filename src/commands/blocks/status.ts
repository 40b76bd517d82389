import type { ChannelMode } from '../../core/config/file.js';
import type { KnownBlock, SlackMessage } from '../../slack/messenger.js';

export interface StatusView {
  channel: string;
  mode: ChannelMode;
  /** 'runtime' when set by `/k8s mode`, 'config' when from deckhand.yaml (or the default). */
  modeSource: 'runtime' | 'config';
  paused: { global: boolean; clusters: string[] } | 'unknown';
  incidents: { id: string; title: string; severity: string; status: string; channel?: string; threadTs?: string }[] | 'unknown';
  pendingProposals: { id: string; summary: string; risk: string; incidentId: string }[] | 'unknown';
  breakers: { cluster: string; state: string; detail?: string }[] | 'unknown';
}

export const maxListed = 10;

const modeIcon: Record<ChannelMode, string> = { plan: ':memo:', approval: ':raised_hand:', yolo: ':zap:' };

/** `/k8s status`. A part Deckhand could not read shows as "unknown", never as zero. Pure. */
export function buildStatusMessage(view: StatusView): SlackMessage {
  const lines: string[] = [];
  lines.push(`*Mode in <#${view.channel}>:* ${modeIcon[view.mode]} \`${view.mode}\`${view.modeSource === 'runtime' ? ' (set with /k8s mode)' : ''}`);
  if (view.paused === 'unknown') lines.push('*Actions:* unknown (pause state unreadable)');
  else if (view.paused.global) lines.push('*Actions:* :double_vertical_bar: paused everywhere');
  else if (view.paused.clusters.length > 0) lines.push(`*Actions:* :double_vertical_bar: paused on ${view.paused.clusters.map((c) => `\`${c}\``).join(', ')}`);
  else lines.push('*Actions:* :arrow_forward: running');

  const blocks: KnownBlock[] = [{ type: 'section', text: { type: 'mrkdwn', text: lines.join('\n') } }];
  blocks.push(section('Open incidents', listOf(view.incidents, (i) => `${link(i)} \`${i.id}\` ${escape(i.title)} — ${i.severity}, ${i.status}`)));
  blocks.push(section('Pending proposals', listOf(view.pendingProposals, (p) => `\`${p.id}\` ${escape(p.summary)} — risk ${p.risk} (incident \`${p.incidentId}\`)`)));
  blocks.push(section('Circuit breakers', listOf(view.breakers, (b) => `\`${b.cluster}\`: ${b.state}${b.detail ? ` — ${escape(b.detail)}` : ''}`)));
  const text = [
    `Mode: ${view.mode}`,
    `Open incidents: ${countOf(view.incidents)}`,
    `Pending proposals: ${countOf(view.pendingProposals)}`,
    `Paused: ${view.paused === 'unknown' ? 'unknown' : view.paused.global ? 'yes' : view.paused.clusters.length > 0 ? view.paused.clusters.join(', ') : 'no'}`,
  ].join(' · ');
  return { text, blocks };
}

/** `/k8s mode` without an argument, and after a change. */
export function buildModeMessage(input: { channel: string; mode: ChannelMode; changedBy?: string; previous?: ChannelMode }): SlackMessage {
  const text =
    input.changedBy !== undefined
      ? `<@${input.changedBy}> set the mode of <#${input.channel}> to \`${input.mode}\`${input.previous ? ` (was \`${input.previous}\`)` : ''}.`
      : `The mode of <#${input.channel}> is \`${input.mode}\`. Change it with \`/k8s mode plan|approval|yolo\` (approvers only).`;
  return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text: `${modeIcon[input.mode]} ${text}` } }] };
}

/** `/k8s pause` / `resume` confirmation. */
export function buildPauseMessage(input: { paused: boolean; user: string; cluster?: string }): SlackMessage {
  const where = input.cluster ? ` on \`${input.cluster}\`` : '';
  const text = input.paused
    ? `:double_vertical_bar: <@${input.user}> paused all actions${where}. Nothing will run until \`/k8s resume\`.`
    : `:arrow_forward: <@${input.user}> resumed actions${where}.`;
  return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
}

/** `/k8s clusters`: each configured cluster and whether it answered. */
export function buildClustersMessage(clusters: { name: string; ok: boolean; detail?: string }[]): SlackMessage {
  if (clusters.length === 0) return { text: 'No clusters are configured.', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'No clusters are configured.' } }] };
  const lines = clusters.map((c) => `${c.ok ? ':large_green_circle:' : ':red_circle:'} \`${c.name}\` — ${c.ok ? 'reachable' : 'unreachable'}${c.detail ? ` (${escape(c.detail)})` : ''}`);
  const text = clusters.map((c) => `${c.name}: ${c.ok ? 'reachable' : 'unreachable'}`).join(', ');
  return { text, blocks: [section('Clusters', { lines, more: 0 })] };
}

function listOf<T>(items: T[] | 'unknown', render: (item: T) => string): { lines: string[]; more: number } | 'unknown' {
  if (items === 'unknown') return 'unknown';
  return { lines: items.slice(0, maxListed).map(render), more: Math.max(0, items.length - maxListed) };
}

function section(title: string, list: { lines: string[]; more: number } | 'unknown'): KnownBlock {
  let body: string;
  if (list === 'unknown') body = '_unknown: could not be read_';
  else if (list.lines.length === 0) body = '_none_';
  else body = [...list.lines, ...(list.more > 0 ? [`…and ${list.more} more`] : [])].join('\n');
  const text = `*${title}*\n${body}`;
  return { type: 'section', text: { type: 'mrkdwn', text: text.length > 2900 ? `${text.slice(0, 2899)}…` : text } };
}

function countOf(items: unknown[] | 'unknown'): string {
  return items === 'unknown' ? 'unknown' : String(items.length);
}

function link(incident: { channel?: string; threadTs?: string }): string {
  return incident.channel && incident.threadTs ? `<#${incident.channel}>` : '•';
}

function escape(text: string): string {
  const t = text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return t.length > 200 ? `${t.slice(0, 199)}…` : t;
}
