import type { types } from '@slack/bolt';
import { AppError } from '../shared/errors.js';

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

/** Slack's refusals of a message's content: retrying the same message can never succeed. */
const validationErrors = new Set(['invalid_blocks', 'invalid_blocks_format', 'msg_too_long', 'invalid_arguments', 'no_text', 'too_many_attachments', 'invalid_metadata_format', 'invalid_metadata_schema', 'metadata_too_large']);

/** True when Slack refused a post or update for its content (the client puts Slack's error code in the AppError's `details.slackError`). */
export function isSlackValidationError(err: unknown): boolean {
  return err instanceof AppError && typeof err.details?.slackError === 'string' && validationErrors.has(err.details.slackError);
}
