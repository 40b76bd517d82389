import { readFileSync } from 'node:fs';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../../sandbox/shared/wait.js';
import type { TestApp } from '../helpers/app.js';
import { botReplies, closeSandboxCluster, conversationDrained, openIncident, startConversationApp } from './conversation-helpers.js';

let app: TestApp | undefined;
afterEach(async () => {
  await app?.stop();
  app = undefined;
});
afterAll(closeSandboxCluster);

describe('conversation triggers (built-in answers, no Claude)', () => {
  it('answers a reply in an incident thread, in the thread, from the cluster, and says what needs Claude', async () => {
    app = await startConversationApp();
    const incident = await openIncident(app);
    await app.slack.postUserMessage({ user: 'UALICE', channel: 'CINCIDENTS', threadTs: incident.threadTs!, text: 'what are the logs saying?' });
    const [answer] = await waitFor(() => (botReplies(app!, incident.threadTs!).length > 0 ? botReplies(app!, incident.threadTs!) : undefined));
    const all = JSON.stringify(answer);
    expect(all).toContain('PAYMENT_URL');
    expect(all).toContain('need Claude');
    expect(answer!.thread_ts).toBe(incident.threadTs);
  });

  it('reads kubectl output pasted into the incident thread and says which pods fail and why', async () => {
    app = await startConversationApp();
    const incident = await openIncident(app);
    const pasted = readFileSync(new URL('../fixtures/kubectl/get-pods.txt', import.meta.url), 'utf8');
    // As a Slack client sends a code block: fenced, with < > & escaped.
    const text = `here is what I see:\n\`\`\`${pasted.replace(/</g, '&lt;').replace(/>/g, '&gt;')}\`\`\``;
    await app.slack.postUserMessage({ user: 'UALICE', channel: 'CINCIDENTS', threadTs: incident.threadTs!, text });
    const [answer] = await waitFor(() => (botReplies(app!, incident.threadTs!).length > 0 ? botReplies(app!, incident.threadTs!) : undefined));
    const all = JSON.stringify(answer);
    expect(all).toContain('8 of 18 pods in your output are not healthy');
    expect(all).toContain('frontend-djmlhfccgc-mdlh6 — ImagePullBackOff');
    expect(all).toContain('read from the kubectl output you pasted');
  });

  it('answers a retried event once, and a mention inside the thread (message + app_mention) once', async () => {
    app = await startConversationApp();
    const incident = await openIncident(app);
    const threadTs = incident.threadTs!;
    const first = await app.slack.postUserMessage({ user: 'UALICE', channel: 'CINCIDENTS', threadTs, text: 'status?' });
    const eventId = first.events[0]!.eventId;
    await app.slack.resendEvent(eventId, { retryNum: 1 });
    await app.slack.resendEvent(eventId, { retryNum: 2 });
    await waitFor(() => botReplies(app!, threadTs).length >= 1);
    await conversationDrained(app);
    expect(botReplies(app, threadTs)).toHaveLength(1);

    const mention = await app.slack.postUserMessage({ user: 'UBOB', channel: 'CINCIDENTS', threadTs, text: `<@${app.slack.identity.botUserId}> events please` });
    expect(mention.events.map((e) => e.type)).toEqual(['message', 'app_mention']);
    await waitFor(() => botReplies(app!, threadTs).length >= 2);
    await conversationDrained(app);
    expect(botReplies(app, threadTs)).toHaveLength(2);
    expect(app.slack.botRequests.filter((r) => r.kind === 'event').every((r) => r.status === 200)).toBe(true);
  });

  it('ignores bot messages, its own messages, edits, deletions and replies in threads that are not conversations', async () => {
    app = await startConversationApp();
    const incident = await openIncident(app);
    const threadTs = incident.threadTs!;
    const bot = app.slack.identity.botUserId;
    const base = { channel: 'CINCIDENTS', thread_ts: threadTs, channel_type: 'channel' };
    await app.slack.sendEvent({ ...base, type: 'message', subtype: 'bot_message', bot_id: 'BOTHER', text: 'another bot', ts: '1900000000.000001' });
    await app.slack.sendEvent({ ...base, type: 'message', user: 'UOTHERBOT', bot_id: 'BOTHER', text: 'a bot with a user', ts: '1900000000.000002' });
    await app.slack.sendEvent({ ...base, type: 'message', user: bot, bot_id: app.slack.identity.botId, text: 'our own answer', ts: '1900000000.000003' });
    await app.slack.sendEvent({
      ...base,
      type: 'message',
      subtype: 'message_changed',
      hidden: true,
      ts: '1900000000.000004',
      message: { type: 'message', user: 'UALICE', text: `edited <@${bot}> why?`, ts: '1900000000.000000', thread_ts: threadTs, edited: { user: 'UALICE', ts: '1900000000.000004' } },
      previous_message: { type: 'message', user: 'UALICE', text: 'why?', ts: '1900000000.000000' },
    });
    await app.slack.sendEvent({ ...base, type: 'message', subtype: 'message_deleted', hidden: true, ts: '1900000000.000005', deleted_ts: '1900000000.000000' });
    // A plain reply in a thread that belongs to no incident and no /k8s ask.
    const other = await app.ctx.slack.post({ channel: 'CINCIDENTS', message: { text: 'unrelated chatter' }, idempotencyKey: 'unrelated' });
    await app.slack.postUserMessage({ user: 'UALICE', channel: 'CINCIDENTS', threadTs: other.ts, text: 'status?' });

    // Then a real question: once it is answered, everything before it has been seen and dropped.
    await app.slack.postUserMessage({ user: 'UALICE', channel: 'CINCIDENTS', threadTs, text: 'status?' });
    await waitFor(() => botReplies(app!, threadTs).length >= 1);
    await conversationDrained(app);
    expect(botReplies(app, threadTs)).toHaveLength(1);
    expect(botReplies(app, other.ts)).toHaveLength(0);
    const jobs = await app.ctx.queues.get('conversation').getJobCounts('completed', 'failed');
    expect(jobs).toMatchObject({ completed: 1, failed: 0 });
  });

  it('answers a mention in a channel outside any thread by opening a thread under it', async () => {
    app = await startConversationApp();
    const asked = await app.slack.postUserMessage({ user: 'UBOB', channel: 'CINCIDENTS', text: `<@${app.slack.identity.botUserId}> events -n shop` });
    await waitFor(() => botReplies(app!, asked.ts).length >= 1);
    expect(JSON.stringify(botReplies(app, asked.ts)[0])).toContain('Events in shop');
  });

  it('answers a plain follow-up in the thread its answer to a top-level mention started, but not in a human thread it was mentioned in', async () => {
    app = await startConversationApp();
    const asked = await app.slack.postUserMessage({ user: 'UBOB', channel: 'CINCIDENTS', text: `<@${app.slack.identity.botUserId}> events -n shop` });
    await waitFor(() => botReplies(app!, asked.ts).length >= 1);
    // No mention: a follow-up, as the answer invites.
    await app.slack.postUserMessage({ user: 'UBOB', channel: 'CINCIDENTS', threadTs: asked.ts, text: 'and the pods in shop?' });
    await waitFor(() => botReplies(app!, asked.ts).length >= 2, { message: 'the follow-up in the mention thread got no answer' });

    // Humans talking in their own thread, the bot mentioned once: only that message is answered.
    const human = await app.slack.postUserMessage({ user: 'UALICE', channel: 'CINCIDENTS', text: 'lunch?' });
    await app.slack.postUserMessage({ user: 'UBOB', channel: 'CINCIDENTS', threadTs: human.ts, text: `<@${app.slack.identity.botUserId}> events -n shop` });
    await waitFor(() => botReplies(app!, human.ts).length >= 1);
    await app.slack.postUserMessage({ user: 'UALICE', channel: 'CINCIDENTS', threadTs: human.ts, text: 'pizza again' });
    await conversationDrained(app);
    expect(botReplies(app, human.ts)).toHaveLength(1);
  });
});
