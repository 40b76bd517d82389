import type { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { claimMessage } from '../../src/conversation/dedup.js';
import type { ConversationJobData } from '../../src/conversation/job.js';
import { createSilentLogger } from '../../src/shared/logger.js';
import { handleMessageEvent, type MessageListenerDeps } from '../../src/conversation/listeners.js';
import { createTestRedis, uniquePrefix } from '../helpers/redis.js';

let redis: Redis;
let prefix: string;
beforeEach(() => {
  redis = createTestRedis();
  prefix = uniquePrefix('msg');
});
afterEach(async () => {
  await redis.quit();
});

function deps(options: { conversation?: boolean; failEnqueue?: boolean } = {}) {
  const jobs: ConversationJobData[] = [];
  const d: MessageListenerDeps = {
    isConversationThread: () => Promise.resolve(options.conversation ?? true),
    claim: (m) => claimMessage(redis, prefix, m),
    enqueue: (data) => (options.failEnqueue ? Promise.reject(new Error('redis down')) : Promise.resolve(void jobs.push(data))),
    log: createSilentLogger(),
  };
  return { d, jobs };
}

const reply = { type: 'message', channel: 'C1', user: 'UALICE', text: 'why?', ts: '1700000002.000200', thread_ts: '1700000001.000100' };

describe('handleMessageEvent', () => {
  it('enqueues a thread reply once, however often it is delivered (retries, twin app_mention, other processes)', async () => {
    const a = deps();
    const b = deps();
    expect(await handleMessageEvent(a.d, reply, 'UBOT')).toBe('enqueued');
    expect(await handleMessageEvent(a.d, reply, 'UBOT')).toBe('duplicate');
    expect(await handleMessageEvent(b.d, { ...reply, type: 'app_mention', text: '<@UBOT> why?' }, 'UBOT')).toBe('duplicate');
    expect(a.jobs).toEqual([{ kind: 'thread_reply', channel: 'C1', user: 'UALICE', text: 'why?', ts: reply.ts, threadTs: reply.thread_ts }]);
    expect(b.jobs).toEqual([]);
  });

  it('leaves replies in threads that are no conversation alone, and claims nothing for them', async () => {
    const { d, jobs } = deps({ conversation: false });
    expect(await handleMessageEvent(d, reply, 'UBOT')).toBe('not_a_conversation');
    expect(jobs).toEqual([]);
    expect(await redis.exists(`${prefix}:conv:claim:C1:${reply.ts}`)).toBe(0);
  });

  it('releases the claim when enqueueing fails, so Slack’s retry can try again', async () => {
    await expect(handleMessageEvent(deps({ failEnqueue: true }).d, reply, 'UBOT')).rejects.toThrow('redis down');
    const retry = deps();
    expect(await handleMessageEvent(retry.d, reply, 'UBOT')).toBe('enqueued');
  });

  it('ignores edits and bot messages before touching Redis', async () => {
    const { d, jobs } = deps();
    expect(await handleMessageEvent(d, { ...reply, subtype: 'message_changed' }, 'UBOT')).toBe('ignored');
    expect(await handleMessageEvent(d, { ...reply, bot_id: 'B1' }, 'UBOT')).toBe('ignored');
    expect(jobs).toEqual([]);
  });
});
