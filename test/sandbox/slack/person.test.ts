import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { App, LogLevel } from '@slack/bolt';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { signSlackRequest, startSlackSandbox, type SlackSandbox } from '../../../sandbox/slack/index.js';
import { waitFor } from '../../../sandbox/shared/wait.js';

const secret = 'test-signing-secret';
const proposalBlocks = [
  { type: 'section', text: { type: 'mrkdwn', text: '*Roll back* `checkout`?' } },
  {
    type: 'actions',
    block_id: 'proposal-p1',
    elements: [
      { type: 'button', action_id: 'proposal_approve', value: 'p1', style: 'primary', text: { type: 'plain_text', text: 'Approve' } },
      { type: 'button', action_id: 'proposal_reject', value: 'p1', style: 'danger', text: { type: 'plain_text', text: 'Reject' } },
    ],
  },
];

let sandbox: SlackSandbox;
let app: App;
const seen: { kind: string; body: Record<string, unknown>; retryNum?: number | undefined }[] = [];

beforeAll(async () => {
  sandbox = await startSlackSandbox({ signingSecret: secret });
  // A real Bolt app: it only accepts what real Slack would send (signature, content type, shapes).
  app = new App({
    token: 'xoxb-sandbox',
    signingSecret: secret,
    clientOptions: { slackApiUrl: sandbox.apiUrl, retryConfig: { retries: 0 } },
    logLevel: LogLevel.ERROR,
    processBeforeResponse: true,
  });
  app.command('/k8s', async ({ ack, command }) => {
    seen.push({ kind: 'command', body: { ...command } });
    await ack({ response_type: 'ephemeral', text: `You asked: ${command.text}` });
  });
  app.action('proposal_approve', async ({ ack, body, respond }) => {
    await ack();
    seen.push({ kind: 'action', body: body as unknown as Record<string, unknown> });
    await respond({ replace_original: true, text: `Approved by <@${body.user.id}>` });
    await respond({ response_type: 'ephemeral', text: 'Running the rollback' });
  });
  app.action('dismiss', async ({ ack, body, respond }) => {
    await ack();
    seen.push({ kind: 'action', body: body as unknown as Record<string, unknown> });
    await respond({ delete_original: true });
  });
  app.event('app_mention', async ({ event, say, context }) => {
    seen.push({ kind: 'app_mention', body: event as unknown as Record<string, unknown>, retryNum: context.retryNum });
    await say({ text: 'Looking into it', thread_ts: event.thread_ts ?? event.ts });
  });
  app.message(({ message }) => {
    seen.push({ kind: 'message', body: message as unknown as Record<string, unknown> });
    return Promise.resolve();
  });
  const server = (await app.start(0)) as Server;
  sandbox.setBotUrl(`http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`);
});
afterAll(async () => {
  await app.stop();
  await sandbox.close();
});
beforeEach(() => {
  sandbox.reset();
  seen.length = 0;
});

async function postProposal(): Promise<{ root: string; proposal: string }> {
  const root = await app.client.chat.postMessage({ channel: 'CINCIDENTS', text: 'checkout is crash-looping' });
  const proposal = await app.client.chat.postMessage({ channel: 'CINCIDENTS', text: 'Proposal', blocks: proposalBlocks, thread_ts: root.ts! });
  return { root: root.ts!, proposal: proposal.ts! };
}

