import { afterEach, describe, expect, it } from 'vitest';
import { subcommands } from '../../src/commands/parse.js';
import { createConversationFeature } from '../../src/conversation/feature.js';
import { startSlackSandbox, type SlackSandbox } from '../../sandbox/slack/index.js';
import { waitFor } from '../../sandbox/shared/wait.js';
import { fixture, startTestApp, type TestApp } from '../helpers/app.js';

const appToken = 'xapp-1-A0DECKHAND-socket-test';

let slack: SlackSandbox | undefined;
let app: TestApp | undefined;
afterEach(async () => {
  // The bot first, then Slack: a sandbox closing under a live bot makes it reconnect.
  await app?.stop();
  await slack?.close();
  app = undefined;
  slack = undefined;
});

/** Deckhand with SLACK_APP_TOKEN and no signing secret, on a sandbox in Socket Mode. */
async function startSocketApp(sandbox: SlackSandbox): Promise<TestApp> {
  return startTestApp({
    slack: sandbox,
    env: { SLACK_APP_TOKEN: appToken, SLACK_SIGNING_SECRET: undefined },
    features: [createConversationFeature({ readerFor: () => undefined })],
  });
}

const opens = (sandbox: SlackSandbox) => sandbox.calls.filter((c) => c.method === 'apps.connections.open');

describe('Socket Mode (SLACK_APP_TOKEN set)', () => {
  it('answers /k8s help over the socket, still takes webhooks and health checks over HTTP, and serves no /slack/events', async () => {
    slack = await startSlackSandbox({ socketMode: true, appToken });
    app = await startSocketApp(slack);
    expect(app.deckhand.slackApp.mode).toBe('socket');
    expect(opens(slack)).toEqual([expect.objectContaining({ ok: true, token: appToken })]);
    expect(slack.socketMode.connections()).toBe(1);

    const ack = await slack.slashCommand({ user: 'UALICE', channel: 'CINCIDENTS', text: 'help' });
    expect(ack.status).toBe(200);
    expect(slack.botRequests.map((r) => [r.kind, r.transport])).toEqual([['command', 'socket']]);
    const answer = await waitFor(() => slack!.calls.find((c) => c.method === 'response_url'), { message: 'no answer to /k8s help' });
    for (const s of Object.values(subcommands)) expect(JSON.stringify(answer.args)).toContain(`/k8s ${s.usage}`);
    expect(slack.ephemerals('CINCIDENTS').filter((e) => e.user === 'UALICE')).toHaveLength(1);

    const webhook = await app.postPagerDuty(fixture('pagerduty/incident-triggered.json'), { webhookId: 'wh-socket-1' });
    expect(webhook.status).toBe(202);
    const [root] = await waitFor(() => (slack!.messages('CINCIDENTS').length > 0 ? slack!.messages('CINCIDENTS') : undefined), {
      message: 'no thread root',
    });
    expect(root?.text).toContain('checkout: high 5xx rate');

    expect((await app.request('GET', '/healthz')).status).toBe(200);
    const events = await app.postSlack({ form: { command: '/k8s', text: 'help', user_id: 'UALICE', channel_id: 'CINCIDENTS' } });
    expect(events.status).toBe(404);
    expect(events.json).toMatchObject({ error: { code: 'not_found' } });
    expect(slack.calls.filter((c) => c.method === 'response_url')).toHaveLength(1);
  });

  it('closes the socket before stop resolves', async () => {
    slack = await startSlackSandbox({ socketMode: true, appToken });
    app = await startSocketApp(slack);
    expect(slack.socketMode.connections()).toBe(1);
    await app.deckhand.slackApp.stop();
    expect(slack.socketMode.connections()).toBe(0);
    await app.stop();
    app = undefined;
    expect(opens(slack)).toHaveLength(1);
  });

  it('connects although apps.connections.open fails at first', async () => {
    slack = await startSlackSandbox({ socketMode: true, appToken });
    slack.failNext({ method: 'apps.connections.open', status: 503 });
    app = await startSocketApp(slack);
    expect(opens(slack).map((c) => c.status)).toEqual([503, 200]);
    expect(slack.socketMode.connections()).toBe(1);
  });
});
