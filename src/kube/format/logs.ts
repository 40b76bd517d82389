import type { LogResult } from '../reader.js';
import { boundTail } from './bound.js';

// CSI sequences (colours, cursor moves) and OSC sequences (titles, hyperlinks).
// eslint-disable-next-line no-control-regex -- matching escape characters is the point
const ansiPattern = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|\u001b[@-Z\\-_]/g;

export function stripAnsi(text: string): string {
  return text.replace(ansiPattern, '');
}

/** Folds runs of identical consecutive lines into one line plus "… (repeated N times)". */
export function foldRepeatedLines(lines: readonly string[]): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i] ?? '';
    let j = i + 1;
    while (j < lines.length && lines[j] === line) j++;
    out.push(line);
    if (j - i > 1) out.push(`… (repeated ${j - i} times)`);
    i = j;
  }
  return out;
}

export interface FormatLogsOptions {
  /** Hard bound of the returned text in UTF-8 bytes; the newest lines are kept. */
  maxBytes: number;
  /** Label for the header, e.g. "shop/checkout-x1 container checkout (previous)". */
  label?: string;
}

/**
 * Log text for a model or a Slack message: ANSI stripped, repeated lines folded, newest
 * kept when it must be cut, the cut marked. A log the kubelet refuses (e.g. a container
 * waiting on its image) comes back as that message: it is evidence too.
 */
export function formatLogs(result: LogResult, options: FormatLogsOptions): string {
  const label = options.label ? ` ${options.label}` : '';
  if (!result.ok) return `logs${label}: unavailable: ${result.message}`;
  const lines = stripAnsi(result.text).replace(/\r\n?/g, '\n').split('\n');
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  if (lines.length === 0) return `logs${label}: (empty)`;
  const header = `logs${label}${result.truncated ? ' (older lines cut by the reader)' : ''}:`;
  const body = foldRepeatedLines(lines).join('\n');
  const budget = Math.max(0, options.maxBytes - Buffer.byteLength(header, 'utf8') - 1);
  return `${header}\n${boundTailBytes(body, budget)}`;
}

function boundTailBytes(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text, 'utf8') <= maxBytes) return text;
  // boundTail works in chars; shrink until the UTF-8 size fits (multi-byte text needs more than one pass).
  let chars = maxBytes;
  let out = boundTail(text, chars);
  while (Buffer.byteLength(out, 'utf8') > maxBytes && chars > 0) {
    chars = Math.floor(chars * 0.9);
    out = boundTail(text, chars);
  }
  return out;
}