describe('slack sandbox as a person', () => {
  it("signs like Slack: matches the example in Slack's signing documentation", () => {
    const body =
      'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar' +
      '&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com' +
      '%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
    expect(signSlackRequest('8f742231b10e8888abcd99yyyzzz85a5', body, 1531420618)).toEqual({
      'x-slack-request-timestamp': '1531420618',
      'x-slack-signature': 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503',
    });
  });

  it('runs a slash command that Bolt verifies, and shows the ack text to that user only', async () => {
    const answer = await sandbox.slashCommand({ user: 'UBOB', channel: 'CINCIDENTS', text: 'ask why is checkout down' });
    expect(answer.status).toBe(200);
    expect(seen[0]?.body).toMatchObject({ command: '/k8s', text: 'ask why is checkout down', user_id: 'UBOB', channel_id: 'CINCIDENTS' });
    expect(sandbox.ephemerals()).toEqual([expect.objectContaining({ user: 'UBOB', text: 'You asked: ask why is checkout down' })]);
    expect(sandbox.messages()).toHaveLength(0);
  });

  it('clicks a button: Bolt gets a block_actions payload, and respond() replaces the message', async () => {
    const { root, proposal } = await postProposal();
    const answer = await sandbox.clickButton({ user: 'UALICE', channel: 'CINCIDENTS', messageTs: proposal, actionId: 'proposal_approve' });
    expect(answer.status).toBe(200);
    expect(seen[0]?.body).toMatchObject({
      type: 'block_actions',
      user: { id: 'UALICE' },
      container: { message_ts: proposal, channel_id: 'CINCIDENTS', thread_ts: root },
      actions: [{ action_id: 'proposal_approve', value: 'p1', block_id: 'proposal-p1', style: 'primary' }],
    });
    await waitFor(() => sandbox.ephemerals().length === 1);
    const replaced = sandbox.thread('CINCIDENTS', root)[1];
    expect(replaced).toMatchObject({ ts: proposal, text: 'Approved by <@UALICE>' });
    expect(replaced?.blocks).toBeUndefined();
    expect(sandbox.ephemerals()[0]).toMatchObject({ user: 'UALICE', text: 'Running the rollback', thread_ts: root });
    expect(sandbox.calls.filter((c) => c.method === 'response_url')).toHaveLength(2);
  });

  it('clicks a button in an ephemeral message, and delete_original removes that ephemeral', async () => {
    const dismissBlocks = [
      { type: 'section', text: { type: 'mrkdwn', text: 'Only approvers can approve.' } },
      { type: 'actions', elements: [{ type: 'button', action_id: 'dismiss', text: { type: 'plain_text', text: 'Dismiss' } }] },
    ];
    const { message_ts: ts } = await app.client.chat.postEphemeral({ channel: 'CINCIDENTS', user: 'UBOB', text: 'no', blocks: dismissBlocks });
    const answer = await sandbox.clickButton({ user: 'UBOB', channel: 'CINCIDENTS', messageTs: ts!, actionId: 'dismiss' });
    expect(answer.status).toBe(200);
    expect(answer.payload).toMatchObject({ container: { is_ephemeral: true, message_ts: ts } });
    expect(answer.payload).not.toHaveProperty('message');
    expect(sandbox.ephemerals()).toEqual([]);
  });

  it('refuses to click a button the message does not have', async () => {
    const { proposal } = await postProposal();
    await expect(sandbox.clickButton({ user: 'UALICE', channel: 'CINCIDENTS', messageTs: proposal, actionId: 'nope' })).rejects.toThrow(/no button/);
    await expect(
      sandbox.clickButton({ user: 'UALICE', channel: 'CINCIDENTS', messageTs: proposal, actionId: 'proposal_approve', value: 'other' }),
    ).rejects.toThrow(/no button/);
  });

  it('posts a thread reply mentioning the bot as message and app_mention events', async () => {
    const { root } = await postProposal();
    const sent = await sandbox.postUserMessage({ user: 'UBOB', channel: 'CINCIDENTS', text: '<@UBOT> why?', threadTs: root });
    expect(sent.events.map((e) => [e.type, e.status])).toEqual([
      ['message', 200],
      ['app_mention', 200],
    ]);
    await waitFor(() => sandbox.thread('CINCIDENTS', root).some((m) => m.text === 'Looking into it'));
    expect(seen.find((s) => s.kind === 'app_mention')?.body).toMatchObject({ thread_ts: root, user: 'UBOB', ts: sent.ts });
    expect(seen.find((s) => s.kind === 'message')?.body).toMatchObject({ thread_ts: root, parent_user_id: 'UBOT' });
    expect(sandbox.thread('CINCIDENTS', root).map((m) => m.text)).toContain('<@UBOT> why?');
  });

  it('resends an event with X-Slack-Retry-Num and the same event id', async () => {
    const sent = await sandbox.postUserMessage({ user: 'UBOB', channel: 'CINCIDENTS', text: '<@UBOT> hello' });
    const mention = sent.events.find((e) => e.type === 'app_mention')!;
    const again = await sandbox.resendEvent(mention.eventId, { retryNum: 2 });
    expect(again.status).toBe(200);
    const mentions = seen.filter((s) => s.kind === 'app_mention');
    expect(mentions.map((m) => m.retryNum)).toEqual([undefined, 2]);
    const requests = sandbox.botRequests.filter((r) => r.id === mention.eventId);
    expect(requests.map((r) => r.body)).toEqual([requests[0]?.body, requests[0]?.body]);
  });

  it('limits a response_url to five uses', async () => {
    const { responseUrl } = await sandbox.slashCommand({ user: 'UBOB', channel: 'CINCIDENTS', text: 'help' });
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await fetch(responseUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: `n${i}` }) });
      statuses.push(res.status);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 404]);
    const inChannel = await sandbox.slashCommand({ user: 'UBOB', channel: 'CINCIDENTS', text: 'help' });
    await fetch(inChannel.responseUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ response_type: 'in_channel', text: 'for all' }) });
    expect(sandbox.messages().map((m) => m.text)).toEqual(['for all']);
  });

  it('reports an unreachable bot as status 0 instead of throwing', async () => {
    const url = sandbox.botUrl();
    sandbox.setBotUrl('http://127.0.0.1:1/slack/events');
    try {
      const answer = await sandbox.slashCommand({ user: 'UBOB', channel: 'CINCIDENTS', text: 'help' });
      expect(answer.status).toBe(0);
    } finally {
      sandbox.setBotUrl(url!);
    }
  });
});
