/**
 * Slack's limits and the bare mrkdwn escape. Builders do not call escapeMrkdwn themselves:
 * they use `safe()` and the block helpers of mrkdwn.ts, which also mask credentials.
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

/**
 * Escaping &, < and > is what Slack asks for: it turns `<!channel>`, `<@U123>` and
 * `<http://x|click>` into plain text, so nothing read from a log can ping people or make links.
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Cuts text to at most `max` characters, ending with an ellipsis when cut. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, Math.max(0, max - 1))}…`;
}
