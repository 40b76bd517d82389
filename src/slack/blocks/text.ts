/**
 * Shared mrkdwn helpers for text that comes from a cluster or a model. Escaping &, < and >
 * is what Slack asks for: it turns `<!channel>`, `<@U123>` and `<http://x|click>` into plain
 * text, so nothing read from a log can ping people or make links.
 */

/** Slack limits (Block Kit reference). */
export const slackLimits = {
  blocksPerMessage: 50,
  sectionText: 3000,
  headerText: 150,
  contextElementText: 2000,
  buttonValue: 2000,
  buttonText: 75,
  /** chat.postMessage `text` is truncated by Slack beyond 40k; keep fallback short. */
  fallbackText: 3000,
} as const;

export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Cuts text to at most `max` characters, ending with an ellipsis when cut. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, Math.max(0, max - 1))}…`;
}

/** Inline code with escaped content; backticks inside would end the span, so they become quotes. */
export function inlineCode(text: string): string {
  return `\`${escapeMrkdwn(text).replace(/`/g, "'")}\``;
}

/** A code block whose content cannot close it early. `max` bounds the whole result. */
export function codeBlock(text: string, max: number = slackLimits.sectionText): string {
  const body = escapeMrkdwn(text).replace(/```/g, "'''");
  return `\`\`\`${truncate(body, max - 6)}\`\`\``;
}

/**
 * Splits text into chunks of at most `max` characters, preferring line breaks, then spaces,
 * so each chunk fits one section (or one follow-up message).
 */
export function splitForSlack(text: string, max: number = slackLimits.sectionText): string[] {
  if (max < 1) throw new Error('max must be positive');
  const chunks: string[] = [];
  let rest = text;
  while (rest.length > max) {
    let cut = rest.lastIndexOf('\n', max);
    if (cut < max / 2) cut = rest.lastIndexOf(' ', max);
    if (cut < max / 2) cut = max;
    chunks.push(rest.slice(0, cut));
    rest = rest.slice(cut).replace(/^[\n ]/, '');
  }
  if (rest.length > 0 || chunks.length === 0) chunks.push(rest);
  return chunks;
}
