import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../../sandbox/shared/wait.js';
import { fixture, intakeDrained, startTestApp, type TestApp } from '../helpers/app.js';
import { alertmanagerAlert, textOf } from '../helpers/incident-thread.js';

/**
 * One problem, one thread across sources: an Alertmanager alert and a PagerDuty incident about
 * the same workload (cluster + namespace + Deployment) share one thread, whichever comes
 * first; a source's own incidents (two Alertmanager groups) keep their threads.
 */
const yaml = `
clusters:
  prod: {}
pagerduty:
  services:
    PF9KMXH: { cluster: prod, namespace: shop, deployment: checkout }
`;

let app: TestApp | undefined;
afterEach(async () => {
  await app?.stop();
  app = undefined;
});

const roots = (a: TestApp) => a.slack.messages('CINCIDENTS').filter((m) => m.thread_ts === undefined || m.thread_ts === m.ts);


describe('one problem, one thread across alert sources', () => {
  it('a PagerDuty incident about the workload of an open Alertmanager incident joins its thread', async () => {
    app = await startTestApp({ yaml });
    expect((await app.postAlertmanager(alertmanagerAlert({ groupKey: 'am-checkout', deployment: 'checkout' }))).status).toBe(202);
    const root = await waitFor(() => roots(app!)[0], { message: 'no thread for the Alertmanager alert' });
    expect((await app.postPagerDuty(fixture('pagerduty/incident-triggered.json'), { webhookId: 'pd-1' })).status).toBe(202);
    await intakeDrained(app);
    expect(roots(app)).toHaveLength(1);
    const incident = await app.ctx.incidents.getByKey('pagerduty:PGR0VU2');
    expect(incident?.threadTs).toBe(root.ts);
    expect(incident?.id).toBe((await app.ctx.incidents.getByKey(`alertmanager:am-checkout`))?.id);
  });

  it('an Alertmanager alert about the workload of an open PagerDuty incident joins its thread', async () => {
    app = await startTestApp({ yaml });
    expect((await app.postPagerDuty(fixture('pagerduty/incident-triggered.json'), { webhookId: 'pd-1' })).status).toBe(202);
    const root = await waitFor(() => roots(app!)[0], { message: 'no thread for the PagerDuty incident' });
    expect((await app.postAlertmanager(alertmanagerAlert({ groupKey: 'am-checkout', deployment: 'checkout' }))).status).toBe(202);
    await waitFor(() => app!.slack.messages('CINCIDENTS').find((m) => m.ts === root.ts && textOf(m).includes('KubePodCrashLooping')), {
      message: 'the alert did not reach the PagerDuty thread',
    });
    await intakeDrained(app);
    expect(roots(app)).toHaveLength(1);
  });

  it('two Alertmanager groups about one Deployment keep their own threads, as Alertmanager resolves them apart', async () => {
    app = await startTestApp({ yaml });
    expect((await app.postAlertmanager(alertmanagerAlert({ groupKey: 'am-1', deployment: 'checkout' }))).status).toBe(202);
    await waitFor(() => roots(app!).length === 1, { message: 'no thread for the first group' });
    expect((await app.postAlertmanager(alertmanagerAlert({ groupKey: 'am-2', deployment: 'checkout', alertname: 'KubeDeploymentReplicasMismatch' }))).status).toBe(202);
    await waitFor(() => roots(app!).length === 2, { message: 'no thread for the second group' });
  });
});
