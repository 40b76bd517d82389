import { WebClient, ErrorCode, LogLevel, type Logger, type WebAPIPlatformError, type WebAPIRateLimitedError, type WebAPIHTTPError } from '@slack/web-api';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSlackSandbox, type SlackSandbox } from '../../../sandbox/slack/index.js';

let sandbox: SlackSandbox;
let client: WebClient;

const noop = (): void => undefined;
/** The client logs every refused call; these tests provoke refusals on purpose. */
const quiet: Logger = { debug: noop, info: noop, warn: noop, error: noop, setLevel: noop, getLevel: () => LogLevel.ERROR, setName: noop };
const clientOptions = { logger: quiet };

beforeAll(async () => {
  sandbox = await startSlackSandbox({
    usergroups: [{ id: 'S0SRE', handle: 'sre', users: ['UALICE'] }],
  });
  client = new WebClient('xoxb-sandbox', { ...clientOptions, slackApiUrl: sandbox.apiUrl, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true });
});
afterAll(async () => {
  await sandbox.close();
});
beforeEach(() => {
  sandbox.reset();
});

async function platformError(promise: Promise<unknown>): Promise<string> {
  const err = (await promise.then(
    () => undefined,
    (e: unknown) => e,
  )) as WebAPIPlatformError | undefined;
  expect(err?.code).toBe(ErrorCode.PlatformError);
  return err?.data.error ?? '';
}

const header = { type: 'header', text: { type: 'plain_text', text: 'CrashLoopBackOff: shop/checkout' } };

