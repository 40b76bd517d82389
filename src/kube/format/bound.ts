/** Default hard bound of one formatted block, in characters. */
export const defaultMaxChars = 4000;

export interface BoundOptions {
  /** Hard upper bound of the returned text, in characters (truncation marker included). */
  maxChars?: number;
}

/**
 * Keeps the head of `text` within `maxChars`, cutting at a line end when it can and
 * saying what was cut, so the model knows the view is partial.
 */
export function boundHead(text: string, maxChars: number = defaultMaxChars): string {
  if (text.length <= maxChars) return text;
  const marker = (cut: number) => `\n… [truncated: ${cut} more chars]`;
  const budget = Math.max(0, maxChars - marker(text.length).length);
  let head = text.slice(0, budget);
  const lineEnd = head.lastIndexOf('\n');
  if (lineEnd > budget / 2) head = head.slice(0, lineEnd);
  return `${head}${marker(text.length - head.length)}`.slice(0, maxChars);
}

/** Same, keeping the tail (newest log lines, for instance). */
export function boundTail(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  const marker = (cut: number) => `… [truncated: ${cut} earlier chars]\n`;
  const budget = Math.max(0, maxChars - marker(text.length).length);
  let tail = text.slice(text.length - budget);
  const lineStart = tail.indexOf('\n');
  if (lineStart >= 0 && lineStart < budget / 2) tail = tail.slice(lineStart + 1);
  const out = `${marker(text.length - tail.length)}${tail}`;
  return out.length <= maxChars ? out : out.slice(out.length - maxChars);
}

/** One line, no longer than `max` characters: for messages that may be huge. */
export function clip(text: string, max: number): string {
  const flat = text.replace(/\s*\n\s*/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, Math.max(0, max - 1))}…`;
}
