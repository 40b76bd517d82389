import { App, LogLevel, SocketModeReceiver } from '@slack/bolt';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startSlackSandbox, type SlackSandbox } from '../../../sandbox/slack/index.js';
import { waitFor } from '../../../sandbox/shared/wait.js';

const appToken = 'xapp-1-test-socket';
const proposalBlocks = [
  {
    type: 'actions',
    block_id: 'proposal-p1',
    elements: [{ type: 'button', action_id: 'proposal_approve', value: 'p1', text: { type: 'plain_text', text: 'Approve' } }],
  },
];

let sandbox: SlackSandbox;
let app: App;
const seen: { kind: string; body: Record<string, unknown>; retryNum?: number | undefined }[] = [];

/** A real Bolt app in Socket Mode, its Web API and apps.connections.open pointed at the sandbox. */
function socketApp(sb: SlackSandbox, receiverOptions: { clientPingTimeout?: number } = {}): App {
  const clientOptions = { slackApiUrl: sb.apiUrl };
  const receiver = new SocketModeReceiver({ appToken, logLevel: LogLevel.ERROR, installerOptions: { clientOptions }, ...receiverOptions });
  return new App({ receiver, token: 'xoxb-sandbox', clientOptions: { ...clientOptions, retryConfig: { retries: 0 } }, logLevel: LogLevel.ERROR });
}

async function openConnection(sb: SlackSandbox, token: string): Promise<Record<string, unknown>> {
  const res = await fetch(`${sb.apiUrl}apps.connections.open`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
  return (await res.json()) as Record<string, unknown>;
}

/** A bare WebSocket client: its first message (the hello) and whether it was let in. */
function connectRaw(url: string): Promise<{ ws: WebSocket; hello: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.once('message', (data: Buffer) => resolve({ ws, hello: JSON.parse(data.toString('utf8')) as Record<string, unknown> }));
    ws.once('error', reject);
  });
}

async function closeRaw(ws: WebSocket): Promise<void> {
  if (ws.readyState === ws.CLOSED) return;
  await new Promise<void>((resolve) => {
    ws.once('close', () => resolve());
    ws.close();
  });
}

beforeAll(async () => {
  sandbox = await startSlackSandbox({ socketMode: true, appToken });
  app = socketApp(sandbox);
  app.command('/k8s', async ({ ack, command }) => {
    seen.push({ kind: 'command', body: { ...command } });
    await ack({ response_type: 'ephemeral', text: `You asked: ${command.text}` });
  });
  app.action('proposal_approve', async ({ ack, body, respond }) => {
    await ack();
    seen.push({ kind: 'action', body: body as unknown as Record<string, unknown> });
    await respond({ replace_original: true, text: `Approved by <@${body.user.id}>` });
  });
  app.event('app_mention', async ({ event, say, context }) => {
    seen.push({ kind: 'app_mention', body: event as unknown as Record<string, unknown>, retryNum: context.retryNum });
    await say({ text: 'Looking into it', thread_ts: event.thread_ts ?? event.ts });
  });
  await app.start();
});
afterAll(async () => {
  await app.stop();
  await waitFor(() => sandbox.socketMode.connections() === 0, { message: 'bolt did not close its socket' });
  await sandbox.close();
});
beforeEach(() => {
  sandbox.reset();
  seen.length = 0;
});