describe('slack sandbox web api', () => {
  it('answers auth.test with the bot identity', async () => {
    const res = await client.auth.test();
    expect(res).toMatchObject({ ok: true, user_id: 'UBOT', bot_id: 'BBOT', team_id: 'TSANDBOX' });
    expect(res.url).toBe(`${sandbox.url}/`);
  });

  it('refuses a wrong token with invalid_auth', async () => {
    const wrong = new WebClient('xoxb-wrong', { ...clientOptions, slackApiUrl: sandbox.apiUrl, retryConfig: { retries: 0 } });
    expect(await platformError(wrong.auth.test())).toBe('invalid_auth');
  });

  it('posts messages with unique increasing ts and threads replies under the root', async () => {
    const root = await client.chat.postMessage({ channel: 'CINCIDENTS', text: 'alert', blocks: [header] });
    const reply = await client.chat.postMessage({ channel: 'CINCIDENTS', text: 'finding', thread_ts: root.ts! });
    const second = await client.chat.postMessage({ channel: 'CINCIDENTS', text: 'another', thread_ts: reply.ts! });
    expect(root.ts).toMatch(/^\d{10}\.\d{6}$/);
    expect(Number(reply.ts)).toBeGreaterThan(Number(root.ts));
    expect(Number(second.ts)).toBeGreaterThan(Number(reply.ts));
    const thread = sandbox.thread('CINCIDENTS', root.ts!);
    expect(thread.map((m) => m.text)).toEqual(['alert', 'finding', 'another']);
    expect(thread[0]).toMatchObject({ reply_count: 2, blocks: [header], bot_id: 'BBOT' });
    expect(thread[2]?.thread_ts).toBe(root.ts);
    const call = sandbox.calls.find((c) => c.method === 'chat.postMessage');
    expect(call).toMatchObject({ args: { channel: 'CINCIDENTS', blocks: [header] }, token: 'xoxb-sandbox', status: 200, ok: true });
  });

  it('finds channels by name and refuses unknown channels and threads', async () => {
    const res = await client.chat.postMessage({ channel: '#incidents', text: 'by name' });
    expect(res.channel).toBe('CINCIDENTS');
    expect(await platformError(client.chat.postMessage({ channel: 'CNOPE', text: 'x' }))).toBe('channel_not_found');
    expect(await platformError(client.chat.postMessage({ channel: 'CINCIDENTS', text: 'x', thread_ts: '1.000001' }))).toBe(
      'thread_not_found',
    );
    expect(await platformError(client.chat.postMessage({ channel: 'CINCIDENTS', text: '' }))).toBe('no_text');
  });

  it('refuses blocks Slack would refuse, with the reason', async () => {
    const tooLong = { type: 'header', text: { type: 'plain_text', text: 'x'.repeat(151) } };
    const err = (await client.chat.postMessage({ channel: 'CINCIDENTS', text: 't', blocks: [tooLong] }).catch((e: unknown) => e)) as WebAPIPlatformError;
    expect(err.data.error).toBe('invalid_blocks');
    expect(JSON.stringify(err.data.response_metadata)).toContain('/blocks/0/text');
    expect(sandbox.messages()).toHaveLength(0);
  });

  it('edits a message with chat.update and deletes it with chat.delete', async () => {
    const root = await client.chat.postMessage({ channel: 'CINCIDENTS', text: 'triggered' });
    await client.chat.update({ channel: 'CINCIDENTS', ts: root.ts!, text: 'resolved', blocks: [header] });
    expect(sandbox.messages('CINCIDENTS')[0]).toMatchObject({ text: 'resolved', blocks: [header], edited: { user: 'UBOT' } });
    expect(await platformError(client.chat.update({ channel: 'CINCIDENTS', ts: '1.000001', text: 'x' }))).toBe('message_not_found');
    await client.chat.delete({ channel: 'CINCIDENTS', ts: root.ts! });
    expect(sandbox.messages()).toHaveLength(0);
  });

  it('keeps ephemerals apart from messages', async () => {
    const root = await client.chat.postMessage({ channel: 'CINCIDENTS', text: 'root' });
    const res = await client.chat.postEphemeral({ channel: 'CINCIDENTS', user: 'UBOB', text: 'not an approver', thread_ts: root.ts! });
    expect(res.message_ts).toBeTruthy();
    expect(sandbox.ephemerals('CINCIDENTS')).toEqual([
      expect.objectContaining({ channel: 'CINCIDENTS', user: 'UBOB', text: 'not an approver', thread_ts: root.ts }),
    ]);
    expect(sandbox.messages()).toHaveLength(1);
    expect(await platformError(client.chat.postEphemeral({ channel: 'CINCIDENTS', user: 'UNOBODY', text: 'x' }))).toBe(
      'user_not_in_channel',
    );
  });

  it('answers users.info, usergroups.users.list and conversations.info', async () => {
    const user = await client.users.info({ user: 'UALICE' });
    expect(user.user).toMatchObject({ id: 'UALICE', name: 'alice', is_bot: false });
    expect(await platformError(client.users.info({ user: 'UNOBODY' }))).toBe('user_not_found');
    expect((await client.usergroups.users.list({ usergroup: 'S0SRE' })).users).toEqual(['UALICE']);
    expect(await platformError(client.usergroups.users.list({ usergroup: 'S0NONE' }))).toBe('no_such_subteam');
    expect((await client.conversations.info({ channel: 'CINCIDENTS' })).channel).toMatchObject({ id: 'CINCIDENTS', name: 'incidents' });
  });

  it('reads threads with conversations.replies (paged) and channels with conversations.history', async () => {
    const root = await client.chat.postMessage({ channel: 'CINCIDENTS', text: 'root' });
    for (const text of ['r1', 'r2', 'r3']) await client.chat.postMessage({ channel: 'CINCIDENTS', text, thread_ts: root.ts! });
    await client.chat.postMessage({ channel: 'CINCIDENTS', text: 'later root' });
    const all = await client.conversations.replies({ channel: 'CINCIDENTS', ts: root.ts! });
    expect(all.messages?.map((m) => m.text)).toEqual(['root', 'r1', 'r2', 'r3']);
    const first = await client.conversations.replies({ channel: 'CINCIDENTS', ts: root.ts!, limit: 2 });
    expect(first.messages?.map((m) => m.text)).toEqual(['root', 'r1', 'r2']);
    expect(first.has_more).toBe(true);
    const next = await client.conversations.replies({ channel: 'CINCIDENTS', ts: root.ts!, limit: 2, cursor: first.response_metadata!.next_cursor! });
    expect(next.messages?.map((m) => m.text)).toEqual(['r3']);
    const history = await client.conversations.history({ channel: 'CINCIDENTS' });
    expect(history.messages?.map((m) => m.text)).toEqual(['later root', 'root']);
  });

  it('adds and removes reactions once per user', async () => {
    const root = await client.chat.postMessage({ channel: 'CINCIDENTS', text: 'root' });
    await client.reactions.add({ channel: 'CINCIDENTS', timestamp: root.ts!, name: 'eyes' });
    expect(await platformError(client.reactions.add({ channel: 'CINCIDENTS', timestamp: root.ts!, name: 'eyes' }))).toBe('already_reacted');
    expect(sandbox.messages()[0]?.reactions).toEqual([{ name: 'eyes', users: ['UBOT'], count: 1 }]);
    await client.reactions.remove({ channel: 'CINCIDENTS', timestamp: root.ts!, name: 'eyes' });
    expect(sandbox.messages()[0]?.reactions).toBeUndefined();
    expect(await platformError(client.reactions.remove({ channel: 'CINCIDENTS', timestamp: root.ts!, name: 'eyes' }))).toBe('no_reaction');
  });

  it('accepts a filesUploadV2 upload into a thread', async () => {
    const root = await client.chat.postMessage({ channel: 'CINCIDENTS', text: 'root' });
    const res = await client.filesUploadV2({
      channel_id: 'CINCIDENTS',
      thread_ts: root.ts!,
      filename: 'checkout.log',
      content: 'FATAL config: PAYMENT_URL',
      initial_comment: 'previous logs',
    });
    expect(res.ok).toBe(true);
    const [file] = [...sandbox.workspace.files.values()];
    expect(file).toMatchObject({ name: 'checkout.log', content: 'FATAL config: PAYMENT_URL', channel: 'CINCIDENTS' });
    const reply = sandbox.thread('CINCIDENTS', root.ts!)[1];
    expect(reply).toMatchObject({ text: 'previous logs', files: [expect.objectContaining({ name: 'checkout.log' })] });
    expect(sandbox.calls.map((c) => c.method)).toEqual(
      expect.arrayContaining(['files.getUploadURLExternal', 'files.completeUploadExternal']),
    );
  });

  it('answers unknown methods with unknown_method', async () => {
    expect(await platformError(client.apiCall('chat.teleport', {}))).toBe('unknown_method');
  });

  it('injects 429s with Retry-After, 5xx answers and platform errors, then recovers', async () => {
    sandbox.failNext({ method: 'chat.postMessage', status: 429, retryAfter: 7 });
    const limited = (await client.chat.postMessage({ channel: 'CINCIDENTS', text: 'x' }).catch((e: unknown) => e)) as WebAPIRateLimitedError;
    expect(limited.code).toBe(ErrorCode.RateLimitedError);
    expect(limited.retryAfter).toBe(7);

    sandbox.failNext({ method: 'chat.postMessage', status: 503, times: 2 });
    for (let i = 0; i < 2; i++) {
      const err = (await client.chat.postMessage({ channel: 'CINCIDENTS', text: 'x' }).catch((e: unknown) => e)) as WebAPIHTTPError;
      expect(err.code).toBe(ErrorCode.HTTPError);
      expect(err.statusCode).toBe(503);
    }
    sandbox.failNext({ method: 'chat.postMessage', error: 'channel_not_found' });
    expect(await platformError(client.chat.postMessage({ channel: 'CINCIDENTS', text: 'x' }))).toBe('channel_not_found');

    await client.chat.postMessage({ channel: 'CINCIDENTS', text: 'finally' });
    expect(sandbox.messages().map((m) => m.text)).toEqual(['finally']);
    expect(sandbox.calls.map((c) => c.status)).toEqual([429, 503, 503, 200, 200]);
  });

  it('reaches a retry through a 429 when the client waits as told', async () => {
    const retrying = new WebClient('xoxb-sandbox', { ...clientOptions, slackApiUrl: sandbox.apiUrl, retryConfig: { retries: 1, minTimeout: 0, maxTimeout: 0 } });
    sandbox.failNext({ method: 'chat.postMessage', status: 429, retryAfter: 0 });
    const res = await retrying.chat.postMessage({ channel: 'CINCIDENTS', text: 'after retry' });
    expect(res.ok).toBe(true);
    expect(sandbox.messages()).toHaveLength(1);
  });
  it('applies a call before failing it when the rule says applyFirst, and returns metadata only when asked', async () => {
    const metadata = { event_type: 'deckhand_post', event_payload: { key: 'k1' } };
    sandbox.failNext({ method: 'chat.postMessage', status: 500, applyFirst: true });
    const err = (await client.chat.postMessage({ channel: 'CINCIDENTS', text: 'root', metadata }).catch((e: unknown) => e)) as WebAPIHTTPError;
    expect(err.statusCode).toBe(500);
    expect(sandbox.messages('CINCIDENTS')).toHaveLength(1);
    expect(sandbox.calls.map((c) => c.status)).toEqual([500]);

    const plain = await client.conversations.history({ channel: 'CINCIDENTS' });
    expect(plain.messages?.[0]?.metadata).toBeUndefined();
    const withMetadata = await client.conversations.history({ channel: 'CINCIDENTS', include_all_metadata: true });
    expect(withMetadata.messages?.[0]?.metadata).toEqual(metadata);

    const root = sandbox.messages('CINCIDENTS')[0]!.ts;
    await client.chat.postMessage({ channel: 'CINCIDENTS', thread_ts: root, text: 'reply', metadata: { event_type: 'deckhand_post', event_payload: { key: 'k2' } } });
    const replies = await client.conversations.replies({ channel: 'CINCIDENTS', ts: root, include_all_metadata: true });
    expect(replies.messages?.map((m) => m.metadata?.event_payload)).toEqual([{ key: 'k1' }, { key: 'k2' }]);
  });
});
