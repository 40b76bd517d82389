import type { types } from '@slack/bolt';

export type KnownBlock = types.KnownBlock;

/** A Slack message as Deckhand builds it: fallback text plus Block Kit. */
export interface SlackMessage {
  /** Fallback text for notifications and screen readers; always set. */
  text: string;
  blocks?: KnownBlock[];
}

export interface PostInput {
  channel: string;
  /** Reply in this thread (the incident root's ts). */
  threadTs?: string;
  message: SlackMessage;
  /**
   * Same key, same message: a retried job or a retried HTTP call never posts twice.
   * The first successful post's ts is remembered and returned for later calls.
   */
  idempotencyKey: string;
}

/**
 * How every feature talks to Slack. Implemented over the Web API with retries (429
 * Retry-After, 5xx, network errors) and idempotency in Redis; builders stay pure and
 * listeners thin. Failures after retries throw AppError ('upstream' / 'rate_limited').
 */
export interface SlackMessenger {
  post(input: PostInput): Promise<{ channel: string; ts: string }>;
  update(input: { channel: string; ts: string; message: SlackMessage }): Promise<void>;
  postEphemeral(input: { channel: string; user: string; threadTs?: string; message: SlackMessage }): Promise<void>;
}
