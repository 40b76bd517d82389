import type { Redis } from 'ioredis';

/** How long a handled message is remembered; Slack retries within minutes. */
export const claimTtlSeconds = 24 * 3600;

/**
 * Claims one Slack message for answering, once across retries, processes, and the two
 * events Slack sends for a mention inside a thread (`message` and `app_mention` have
 * different event_ids but the same channel + ts). SET NX is atomic, so exactly one caller
 * wins. Returns a `release` so a caller that fails to enqueue lets a later retry through.
 */
export async function claimMessage(
  redis: Redis,
  keyPrefix: string,
  message: { channel: string; ts: string },
): Promise<{ claimed: boolean; release: () => Promise<void> }> {
  const key = `${keyPrefix}:conv:claim:${message.channel}:${message.ts}`;
  const result = await redis.set(key, '1', 'EX', claimTtlSeconds, 'NX');
  return {
    claimed: result === 'OK',
    release: async () => {
      await redis.del(key);
    },
  };
}

/** A BullMQ job id for a message: no `:` allowed, and never an integer string. */
export function conversationJobId(message: { channel: string; ts: string }): string {
  return `conv-${message.channel}-${message.ts.replace(/[^0-9A-Za-z.]/g, '_')}`;
}
