import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../../sandbox/shared/wait.js';
import { fixture, startTestApp, type TestApp } from '../helpers/app.js';

let app: TestApp | undefined;
afterEach(async () => {
  await app?.stop();
  app = undefined;
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- wire payloads the tests mangle
const pagerDuty = (path: string, mutate: (event: any) => void = () => undefined): unknown => {
  const payload = fixture<{ event: unknown }>(`pagerduty/${path}.json`);
  mutate(payload.event);
  return payload;
};
const headerOf = (blocks: unknown) => (blocks as { text?: { text?: string } }[] | undefined)?.[0]?.text?.text;
const roots = (a: TestApp) => a.slack.messages('CINCIDENTS');

async function incidentOf(a: TestApp, key: string) {
  return waitFor(async () => {
    const stored = await a.ctx.incidents.getByKey(key);
    return stored?.threadTs ? stored : undefined;
  }, { message: `no thread for ${key}` });
}

describe('intake never loses an incident to its content', () => {
  it('gives a PagerDuty incident with an empty title a thread titled after its service', async () => {
    app = await startTestApp();
    const res = await app.postPagerDuty(pagerDuty('incident-triggered', (e) => (e.data.title = '   ')), { webhookId: 'empty-title' });
    expect(res.status).toBe(202);
    await incidentOf(app, 'pagerduty:PGR0VU2');
    expect(roots(app)).toHaveLength(1);
    expect(headerOf(roots(app)[0]!.blocks)).toBe('Checkout API');
  });

  it('gives an Alertmanager group with an empty summary and no alertname a thread', async () => {
    app = await startTestApp();
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a wire payload the test mangles
    const group: any = fixture('alertmanager/firing.json');
    group.commonAnnotations = { summary: '' };
    delete group.groupLabels.alertname;
    delete group.commonLabels.alertname;
    delete group.commonLabels.deployment;
    for (const alert of group.alerts) {
      delete alert.labels.alertname;
      delete alert.labels.deployment;
      delete alert.labels.pod;
      alert.annotations = {};
    }
    expect((await app.postAlertmanager(group)).status).toBe(202);
    await incidentOf(app, `alertmanager:${group.groupKey}`);
    expect(roots(app)).toHaveLength(1);
    expect(headerOf(roots(app)[0]!.blocks)).toBe('Untitled alert from Alertmanager');
  });

  it('opens one thread for a huge title full of control characters, shown on one clean line', async () => {
    app = await startTestApp();
    const title = `checkout\u0000 down\r\n\t\u202Eevil\u0007 ${'x'.repeat(200_000)}`;
    expect((await app.postPagerDuty(pagerDuty('incident-triggered', (e) => (e.data.title = title)), { webhookId: 'absurd' })).status).toBe(202);
    const incident = await incidentOf(app, 'pagerduty:PGR0VU2');
    expect(incident.title.length).toBeLessThanOrEqual(300);
    const header = headerOf(roots(app)[0]!.blocks)!;
    expect(header.startsWith('checkout down evil x')).toBe(true);
    expect(header).not.toMatch(/[\p{Cc}\u202e]/u);
    expect(roots(app)).toHaveLength(1);
  });

  it('resolves an incident whose trigger claimed to happen in 2099', async () => {
    app = await startTestApp();
    await app.postPagerDuty(pagerDuty('incident-triggered', (e) => (e.occurred_at = '2099-01-01T00:00:00Z')), { webhookId: 'future' });
    const incident = await incidentOf(app, 'pagerduty:PGR0VU2');
    expect(Date.parse(incident.lastEventAt!)).toBeLessThanOrEqual(Date.now());
    // A resolve sent now, with an honest clock, is newer than the clamped trigger.
    await app.postPagerDuty(pagerDuty('incident-resolved', (e) => (e.occurred_at = new Date().toISOString())), { webhookId: 'resolve-now' });
    await waitFor(async () => (await app!.ctx.incidents.get(incident.id))?.status === 'resolved', { message: 'the incident never resolved' });
    expect(headerOf(roots(app)[0]!.blocks)).toContain('[RESOLVED]');
  });

  it('posts a plain-text root when Slack refuses the Block Kit root for its content', async () => {
    app = await startTestApp();
    app.slack.failNext({ method: 'chat.postMessage', error: 'invalid_blocks' });
    const title = 'checkout <!channel> & friends';
    await app.postPagerDuty(pagerDuty('incident-triggered', (e) => (e.data.title = title)), { webhookId: 'refused' });
    const incident = await incidentOf(app, 'pagerduty:PGR0VU2');
    const [root] = roots(app);
    expect(roots(app)).toHaveLength(1);
    expect(root!.blocks).toBeUndefined();
    expect(root!.text).toContain('checkout &lt;!channel&gt; &amp; friends');
    expect(root!.text).toContain(incident.id);
    expect(incident.threadTs).toBe(root!.ts);
    // Its analysis was still asked for: the thread goes on as usual.
    expect(await app.ctx.queues.get('analysis').getJob(`analysis-${incident.id}-1`)).toBeTruthy();
  });
});
