import type { RecordedCall, SlackSandbox } from '../../sandbox/slack/index.js';
import { waitFor } from '../../sandbox/shared/wait.js';

/**
 * Finds Web API calls the bot made to the Slack sandbox, by when the sandbox received them
 * (`at`, this process's clock). Scans only calls not yet looked at past `from`.
 */
export function findCall(slack: SlackSandbox, match: (call: RecordedCall) => boolean, from = 0): RecordedCall | undefined {
  for (let i = from; i < slack.calls.length; i++) {
    const call = slack.calls[i]!;
    if (call.ok && match(call)) return call;
  }
  return undefined;
}

export function waitForCall(slack: SlackSandbox, match: (call: RecordedCall) => boolean, options: { from?: number; timeoutMs?: number; what: string }): Promise<RecordedCall> {
  return waitFor(() => findCall(slack, match, options.from ?? 0), { timeoutMs: options.timeoutMs ?? 30_000, intervalMs: 2, message: `no ${options.what}` });
}

/** The text and blocks of a call, for matching. */
export function contentOf(call: RecordedCall): string {
  return `${typeof call.args.text === 'string' ? call.args.text : ''} ${JSON.stringify(call.args.blocks ?? [])}`;
}

/** A thread root (a post with no thread_ts) whose content includes `tag`. */
export const isRootWith = (tag: string) => (call: RecordedCall) => call.method === 'chat.postMessage' && call.args.thread_ts === undefined && contentOf(call).includes(tag);

/** A post in the thread `threadTs` whose content includes `text`. */
export const isReplyWith = (threadTs: string, text: string) => (call: RecordedCall) =>
  call.method === 'chat.postMessage' && call.args.thread_ts === threadTs && contentOf(call).includes(text);

/** The ts Slack gave the root message holding `tag`. */
export function rootTsOf(slack: SlackSandbox, channel: string, tag: string): Promise<string> {
  return waitFor(() => slack.workspace.messages(channel).find((m) => (m.thread_ts === undefined || m.thread_ts === m.ts) && `${m.text} ${JSON.stringify(m.blocks ?? [])}`.includes(tag))?.ts, {
    timeoutMs: 10_000,
    intervalMs: 2,
    message: `no root message with ${tag}`,
  });
}
