import type { App } from '@slack/bolt';
import type { ThreadRef } from './context-store.js';
import type { ConversationJobData } from './job.js';
import { classifyMessageEvent } from './triggers.js';
import type { Logger } from '../shared/logger.js';

export interface MessageListenerDeps {
  /** Whether plain replies in this thread are questions (an incident's or a `/k8s ask` thread). */
  isConversationThread: (thread: ThreadRef) => Promise<boolean>;
  /** Claims a message once (SET NX on channel+ts); see src/conversation/dedup.ts. */
  claim: (message: { channel: string; ts: string }) => Promise<{ claimed: boolean; release: () => Promise<void> }>;
  enqueue: (data: ConversationJobData) => Promise<void>;
  log: Logger;
}

export type MessageOutcome = 'enqueued' | 'ignored' | 'duplicate' | 'not_a_conversation';

/**
 * The whole decision for one `message` / `app_mention` event: classify, check the thread,
 * claim, enqueue. Bolt has acked already (events are acked before listeners run); the
 * answer is produced by the conversation worker.
 */
export async function handleMessageEvent(deps: MessageListenerDeps, event: unknown, botUserId: string | undefined): Promise<MessageOutcome> {
  const trigger = classifyMessageEvent(event, botUserId);
  if (trigger.kind === 'ignore') return 'ignored';
  if (trigger.kind === 'thread_reply' && !(await deps.isConversationThread({ channel: trigger.channel, threadTs: trigger.threadTs }))) {
    return 'not_a_conversation';
  }
  const claim = await deps.claim({ channel: trigger.channel, ts: trigger.ts });
  if (!claim.claimed) return 'duplicate';
  try {
    await deps.enqueue({ kind: trigger.kind, channel: trigger.channel, user: trigger.user, text: trigger.text, ts: trigger.ts, threadTs: trigger.threadTs });
  } catch (err) {
    // Let Slack's retry (or the twin event) try again rather than lose the question.
    await claim.release().catch(() => undefined);
    throw err;
  }
  return 'enqueued';
}

/** Thin Bolt wiring: both event types go through handleMessageEvent; one answer per message. */
export function registerMessageListeners(app: App, deps: MessageListenerDeps): void {
  const listener = async (args: { event: unknown; context: { botUserId?: string; retryNum?: number } }): Promise<void> => {
    const outcome = await handleMessageEvent(deps, args.event, args.context.botUserId);
    if (outcome !== 'ignored') deps.log.debug({ outcome, retryNum: args.context.retryNum }, 'slack message handled');
  };
  app.event('message', listener);
  app.event('app_mention', listener);
}
