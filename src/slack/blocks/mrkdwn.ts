import { redactText } from '../../shared/redact.js';
import type { KnownBlock, SlackMessage } from '../messenger.js';
import { escapeMrkdwn, slackLimits, truncate } from './text.js';

/**
 * The one rule for text that reaches Slack: every string from outside (alert fields, URLs,
 * questions, cluster text, model text) is masked for credentials and escaped for mrkdwn
 * before it becomes a section, a context line, a field or a message's fallback `text`.
 *
 * `Mrkdwn` is that rule as a type. Only this file makes one: `safe()` masks and escapes
 * outside text; `md` joins our own literal markup with values that are already `Mrkdwn`
 * (a plain string does not type-check there); `mention`, `channelRef`, `link`, `slackDate`,
 * `inlineCode` and `codeBlock` make the only markup Deckhand itself emits. The block helpers
 * below take `Mrkdwn` only, so a builder cannot hand Slack a raw string by forgetting.
 */
declare const mrkdwnBrand: unique symbol;
export type Mrkdwn = string & { readonly [mrkdwnBrand]: true };

const trusted = (text: string) => text as Mrkdwn;

/** Outside text as mrkdwn: credentials masked, then `&`, `<`, `>` escaped (no pings, no links). */
export function safe(text: string): Mrkdwn {
  return trusted(escapeMrkdwn(redactText(text)));
}

/**
 * Plain text (headers): Slack does not format plain_text, but it is masked, and `<` / `>`
 * become look-alikes so that no `<!channel>` reaches Slack in any form.
 */
export function safePlain(text: string, max: number): string {
  return truncate(redactText(text).replace(/</g, '‹').replace(/>/g, '›'), max);
}

/**
 * Our own markup with safe parts: md`*Why:* ${safe(rationale)}`. The literal parts are
 * written by us; each value must already be Mrkdwn (or a number).
 */
export function md(literals: TemplateStringsArray, ...values: readonly (Mrkdwn | number)[]): Mrkdwn {
  let out = literals[0] ?? '';
  values.forEach((value, i) => {
    out += String(value) + (literals[i + 1] ?? '');
  });
  return trusted(out);
}

/** Joins safe parts with a literal separator. */
export function joinMd(parts: readonly Mrkdwn[], separator: string): Mrkdwn {
  return trusted(parts.join(separator));
}

const userId = /^[UWB][A-Z0-9]{1,30}$/;
const channelId = /^[CGD][A-Z0-9]{1,30}$/;

/** `<@U…>` for a real user id; anything else is shown as escaped text and pings nobody. */
export function mention(user: string): Mrkdwn {
  return userId.test(user) ? trusted(`<@${user}>`) : safe(user);
}

/** `<#C…>` for a real channel id; anything else as escaped text. */
export function channelRef(channel: string): Mrkdwn {
  return channelId.test(channel) ? trusted(`<#${channel}>`) : safe(channel);
}

/**
 * The one way Deckhand writes a moment in Slack: a date token Slack shows in the reader's time
 * zone — "today at 5:23 AM", "Dec 1, 2026 at 11:02 PM" — falling back to the ISO time. It reads
 * as a complete phrase, so write "Approved by X ${slackDate(at)}", never "at ${slackDate(at)}".
 */
export function slackDate(iso: string, format = '{date_short_pretty} at {time}'): Mrkdwn {
  const seconds = Math.floor(Date.parse(iso) / 1000);
  return Number.isFinite(seconds) ? trusted(`<!date^${seconds}^${format}|${new Date(seconds * 1000).toISOString()}>`) : safe(iso);
}

/**
 * A URL that may become a link: http(s) only, parseable, and free of what would end or split
 * Slack's `<url|title>` syntax (`|`, `<`, `>`), whitespace and control characters; and with
 * no credential in it (a masked URL would not work anyway).
 */
export function isLinkableUrl(url: string): boolean {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  if (!/^https?:\/\//i.test(url) || /[|<>\s\u0000-\u001f\u007f-\u009f]/.test(url)) return false;
  if (redactText(url) !== url) return false;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:';
  } catch {
    return false;
  }
}

/** `<url|title>` for a linkable URL; otherwise the title alone, saying the link was withheld. */
export function link(url: string, title: string): Mrkdwn {
  const label = title.trim() === '' ? 'link' : title;
  if (!isLinkableUrl(url)) return md`${safe(label)} (link withheld: not a plain http(s) URL)`;
  return trusted(`<${url.replace(/&/g, '&amp;')}|${safe(label.replace(/\|/g, '/'))}>`);
}

/** Inline code of outside text: masked and escaped; backticks inside become quotes. */
export function inlineCode(text: string): Mrkdwn {
  return trusted(`\`${safe(text).replace(/`/g, "'")}\``);
}