describe('slack sandbox in Socket Mode', () => {
  it('opens connections only for the app-level token, and refuses it for bot methods', async () => {
    const opened = await openConnection(sandbox, appToken);
    expect(opened.ok).toBe(true);
    expect(opened.url).toMatch(new RegExp(`^ws://127\\.0\\.0\\.1:\\d+/socket\\?ticket=[0-9a-f]+&app_id=ADECKHAND$`));
    expect(await openConnection(sandbox, 'xoxb-sandbox')).toEqual({ ok: false, error: 'not_allowed_token_type' });
    expect(await openConnection(sandbox, 'xapp-someone-else')).toEqual({ ok: false, error: 'invalid_auth' });
    const anonymous = await fetch(`${sandbox.apiUrl}apps.connections.open`, { method: 'POST' });
    expect(await anonymous.json()).toEqual({ ok: false, error: 'not_authed' });
    const asBot = await fetch(`${sandbox.apiUrl}auth.test`, { method: 'POST', headers: { authorization: `Bearer ${appToken}` } });
    expect(await asBot.json()).toEqual({ ok: false, error: 'not_allowed_token_type' });
  });

  it('says hello on connect, and lets a ticket in once', async () => {
    const { url } = (await openConnection(sandbox, appToken)) as { url: string };
    const { ws, hello } = await connectRaw(url);
    try {
      expect(hello).toMatchObject({ type: 'hello', num_connections: 2, connection_info: { app_id: 'ADECKHAND' } });
      expect(hello.debug_info).toMatchObject({ host: expect.any(String) as string });
      await expect(connectRaw(url)).rejects.toThrow(/401/);
    } finally {
      await closeRaw(ws);
    }
    await waitFor(() => sandbox.socketMode.connections() === 1);
  });

  it('runs a slash command over the socket and shows the ack payload to that user only', async () => {
    const answer = await sandbox.slashCommand({ user: 'UBOB', channel: 'CINCIDENTS', text: 'ask why is checkout down' });
    expect(answer).toMatchObject({ status: 200, body: JSON.stringify({ response_type: 'ephemeral', text: 'You asked: ask why is checkout down' }) });
    expect(seen[0]?.body).toMatchObject({ command: '/k8s', text: 'ask why is checkout down', user_id: 'UBOB', response_url: answer.responseUrl });
    const [delivery] = sandbox.socketMode.deliveries;
    expect(delivery?.envelope).toMatchObject({ type: 'slash_commands', accepts_response_payload: true, payload: { command: '/k8s', channel_id: 'CINCIDENTS' } });
    expect(delivery?.envelope).not.toHaveProperty('retry_attempt');
    expect(delivery?.ack).toMatchObject({ envelope_id: delivery?.envelope.envelope_id, payload: { text: 'You asked: ask why is checkout down' } });
    expect(sandbox.botRequests.map((r) => [r.kind, r.transport, r.status])).toEqual([['command', 'socket', 200]]);
    expect(sandbox.ephemerals()).toEqual([expect.objectContaining({ user: 'UBOB', text: 'You asked: ask why is checkout down' })]);
  });

  it('delivers a button click as an interactive envelope; respond() replaces the message', async () => {
    const posted = await app.client.chat.postMessage({ channel: 'CINCIDENTS', text: 'Proposal', blocks: proposalBlocks });
    const answer = await sandbox.clickButton({ user: 'UALICE', channel: 'CINCIDENTS', messageTs: posted.ts!, actionId: 'proposal_approve' });
    expect(answer).toMatchObject({ status: 200, body: '' });
    expect(sandbox.socketMode.deliveries[0]?.envelope).toMatchObject({
      type: 'interactive',
      accepts_response_payload: false,
      payload: { type: 'block_actions', actions: [{ action_id: 'proposal_approve', value: 'p1' }] },
    });
    expect(seen[0]?.body).toMatchObject({ type: 'block_actions', user: { id: 'UALICE' } });
    await waitFor(() => sandbox.messages('CINCIDENTS').find((m) => m.ts === posted.ts && m.text === 'Approved by <@UALICE>'));
  });

  it('delivers messages as events_api envelopes (retry_attempt 0) and a resend with its retry attempt', async () => {
    const sent = await sandbox.postUserMessage({ user: 'UBOB', channel: 'CINCIDENTS', text: '<@UBOT> why?' });
    expect(sent.events.map((e) => [e.type, e.status])).toEqual([
      ['message', 200],
      ['app_mention', 200],
    ]);
    const envelopes = sandbox.socketMode.deliveries.map((d) => d.envelope);
    expect(envelopes.map((e) => [e.type, e.accepts_response_payload, e.retry_attempt, e.retry_reason])).toEqual([
      ['events_api', false, 0, ''],
      ['events_api', false, 0, ''],
    ]);
    expect(envelopes[1]?.payload).toMatchObject({ type: 'event_callback', event: { type: 'app_mention', user: 'UBOB', ts: sent.ts } });
    expect(sandbox.socketMode.acks.map((a) => a.envelope_id)).toEqual(envelopes.map((e) => e.envelope_id));
    await waitFor(() => sandbox.thread('CINCIDENTS', sent.ts).some((m) => m.text === 'Looking into it'));

    const mention = sent.events.find((e) => e.type === 'app_mention')!;
    expect((await sandbox.resendEvent(mention.eventId, { retryNum: 2 })).status).toBe(200);
    expect(sandbox.socketMode.deliveries[2]?.envelope).toMatchObject({ retry_attempt: 2, retry_reason: 'timeout', payload: { event_id: mention.eventId } });
    await waitFor(() => sandbox.thread('CINCIDENTS', sent.ts).filter((m) => m.text === 'Looking into it').length === 2);
    expect(seen.filter((s) => s.kind === 'app_mention').map((s) => s.retryNum)).toEqual([0, 2]);
  });
});

