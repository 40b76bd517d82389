import { createHmac, timingSafeEqual } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSlackSandbox, type SlackSandbox } from '../../../sandbox/slack/index.js';
import { waitFor } from '../../../sandbox/shared/wait.js';

const chromiumPath = '/usr/bin/chromium';
const secret = 'ui-test-signing-secret';

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A tiny stand-in for the bot: records what reaches it and checks Slack's signature itself. */
function startReceiver(): Promise<{ server: Server; url: string; received: Received[] }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(200).end();
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`, received });
    });
  });
}

function hasValidSignature(r: Received): boolean {
  const ts = String(r.headers['x-slack-request-timestamp']);
  const expected = Buffer.from(`v0=${createHmac('sha256', secret).update(`v0:${ts}:${r.body}`).digest('hex')}`);
  const actual = Buffer.from(String(r.headers['x-slack-signature']));
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

async function api(sandbox: SlackSandbox, method: string, args: Record<string, unknown>): Promise<{ ts: string }> {
  const res = await fetch(`${sandbox.apiUrl}${method}`, {
    method: 'POST',
    headers: { authorization: 'Bearer xoxb-sandbox', 'content-type': 'application/json' },
    body: JSON.stringify(args),
  });
  const json = (await res.json()) as { ok: boolean; ts: string; error?: string };
  if (!json.ok) throw new Error(`${method}: ${json.error}`);
  return json;
}

const rootBlocks = [
  { type: 'header', text: { type: 'plain_text', text: 'KubePodCrashLooping shop/checkout' } },
  { type: 'section', fields: [{ type: 'mrkdwn', text: '*Severity*\ncritical' }, { type: 'mrkdwn', text: '*Cluster*\n`sandbox`' }] },
  { type: 'context', elements: [{ type: 'mrkdwn', text: '<https://alertmanager.example.com|open in Alertmanager>' }] },
];
const proposalBlocks = [
  { type: 'section', text: { type: 'mrkdwn', text: '*Roll back* `deployment/checkout`' } },
  { type: 'divider' },
  {
    type: 'actions',
    block_id: 'proposal-p1',
    elements: [
      { type: 'button', action_id: 'proposal_approve', value: 'p1', style: 'primary', text: { type: 'plain_text', text: 'Approve' } },
      { type: 'button', action_id: 'proposal_reject', value: 'p1', style: 'danger', text: { type: 'plain_text', text: 'Reject' } },
    ],
  },
];

// CI installs chromium (.ci/run), so there a missing browser fails the run instead of skipping it.
describe.skipIf(!existsSync(chromiumPath) && process.env.CI !== 'true')('slack sandbox page (skipped outside CI when /usr/bin/chromium is not installed)', () => {
  let sandbox: SlackSandbox;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let browser: Browser;
  let page: Page;
  let rootTs: string;
  let proposalTs: string;

  beforeAll(async () => {
    receiver = await startReceiver();
    sandbox = await startSlackSandbox({ signingSecret: secret, botUrl: receiver.url });
    browser = await chromium.launch({
      executablePath: chromiumPath,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await sandbox?.close();
    await new Promise((resolve) => receiver?.server.close(resolve));
  });
  beforeEach(async () => {
    sandbox.reset();
    receiver.received.length = 0;
    rootTs = (await api(sandbox, 'chat.postMessage', { channel: 'CINCIDENTS', text: 'alert', blocks: rootBlocks })).ts;
    proposalTs = (await api(sandbox, 'chat.postMessage', { channel: 'CINCIDENTS', text: 'proposal', blocks: proposalBlocks, thread_ts: rootTs })).ts;
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  });

  it('renders Block Kit and sends a signed block_actions request when an approver clicks Approve', async () => {
    await page.goto(`${sandbox.url}/?user=UALICE#/CINCIDENTS`);
    await page.locator('.block.header', { hasText: 'KubePodCrashLooping shop/checkout' }).waitFor();
    expect(await page.locator('.fields strong', { hasText: 'Severity' }).count()).toBe(1);
    expect(await page.locator('.block.context a[href="https://alertmanager.example.com"]').textContent()).toBe('open in Alertmanager');

    await page.getByRole('button', { name: '1 reply' }).click();
    const approve = page.locator('#thread-pane button.btn-primary', { hasText: 'Approve' });
    await approve.waitFor();
    expect(await page.locator('#thread-pane button.btn-danger', { hasText: 'Reject' }).count()).toBe(1);
    await approve.click();

    const request = await waitFor(() => receiver.received[0], { message: 'no request reached the bot' });
    expect(request.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(hasValidSignature(request)).toBe(true);
    const payload = JSON.parse(new URLSearchParams(request.body).get('payload') ?? '{}');
    expect(payload).toMatchObject({
      type: 'block_actions',
      user: { id: 'UALICE' },
      container: { message_ts: proposalTs, channel_id: 'CINCIDENTS' },
      actions: [{ action_id: 'proposal_approve', value: 'p1' }],
    });
    await page.close();
  });

  it('acts as the switched-to user for slash commands and thread replies that mention the bot', async () => {
    await page.goto(`${sandbox.url}/?user=UALICE#/CINCIDENTS/${rootTs}`);
    await page.locator('#thread-pane .block.header').waitFor();
    await page.selectOption('#user-switch', 'UBOB');
    await page.locator('#user-role', { hasText: 'not an approver' }).waitFor();

    await page.fill('#composer-input', '/k8s help');
    await page.press('#composer-input', 'Enter');
    const command = await waitFor(() => receiver.received.find((r) => r.body.includes('command=')));
    expect(Object.fromEntries(new URLSearchParams(command.body))).toMatchObject({ command: '/k8s', text: 'help', user_id: 'UBOB' });

    await page.fill('#thread-input', '@deckhand why is it crashing?');
    await page.press('#thread-input', 'Enter');
    const mention = await waitFor(() => receiver.received.find((r) => r.body.includes('"app_mention"')));
    expect(hasValidSignature(mention)).toBe(true);
    expect(JSON.parse(mention.body).event).toMatchObject({ user: 'UBOB', text: '<@UBOT> why is it crashing?', thread_ts: rootTs });
    await page.locator('#thread-messages .mention', { hasText: '@deckhand' }).waitFor();
    await page.close();
  });

  it('shows new messages live and ephemerals only to their user', async () => {
    await page.goto(`${sandbox.url}/?user=UBOB#/CINCIDENTS`);
    await page.locator('.block.header').waitFor();
    await api(sandbox, 'chat.postMessage', { channel: 'CINCIDENTS', text: 'Resolved: *OOMKilled* in `shop/cart` :white_check_mark:' });
    await page.locator('.msg-content strong', { hasText: 'OOMKilled' }).waitFor();
    expect(await page.locator('.msg-content', { hasText: '✅' }).count()).toBe(1);

    await api(sandbox, 'chat.postEphemeral', { channel: 'CINCIDENTS', user: 'UALICE', text: 'for alice only' });
    await api(sandbox, 'chat.postEphemeral', { channel: 'CINCIDENTS', user: 'UBOB', text: 'for bob only' });
    await page.locator('.msg.ephemeral', { hasText: 'for bob only' }).waitFor();
    expect(await page.locator('.msg', { hasText: 'for alice only' }).count()).toBe(0);

    // Like Slack's: an ephemeral lives as long as the page it came to; a reload starts without it.
    await page.reload();
    await page.locator('.block.header').waitFor();
    await api(sandbox, 'chat.postEphemeral', { channel: 'CINCIDENTS', user: 'UBOB', text: 'after the reload' });
    await page.locator('.msg.ephemeral', { hasText: 'after the reload' }).waitFor();
    expect(await page.locator('.msg', { hasText: 'for bob only' }).count()).toBe(0);
    await page.close();
  });

  it('keeps the channel header on one line at 1280 px and never wraps inline code inside a flag', async () => {
    const channel = sandbox.workspace.channels.get('CINCIDENTS');
    if (!channel) throw new Error('no #incidents');
    channel.topic = 'approval mode: an approver clicks Approve before anything runs, and high-risk actions need a second approver';
    await page.goto(`${sandbox.url}/?user=UALICE#/CINCIDENTS/${rootTs}`);
    await page.locator('.block.header').first().waitFor();
    const header = await page.locator('.channel-header').boundingBox();
    const title = await page.locator('.channel-header h1').boundingBox();
    expect(header && title && header.height).toBeLessThanOrEqual(Math.max(52, (title?.height ?? 0) + 24));
    const topic = await page.locator('#channel-topic').boundingBox();
    expect(topic?.height).toBeLessThan(24);

    const flag = '--limits=cpu=500m,memory=512Mi';
    await api(sandbox, 'chat.postMessage', { channel: 'CINCIDENTS', thread_ts: rootTs, text: `\`kubectl set resources deployment/checkout -c checkout ${flag} --requests=cpu=250m,memory=256Mi -n shop\`` });
    const span = page.locator('.thread .msg-content code .nowrap', { hasText: flag });
    await span.waitFor();
    // One line box: the flag is never split.
    const rects = await span.evaluate((el) => (el as unknown as { getClientRects(): { length: number } }).getClientRects().length);
    expect(rects).toBe(1);
    await page.close();
  });
});
