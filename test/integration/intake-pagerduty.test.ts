import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../../sandbox/shared/wait.js';
import { fixture, intakeDrained, startTestApp, type TestApp } from '../helpers/app.js';

const routesYaml = `
routes:
  - match: { source: pagerduty, pagerdutyService: PF9KMXH }
    channel: CPLATFORM
pagerduty:
  services:
    PF9KMXH: { cluster: default, namespace: shop, deployment: checkout }
`;

let app: TestApp | undefined;
afterEach(async () => {
  await app?.stop();
  app = undefined;
});

const posts = (a: TestApp) => a.slack.calls.filter((c) => c.method === 'chat.postMessage' && c.ok);
const updates = (a: TestApp) => a.slack.calls.filter((c) => c.method === 'chat.update' && c.ok);
const headerOf = (blocks: unknown) => (blocks as { text?: { text?: string } }[] | undefined)?.[0]?.text?.text;


describe('PagerDuty intake', () => {
  it('opens exactly one thread root in the routed channel for a signed incident.triggered', async () => {
    app = await startTestApp({ yaml: routesYaml });
    const res = await app.postPagerDuty(fixture('pagerduty/incident-triggered.json'), { webhookId: 'wh-1' });
    expect(res.status).toBe(202);
    await waitFor(() => posts(app!).length === 1, { message: 'root was not posted' });
    const root = app.slack.messages('CPLATFORM');
    expect(root).toHaveLength(1);
    expect(root[0]!.text).toContain('checkout: high 5xx rate');
    const blocksText = JSON.stringify(root[0]!.blocks);
    expect(blocksText).toContain('CRITICAL');
    expect(blocksText).toContain('Checkout API');
    expect(blocksText).toContain('deployment/checkout');
    expect(blocksText).toContain('https://acme.pagerduty.com/incidents/PGR0VU2');
    expect(app.slack.messages('CINCIDENTS')).toHaveLength(0);

    const incident = await waitFor(async () => {
      const stored = await app!.ctx.incidents.getByKey('pagerduty:PGR0VU2');
      return stored?.threadTs ? stored : undefined;
    });
    expect(incident).toMatchObject({ channel: 'CPLATFORM', threadTs: root[0]!.ts, status: 'triggered', target: { namespace: 'shop', deployment: 'checkout' } });
    // Analysis is asked for once the root exists.
    const analysis = await waitFor(() => app!.ctx.queues.get('analysis').getJob(`analysis-${incident.id}-1`));
    expect(analysis?.data).toEqual({ incidentId: incident.id });
  });

  it('opens no second thread for redeliveries, concurrent duplicates and a repeated trigger', async () => {
    app = await startTestApp({ yaml: routesYaml });
    const triggered = fixture('pagerduty/incident-triggered.json');
    const first = await Promise.all([
      app.postPagerDuty(triggered, { webhookId: 'wh-dup' }),
      app.postPagerDuty(triggered, { webhookId: 'wh-dup' }),
      app.postPagerDuty(triggered, { webhookId: 'wh-other-1' }),
      app.postPagerDuty(triggered, { webhookId: 'wh-other-2' }),
    ]);
    expect(first.map((r) => r.status)).toEqual([202, 202, 202, 202]);
    await waitFor(() => posts(app!).length >= 1);
    // A later redelivery and a second trigger event for the same incident.
    expect((await app.postPagerDuty(triggered, { webhookId: 'wh-dup' })).status).toBe(202);
    const again = structuredClone(triggered);
    again.event.id = 'second-trigger-event';
    again.event.occurred_at = '2026-11-21T18:46:00.000Z';
    expect((await app.postPagerDuty(again, { webhookId: 'wh-second-trigger' })).status).toBe(202);
    await intakeDrained(app);
    expect(posts(app)).toHaveLength(1);
    expect(app.slack.messages()).toHaveLength(1);
    expect(updates(app)).toHaveLength(0);
  });

  it('edits the root on acknowledge and resolve, and re-analyses a reopened incident in the same thread', async () => {
    app = await startTestApp({ yaml: routesYaml });
    await app.postPagerDuty(fixture('pagerduty/incident-triggered.json'), { webhookId: 'wh-t' });
    await waitFor(() => posts(app!).length === 1);
    const rootTs = app.slack.messages('CPLATFORM')[0]!.ts;

    expect((await app.postPagerDuty(fixture('pagerduty/incident-acknowledged.json'), { webhookId: 'wh-a' })).status).toBe(202);
    await waitFor(() => updates(app!).length === 1, { message: 'acknowledge did not edit the root' });
    expect(updates(app)[0]!.args.ts).toBe(rootTs);
    expect(JSON.stringify(app.slack.messages('CPLATFORM')[0]!.blocks)).toContain('Acknowledged');

    expect((await app.postPagerDuty(fixture('pagerduty/incident-resolved.json'), { webhookId: 'wh-r' })).status).toBe(202);
    await waitFor(() => updates(app!).length === 2, { message: 'resolve did not edit the root' });
    const resolved = app.slack.messages('CPLATFORM')[0]!;
    expect(headerOf(resolved.blocks)).toContain('[RESOLVED]');
    expect(resolved.text).toContain('resolved');
    await waitFor(async () => !(await app!.ctx.incidents.listOpen()).some((i) => i.key === 'pagerduty:PGR0VU2'), { message: 'resolved incident still open' });

    expect((await app.postPagerDuty(fixture('pagerduty/incident-reopened.json'), { webhookId: 'wh-o' })).status).toBe(202);
    await waitFor(() => updates(app!).length === 3, { message: 're-trigger did not edit the root' });
    expect(posts(app)).toHaveLength(1);
    const incident = await waitFor(async () => {
      const stored = await app!.ctx.incidents.getByKey('pagerduty:PGR0VU2');
      return stored?.triggerCount === 2 ? stored : undefined;
    });
    expect(incident).toMatchObject({ status: 'triggered', triggerCount: 2, threadTs: rootTs });
    await waitFor(() => app!.ctx.queues.get('analysis').getJob(`analysis-${incident.id}-2`), { message: 'no analysis for the re-trigger' });
  });

  it('returns the root to triggered on unacknowledged, and shows a changed priority as the severity', async () => {
    app = await startTestApp({ yaml: routesYaml });
    await app.postPagerDuty(fixture('pagerduty/incident-triggered.json'), { webhookId: 'wh-t' });
    await waitFor(() => posts(app!).length === 1);
    const root = () => JSON.stringify(app!.slack.messages('CPLATFORM')[0]!.blocks);
    expect(root()).toContain('CRITICAL');

    await app.postPagerDuty(fixture('pagerduty/incident-acknowledged.json'), { webhookId: 'wh-a' });
    await waitFor(() => updates(app!).length === 1, { message: 'acknowledge did not edit the root' });
    expect(root()).toContain('Acknowledged');

    // P1 → P3: the severity shown follows the new priority.
    expect((await app.postPagerDuty(fixture('pagerduty/incident-priority-updated.json'), { webhookId: 'wh-p' })).status).toBe(202);
    await waitFor(() => updates(app!).length === 2, { message: 'priority_updated did not edit the root' });
    expect(root()).toContain('WARNING');
    expect(root()).not.toContain('CRITICAL');

    expect((await app.postPagerDuty(fixture('pagerduty/incident-unacknowledged.json'), { webhookId: 'wh-u' })).status).toBe(202);
    await waitFor(() => updates(app!).length === 3, { message: 'unacknowledged did not edit the root' });
    expect(root()).toContain('Triggered');
    expect(root()).not.toContain('Acknowledged');
    // The root is edited before the store records the change (a failed edit retries it): wait for the store.
    const stored = await waitFor(async () => {
      const incident = await app!.ctx.incidents.getByKey('pagerduty:PGR0VU2');
      return incident?.status === 'triggered' ? incident : undefined;
    }, { message: 'the store did not record the unacknowledge' });
    expect(stored).toMatchObject({ status: 'triggered', severity: 'warning', triggerCount: 1 });
  });

  it('acknowledges and ignores event types it does not handle', async () => {
    app = await startTestApp({ yaml: routesYaml });
    for (const name of ['incident-annotated', 'service-updated']) {
      const res = await app.postPagerDuty(fixture(`pagerduty/${name}.json`), { webhookId: `wh-${name}` });
      expect(res.status).toBe(200);
      expect(res.json.ignored).toBeTruthy();
    }
    expect(await app.ctx.queues.get('intake').count()).toBe(0);
    expect(app.slack.calls.filter((c) => c.method.startsWith('chat.'))).toHaveLength(0);
    expect(app.logs()).toContain('pagerduty event type ignored');
  });

  it('falls back to ALERT_CHANNEL when no route matches', async () => {
    app = await startTestApp();
    await app.postPagerDuty(fixture('pagerduty/incident-triggered.json'), { webhookId: 'wh-f' });
    await waitFor(() => app!.slack.messages('CINCIDENTS').length === 1);
  });

  it('fails the job visibly when no route and no ALERT_CHANNEL send the alert anywhere', async () => {
    app = await startTestApp({ env: { ALERT_CHANNEL: undefined } });
    expect((await app.postPagerDuty(fixture('pagerduty/incident-triggered.json'), { webhookId: 'wh-n' })).status).toBe(202);
    await waitFor(async () => (await app!.ctx.queues.get('intake').getJobCounts('failed')).failed === 1, { message: 'job did not fail' });
    expect(app.logs()).toContain('no route, no ALERT_CHANNEL and no channel covering its namespace for alert');
    expect((await app.request('GET', '/metrics')).text).toMatch(/deckhand_intake_unroutable_total\{source="pagerduty"\} 1/);
    expect(posts(app)).toHaveLength(0);
  });
});