describe('slack sandbox Socket Mode edges', () => {
  it('answers status 0 when the bot never acks, and closes with a client still connected', async () => {
    const sb = await startSlackSandbox({ socketMode: true, appToken, ackTimeoutMs: 50 });
    const { url } = (await openConnection(sb, appToken)) as { url: string };
    const { ws } = await connectRaw(url);
    const answer = await sb.slashCommand({ user: 'UBOB', channel: 'CINCIDENTS', text: 'help' });
    expect(answer.status).toBe(0);
    expect(sb.socketMode.deliveries[0]?.ack).toBeUndefined();
    expect(sb.ephemerals()).toEqual([]);
    const closed = new Promise<void>((resolve) => ws.once('close', () => resolve()));
    await sb.close();
    await closed;
  });

  it('uses signed HTTP while no socket is connected, and refuses connections when Socket Mode is off', async () => {
    const on = await startSlackSandbox({ socketMode: true, appToken });
    const off = await startSlackSandbox({ appToken });
    try {
      await expect(on.slashCommand({ user: 'UBOB', channel: 'CINCIDENTS', text: 'help' })).rejects.toThrow(/no bot url set .* no Socket Mode connection/);
      on.setBotUrl('http://127.0.0.1:1/slack/events');
      expect((await on.slashCommand({ user: 'UBOB', channel: 'CINCIDENTS', text: 'help' })).status).toBe(0);
      expect(on.botRequests.map((r) => r.transport)).toEqual(['http']);
      expect(await openConnection(off, appToken)).toEqual({ ok: false, error: 'invalid_auth' });
      expect(off.socketMode.enabled).toBe(false);
    } finally {
      await on.close();
      await off.close();
    }
  });

  it("asks the bot to reconnect with a disconnect message, and Bolt's client comes back", async () => {
    const sb = await startSlackSandbox({ socketMode: true, appToken });
    // A short ping timeout is also Bolt's reconnect delay.
    const bolt = socketApp(sb, { clientPingTimeout: 150 });
    bolt.command('/k8s', async ({ ack }) => ack('pong'));
    try {
      await bolt.start();
      sb.socketMode.disconnect('refresh_requested');
      await waitFor(() => sb.calls.filter((c) => c.method === 'apps.connections.open').length === 2 && sb.socketMode.connections() === 1, {
        message: 'bolt did not reconnect',
      });
      const answer = await sb.slashCommand({ user: 'UBOB', channel: 'CINCIDENTS', text: 'ping' });
      expect(answer).toMatchObject({ status: 200, body: JSON.stringify({ text: 'pong' }) });
    } finally {
      await bolt.stop();
      await waitFor(() => sb.socketMode.connections() === 0);
      await sb.close();
    }
  });
});
