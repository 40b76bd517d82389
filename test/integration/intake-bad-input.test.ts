import { afterEach, describe, expect, it } from 'vitest';
import { fixture, startTestApp, testSecrets, type TestApp } from '../helpers/app.js';
import { signPagerDuty } from '../helpers/signers.js';

let app: TestApp | undefined;
afterEach(async () => {
  if (app) {
    // Whatever was refused, nothing was queued and nothing reached Slack.
    expect(await app.ctx.queues.get('intake').count()).toBe(0);
    expect(app.slack.calls.filter((c) => c.method.startsWith('chat.'))).toHaveLength(0);
    await app.stop();
  }
  app = undefined;
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a wire payload the tests mangle
const triggered = (): any => fixture('pagerduty/incident-triggered.json');

describe('webhook refusals', () => {
  it('answers 401 to a missing, malformed or wrong PagerDuty signature', async () => {
    app = await startTestApp();
    const raw = JSON.stringify(triggered());
    for (const signature of ['', 'v1=abc', 'v0=deadbeef', signPagerDuty(raw, 'some-other-secret'), signPagerDuty(`${raw} `, testSecrets.pagerduty)]) {
      const res = await app.postPagerDuty(undefined, { raw, signature });
      expect(res.status).toBe(401);
      expect(res.json.error.code).toBe('unauthorized');
    }
  });

  it('accepts any matching v1 entry and any configured secret during a rotation', async () => {
    app = await startTestApp({ env: { PAGERDUTY_WEBHOOK_SECRETS: `old-secret,${testSecrets.pagerduty}` } });
    const raw = JSON.stringify({ ...triggered(), event: { ...triggered().event, event_type: 'incident.annotated' } });
    const res = await app.postPagerDuty(undefined, { raw, signature: signPagerDuty(raw, ['retired-secret', 'old-secret']) });
    expect(res.status).toBe(200);
  });

  it('refuses every PagerDuty request when no secret is configured', async () => {
    app = await startTestApp({ env: { PAGERDUTY_WEBHOOK_SECRETS: undefined } });
    const res = await app.postPagerDuty(triggered());
    expect(res.status).toBe(401);
    expect(res.json.error.message).toContain('PAGERDUTY_WEBHOOK_SECRETS');
  });

  it('answers 401 to a missing or wrong Alertmanager bearer token, and to all when none is configured', async () => {
    app = await startTestApp();
    const firing = fixture('alertmanager/firing.json');
    for (const authorization of ['', 'Bearer', 'Bearer wrong', `Basic ${testSecrets.alertmanager}`, `Bearer ${testSecrets.alertmanager}x`]) {
      expect((await app.postAlertmanager(firing, { authorization })).status).toBe(401);
    }
    await app.stop();
    app = await startTestApp({ env: { ALERTMANAGER_TOKEN: undefined } });
    const res = await app.postAlertmanager(firing);
    expect(res.status).toBe(401);
    expect(res.json.error.message).toContain('ALERTMANAGER_TOKEN');
  });

  it('says where a malformed body is wrong without quoting it, in the 400 and in the log', async () => {
    app = await startTestApp({ env: { LOG_LEVEL: 'debug' } });
    const planted = 'hunter2-planted-value';
    const res = await app.postPagerDuty(undefined, { raw: `{"event": {"password": ${planted}}}` });
    expect(res.status).toBe(400);
    expect(res.json.error.message).toBe('body is not valid JSON: unexpected character at line 1, column 24');
    const am = await app.postAlertmanager(undefined, { raw: `{"version": "4",\n "token": "${planted}` });
    expect(am.status).toBe(400);
    expect(am.json.error.message).toContain('unterminated string at line 2');
    expect(JSON.stringify([res.json, am.json])).not.toContain(planted);
    expect(app.logs()).toContain('webhook refused: bad request');
    expect(app.logs()).not.toContain(planted);
  });

  it('answers 400 with a JSON error naming the problem for malformed or schema-invalid bodies', async () => {
    app = await startTestApp();
    const notJson = await app.postPagerDuty(undefined, { raw: '{"event": ' });
    expect(notJson.status).toBe(400);
    expect(notJson.json.error).toMatchObject({ code: 'bad_request' });
    expect(notJson.json.error.message).toContain('not valid JSON');

    const noTitle = triggered();
    delete noTitle.event.data.title;
    const invalid = await app.postPagerDuty(noTitle);
    expect(invalid.status).toBe(400);
    expect(invalid.json.error.message).toContain('event.data');
    expect(invalid.json.error.message).toContain('title');

    const noEvent = await app.postPagerDuty({ messages: [] });
    expect(noEvent.status).toBe(400);
    expect(noEvent.json.error.message).toContain('event');

    const v3 = { ...fixture('alertmanager/firing.json'), version: '3' };
    const amInvalid = await app.postAlertmanager(v3);
    expect(amInvalid.status).toBe(400);
    expect(amInvalid.json.error.message).toContain('version');
    const amNotJson = await app.postAlertmanager(undefined, { raw: 'alerts!' });
    expect(amNotJson.status).toBe(400);
  });

  it('answers 413 to a body over 1 MiB', async () => {
    app = await startTestApp();
    const big = triggered();
    big.event.data.title = 'x'.repeat(1024 * 1024 + 10);
    const pd = await app.postPagerDuty(big);
    expect(pd.status).toBe(413);
    expect(pd.json.error.code).toBe('payload_too_large');
    const am = fixture('alertmanager/firing.json');
    am.commonAnnotations.summary = 'y'.repeat(1024 * 1024 + 10);
    expect((await app.postAlertmanager(am)).status).toBe(413);
    const metrics = (await app.request('GET', '/metrics')).text;
    expect(metrics).toMatch(/deckhand_webhooks_rejected_total\{source="pagerduty",reason="payload_too_large"\} 1/);
  });

  it('never writes a secret, a signature or a token to the logs', async () => {
    app = await startTestApp();
    const raw = JSON.stringify(triggered());
    const signature = signPagerDuty(raw, testSecrets.pagerduty);
    await app.postPagerDuty(undefined, { raw, signature: signPagerDuty(raw, 'nope') });
    await app.postAlertmanager(fixture('alertmanager/firing.json'), { authorization: 'Bearer leaked-guess-123' });
    await app.request('GET', '/readyz');
    const logs = app.logs();
    expect(logs.length).toBeGreaterThan(0);
    for (const secret of [testSecrets.pagerduty, testSecrets.alertmanager, testSecrets.botToken, signature.slice(3), 'leaked-guess-123', app.slack.signingSecret]) {
      expect(logs).not.toContain(secret);
    }
  });
});
