import { webApi } from '@slack/bolt';
import * as z from 'zod';
import type { KnownBlock, SlackMessage } from './messenger.js';

/** Slack Web API wire details of the client: message arguments, the post lookup, failure classification. */

export function messageArgs(message: SlackMessage): Record<string, unknown> {
  return message.blocks === undefined ? { text: message.text } : { text: message.text, blocks: message.blocks };
}

/** Slack message metadata that carries a post's idempotency key (see findPosted). */
export const postEventType = 'deckhand_post';
/** How far before the first attempt the lookup reaches (clock skew with Slack). */
export const lookupSkewMs = 10 * 60_000;
export const lookupLimit = 200;

export interface UpdateInput {
  channel: string;
  ts: string;
  message: SlackMessage;
}

export const UpdateIntent = z.object({
  channel: z.string(),
  ts: z.string(),
  message: z.object({ text: z.string(), blocks: z.array(z.custom<KnownBlock>((b) => typeof b === 'object' && b !== null)).optional() }),
});

export const LookupAnswer = z.object({
  messages: z.array(
    z.object({
      ts: z.string(),
      metadata: z.object({ event_type: z.string(), event_payload: z.record(z.string(), z.unknown()) }).optional(),
    }),
  ),
});

export function toSlackTs(ms: number): string {
  return (Math.max(0, ms) / 1000).toFixed(6);
}

export interface Failure {
  reason: 'rate_limited' | 'server_error' | 'network' | 'platform_error' | 'client_error';
  retryable: boolean;
  /** Slack may have acted on the call (5xx, network, a server-side error): its outcome is unknown. */
  ambiguous: boolean;
  retryAfterMs?: number;
  detail: string;
}

const retryablePlatformErrors = new Set(['ratelimited', 'internal_error', 'fatal_error', 'service_unavailable', 'request_timeout']);
/** Slack documents these as "some aspect of the operation may have succeeded". */
const partlyAppliedPlatformErrors = new Set(['internal_error', 'fatal_error']);

export function classify(err: unknown): Failure {
  if (err instanceof webApi.WebAPIRateLimitedError) {
    // A 429 is refused before Slack acts on the call.
    return { reason: 'rate_limited', retryable: true, ambiguous: false, retryAfterMs: err.retryAfter * 1000, detail: `rate limited, retry after ${err.retryAfter}s` };
  }
  if (err instanceof webApi.WebAPIHTTPError) {
    const server = err.statusCode >= 500;
    return { reason: server ? 'server_error' : 'client_error', retryable: server, ambiguous: server, detail: `HTTP ${err.statusCode}` };
  }
  if (err instanceof webApi.WebAPIPlatformError) {
    const code = err.data.error;
    if (code === 'ratelimited') return { reason: 'rate_limited', retryable: true, ambiguous: false, detail: code };
    return { reason: 'platform_error', retryable: retryablePlatformErrors.has(code), ambiguous: partlyAppliedPlatformErrors.has(code), detail: code };
  }
  // A timeout or a dropped connection may come after Slack received the request.
  if (err instanceof webApi.WebAPIRequestError) return { reason: 'network', retryable: true, ambiguous: true, detail: err.original.message };
  return { reason: 'network', retryable: true, ambiguous: true, detail: err instanceof Error ? err.message : String(err) };
}

