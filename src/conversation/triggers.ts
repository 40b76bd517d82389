import * as z from 'zod';

/**
 * Which Slack messages may start a conversation turn. Pure, so the rules are tested as a
 * table: bot messages (ours included), edits, deletions and every other subtype never
 * trigger anything; a plain user reply in a thread is a candidate (it triggers only when the
 * thread belongs to an incident); a mention triggers wherever it is.
 */

/** The fields of a Slack `message` / `app_mention` event Deckhand reads; the rest pass through. */
export const SlackMessageEvent = z.looseObject({
  type: z.string(),
  subtype: z.string().optional(),
  channel: z.string().optional(),
  user: z.string().optional(),
  bot_id: z.string().optional(),
  bot_profile: z.unknown().optional(),
  text: z.string().optional(),
  ts: z.string().optional(),
  thread_ts: z.string().optional(),
});
export type SlackMessageEvent = z.infer<typeof SlackMessageEvent>;

export type Trigger =
  | { kind: 'ignore'; reason: string }
  /** A human message. `threadTs` is where the answer goes (the message's own ts for a top-level mention). */
  | { kind: 'mention' | 'thread_reply'; channel: string; ts: string; threadTs: string; user: string; text: string };

export function classifyMessageEvent(raw: unknown, botUserId: string | undefined): Trigger {
  const parsed = SlackMessageEvent.safeParse(raw);
  if (!parsed.success) return { kind: 'ignore', reason: 'malformed' };
  const event = parsed.data;
  if (event.type !== 'message' && event.type !== 'app_mention') return { kind: 'ignore', reason: 'not a message' };
  // message_changed, message_deleted, bot_message, channel_join, thread_broadcast…: none is a question.
  if (event.subtype !== undefined) return { kind: 'ignore', reason: `subtype ${event.subtype}` };
  if (event.bot_id !== undefined || event.bot_profile !== undefined) return { kind: 'ignore', reason: 'bot message' };
  if (!event.user || !event.channel || !event.ts) return { kind: 'ignore', reason: 'no user, channel or ts' };
  if (botUserId !== undefined && event.user === botUserId) return { kind: 'ignore', reason: 'own message' };
  const text = event.text ?? '';
  const mentioned = event.type === 'app_mention' || (botUserId !== undefined && text.includes(`<@${botUserId}>`));
  const inThread = event.thread_ts !== undefined && event.thread_ts !== event.ts;
  const base = { channel: event.channel, ts: event.ts, user: event.user, text: stripMentions(text, botUserId) };
  if (mentioned) return { kind: 'mention', ...base, threadTs: event.thread_ts ?? event.ts };
  if (inThread && event.thread_ts) return { kind: 'thread_reply', ...base, threadTs: event.thread_ts };
  return { kind: 'ignore', reason: 'not in a thread and no mention' };
}

/**
 * Removes the bot's own mention (and tidies whitespace) so the question reads naturally. A
 * message of several lines keeps its lines and their spacing: it may be pasted kubectl output,
 * whose columns are read by position.
 */
export function stripMentions(text: string, botUserId: string | undefined): string {
  const own = botUserId ? new RegExp(`<@${botUserId}(\\|[^>]*)?>`, 'g') : /<@U[A-Z0-9]+(\|[^>]*)?>/g;
  if (!text.includes('\n')) return text.replace(own, ' ').replace(/\s+/g, ' ').trim();
  return text.replace(new RegExp(`[ \\t]*(?:${own.source})[ \\t]*`, 'g'), ' ').replace(/^ +| +$/g, '').trim();
}
