import { afterEach, describe, expect, it } from 'vitest';
import type { Feature } from '../../src/core/feature.js';
import { isFromTheFuture } from '../../src/slack/app.js';
import { waitFor } from '../../sandbox/shared/wait.js';
import { fixture, startTestApp, type TestApp } from '../helpers/app.js';
import { signSlack } from '../helpers/signers.js';

let app: TestApp | undefined;
afterEach(async () => {
  await app?.stop();
  app = undefined;
});

describe('health, readiness and metrics', () => {
  it('answers /healthz, and /readyz 200 with every check named when all pass', async () => {
    app = await startTestApp();
    expect((await app.request('GET', '/healthz')).status).toBe(200);
    const ready = await app.request('GET', '/readyz');
    expect(ready.status).toBe(200);
    expect(ready.json).toEqual({ ok: true, checks: { redis: { ok: true }, slack: { ok: true }, clusters: { default: { ok: true } } } });
  });

  it('answers /readyz 503 and says which check failed', async () => {
    app = await startTestApp({
      yaml: 'clusters:\n  prod: { context: prod }\n  staging: { context: staging }\n',
      clusters: {
        names: () => ['prod', 'staging'],
        check: (name) => Promise.resolve(name === 'prod' ? { ok: true } : { ok: false, message: 'connect ECONNREFUSED' }),
      },
    });
    // Start-up checks Slack once by itself; the failure below is for the readiness probe's call.
    await waitFor(() => app!.slack.calls.some((c) => c.method === 'auth.test'), { message: 'no start-up auth.test' });
    app.slack.failNext({ method: 'auth.test', error: 'invalid_auth' });
    const ready = await app.request('GET', '/readyz');
    expect(ready.status).toBe(503);
    expect(ready.json.ok).toBe(false);
    expect(ready.json.checks.redis).toEqual({ ok: true });
    expect(ready.json.checks.slack).toEqual({ ok: false, message: 'invalid_auth' });
    expect(ready.json.checks.clusters).toEqual({ prod: { ok: true }, staging: { ok: false, message: 'connect ECONNREFUSED' } });
  });

  it('serves Prometheus text with webhook, job and Slack metrics', async () => {
    app = await startTestApp();
    await app.postAlertmanager(fixture('alertmanager/firing.json'));
    await app.postAlertmanager(fixture('alertmanager/firing.json'), { authorization: 'Bearer wrong' });
    await waitFor(() => app!.slack.messages().length === 1);
    const text = await waitFor(async () => {
      const body = (await app!.request('GET', '/metrics')).text;
      return body.includes('deckhand_jobs_total{queue="intake",state="completed"} 1') ? body : undefined;
    });
    expect(text).toContain('deckhand_webhooks_received_total{source="alertmanager"} 2');
    expect(text).toContain('deckhand_webhooks_rejected_total{source="alertmanager",reason="unauthorized"} 1');
    expect(text).toContain('deckhand_slack_api_calls_total{method="chat.postMessage"} 1');
    expect(text).toMatch(/deckhand_jobs\{queue="intake",state="completed"\} 1/);
  });

  it('answers 404 for unknown paths and 405 for a wrong method', async () => {
    app = await startTestApp();
    expect((await app.request('GET', '/nope')).status).toBe(404);
    expect((await app.request('GET', '/webhooks/pagerduty')).status).toBe(405);
  });
});

describe('features and /slack/events', () => {
  it('routes signed events, commands and button clicks to the listeners a feature registers', async () => {
    const seen: string[] = [];
    const feature: Feature = {
      name: 'probe',
      registerSlack(slackApp, ctx) {
        slackApp.command('/k8s', async ({ ack, command }) => {
          seen.push(`command:${command.text}`);
          await ack({ response_type: 'ephemeral', text: `ok from ${ctx.config.env.ALERT_CHANNEL ?? ''}` });
        });
        slackApp.action('proposal_approve', async ({ ack, body }) => {
          await ack();
          seen.push(`action:${body.user.id}`);
        });
        slackApp.event('app_mention', async ({ event }) => {
          seen.push(`mention:${event.user ?? ''}`);
          // The fixture's thread does not exist in the sandbox, so answer in the channel.
          await ctx.slack.post({ channel: event.channel, message: { text: 'on it' }, idempotencyKey: `reply-${event.ts}` });
        });
      },
      start(ctx) {
        seen.push('start');
        ctx.addReadinessCheck('probe', () => Promise.resolve({ ok: true }));
      },
      stop() {
        seen.push('stop');
        return Promise.resolve();
      },
    };
    app = await startTestApp({ features: [feature] });
    expect(seen).toEqual(['start']);

    const verification = await app.postSlack({ json: fixture('slack/url-verification.json') });
    expect(verification.json).toEqual({ challenge: fixture('slack/url-verification.json').challenge });

    const command = await app.postSlack({ form: fixture('slack/command-k8s-help.json') });
    expect(command.status).toBe(200);
    expect(command.json).toMatchObject({ response_type: 'ephemeral', text: 'ok from CINCIDENTS' });

    const click = await app.postSlack({ form: { payload: JSON.stringify(fixture('slack/interaction-block-actions.json')) } });
    expect(click.status).toBe(200);

    expect((await app.postSlack({ json: fixture('slack/event-app-mention.json') })).status).toBe(200);
    await waitFor(() => app!.slack.messages('CINCIDENTS').some((m) => m.text === 'on it'));
    expect(seen).toEqual(['start', 'command:help', 'action:UALICE', 'mention:UALICE']);
    expect((await app.request('GET', '/readyz')).json.checks.probe).toEqual({ ok: true });

    await app.stop();
    app = undefined;
    expect(seen.at(-1)).toBe('stop');
  });

  it('refuses a Slack request with a bad or stale signature', async () => {
    app = await startTestApp();
    const raw = JSON.stringify(fixture('slack/event-app-mention.json'));
    const bad = await app.request('POST', '/slack/events', { body: raw, headers: { 'content-type': 'application/json', ...signSlack('wrong-secret', raw) } });
    expect(bad.status).toBe(401);
    const stale = await app.request('POST', '/slack/events', {
      body: raw,
      headers: { 'content-type': 'application/json', ...signSlack(app.slack.signingSecret, raw, Math.floor(Date.now() / 1000) - 600) },
    });
    expect(stale.status).toBe(401);
  });

  it('refuses a correctly signed Slack request whose timestamp is more than 5 minutes in the future', async () => {
    app = await startTestApp();
    const raw = JSON.stringify(fixture('slack/event-app-mention.json'));
    const post = (ts: number) =>
      app!.request('POST', '/slack/events', { body: raw, headers: { 'content-type': 'application/json', ...signSlack(app!.slack.signingSecret, raw, ts) } });
    const now = Math.floor(Date.now() / 1000);
    expect((await post(now + 3600)).status).toBe(401);
    expect((await post(now + 301 + 60)).status).toBe(401);
    expect(app.logs()).toContain('slack request refused: timestamp in the future');
    // Within the window (a sender's clock a little ahead) the same signed request is served.
    expect((await post(now + 60)).status).toBe(200);
  });
});

describe('isFromTheFuture', () => {
  const now = Date.parse('2026-12-02T08:00:00Z');
  it.each([
    [String(now / 1000 + 301), true],
    [String(now / 1000 + 300), false],
    [String(now / 1000 - 3600), false],
    ['not-a-number', false],
  ])('%s → %s', (header, expected) => {
    expect(isFromTheFuture(header, now)).toBe(expected);
  });
});