/** A code block of outside text that cannot close early. `max` bounds the whole result. */
export function codeBlock(text: string, max: number = slackLimits.sectionText): Mrkdwn {
  const body = clip(trusted(safe(text).replace(/```/g, "'''")), max - 6);
  return trusted(`\`\`\`${body}\`\`\``);
}

/**
 * Cuts mrkdwn to at most `max` characters without leaving half an entity (`&am`) or half of
 * one of our `<…>` tokens behind.
 */
export function clip(text: Mrkdwn, max: number): Mrkdwn {
  if (text.length <= max) return text;
  let cut = text.slice(0, Math.max(0, max - 1));
  const open = cut.lastIndexOf('<');
  if (open > cut.lastIndexOf('>')) cut = cut.slice(0, open);
  const amp = cut.lastIndexOf('&');
  if (amp >= 0 && amp > cut.lastIndexOf(';') && cut.length - amp < 6) cut = cut.slice(0, amp);
  return trusted(`${cut}…`);
}

/**
 * Splits mrkdwn into chunks of at most `max` characters (line breaks first, then spaces),
 * each still safe: a split never starts or ends inside an entity or one of our tokens.
 */
export function splitMd(text: Mrkdwn, max: number = slackLimits.sectionText): Mrkdwn[] {
  if (max < 8) throw new Error('max must be at least 8');
  const chunks: Mrkdwn[] = [];
  let rest: string = text;
  while (rest.length > max) {
    let cut = rest.lastIndexOf('\n', max);
    if (cut < max / 2) cut = rest.lastIndexOf(' ', max);
    if (cut < max / 2) cut = safeCut(rest, max);
    chunks.push(trusted(rest.slice(0, cut)));
    rest = rest.slice(cut).replace(/^[\n ]/, '');
  }
  if (rest.length > 0 || chunks.length === 0) chunks.push(trusted(rest));
  return chunks;
}

/**
 * Splits mrkdwn into pieces of at most `max` characters, at paragraph or line ends when it
 * can, closing and reopening a ``` code fence that a cut would leave open.
 */
export function splitFenced(text: Mrkdwn, max: number): Mrkdwn[] {
  const pieces: Mrkdwn[] = [];
  let rest: string = text;
  let reopen = false;
  while (rest.length > 0) {
    const prefix: string = reopen ? '```\n' : '';
    const budget = max - prefix.length - 4;
    if (prefix.length + rest.length <= max) {
      pieces.push(trusted(prefix + rest));
      break;
    }
    let cut = rest.lastIndexOf('\n\n', budget);
    if (cut < budget / 2) cut = rest.lastIndexOf('\n', budget);
    if (cut < budget / 2) cut = safeCut(rest, budget);
    let piece: string = prefix + rest.slice(0, cut);
    rest = rest.slice(cut).replace(/^\n+/, '');
    const open: boolean = (piece.match(/```/g)?.length ?? 0) % 2 === 1;
    if (open) piece += '\n```';
    reopen = open;
    pieces.push(trusted(piece));
  }
  return pieces.length > 0 ? pieces : [trusted('')];
}

/** Lines of safe text (a line of safe text is safe). */
export function splitLines(text: Mrkdwn): Mrkdwn[] {
  return text.split('\n').map(trusted);
}

/** A hard cut at or before `max` that does not split `&amp;` or `<…>`. */
function safeCut(text: string, max: number): number {
  const head = text.slice(0, max);
  const open = head.lastIndexOf('<');
  if (open > head.lastIndexOf('>') && open > 0) return open;
  const amp = head.lastIndexOf('&');
  if (amp > head.lastIndexOf(';') && max - amp < 6 && amp > 0) return amp;
  return max;
}

// ---- Blocks: the only places a mrkdwn text object is made. ----

export function section(text: Mrkdwn): KnownBlock {
  return { type: 'section', text: { type: 'mrkdwn', text: clip(text, slackLimits.sectionText) } };
}

/** A section of up to 10 two-column fields. */
export function fieldsSection(fields: readonly Mrkdwn[]): KnownBlock {
  return { type: 'section', fields: fields.slice(0, 10).map((text) => ({ type: 'mrkdwn' as const, text: clip(text, slackLimits.contextElementText) })) };
}

/** A small grey line (up to 10 elements). */
export function contextBlock(...elements: readonly Mrkdwn[]): KnownBlock {
  return { type: 'context', elements: elements.slice(0, 10).map((text) => ({ type: 'mrkdwn' as const, text: clip(text, slackLimits.contextElementText) })) };
}

/** A header of outside text: masked (headers are plain text, which Slack does not format). */
export function header(text: string): KnownBlock {
  return { type: 'header', text: { type: 'plain_text', text: safePlain(text, slackLimits.headerText), emoji: true } };
}

/** A message: fallback `text` (also mrkdwn to Slack's notifications) plus blocks. */
export function message(text: Mrkdwn, blocks?: KnownBlock[]): SlackMessage {
  const fallback = clip(text, slackLimits.fallbackText);
  return blocks === undefined ? { text: fallback } : { text: fallback, blocks };
}
