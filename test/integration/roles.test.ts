import { afterEach, describe, expect, it } from 'vitest';
import { startSlackSandbox, type SlackSandbox } from '../../sandbox/slack/index.js';
import { waitFor } from '../../sandbox/shared/wait.js';
import { queueNames } from '../../src/jobs/queues.js';
import { fixture, startTestApp, type TestApp } from '../helpers/app.js';
import { uniquePrefix } from '../helpers/redis.js';

const apps: TestApp[] = [];
let slack: SlackSandbox | undefined;
afterEach(async () => {
  await Promise.all(apps.splice(0).map((a) => a.stop()));
  await slack?.close();
  slack = undefined;
});

async function start(roles: string, shared: { slack: SlackSandbox; redisPrefix: string }): Promise<TestApp> {
  const app = await startTestApp({ ...shared, env: { DECKHAND_ROLES: roles } });
  apps.push(app);
  return app;
}

describe('DECKHAND_ROLES', () => {
  it('a web process queues a delivery but runs no job; a worker process runs it and serves no Slack or webhook route', async () => {
    slack = await startSlackSandbox();
    const shared = { slack, redisPrefix: uniquePrefix('roles') };
    const web = await start('web', shared);
    const intake = web.ctx.queues.get(queueNames.intake);

    expect((await web.postPagerDuty(fixture('pagerduty/incident-triggered.json'), { webhookId: 'roles-1' })).status).toBe(202);
    // No worker of any queue is connected to Redis: the web process started none.
    for (const name of Object.values(queueNames)) expect(await web.ctx.queues.get(name).getWorkersCount()).toBe(0);
    expect((await intake.getJobCounts('waiting')).waiting).toBe(1);
    expect(slack.messages()).toHaveLength(0);

    const worker = await start('worker', shared);
    await waitFor(() => slack!.messages().length === 1);
    await waitFor(async () => (await intake.getJobCounts('completed')).completed === 1);
    expect(await intake.getWorkersCount()).toBeGreaterThan(0);

    expect((await worker.postPagerDuty(fixture('pagerduty/incident-triggered.json'), { webhookId: 'roles-2' })).status).toBe(404);
    expect((await worker.postAlertmanager(fixture('alertmanager/firing.json'))).status).toBe(404);
    expect((await worker.postSlack({ form: { command: '/k8s', text: 'help', user_id: 'U1', channel_id: 'C1' } })).status).toBe(404);
    expect((await worker.request('GET', '/healthz')).status).toBe(200);
    expect((await worker.request('GET', '/metrics')).status).toBe(200);
    expect((await worker.request('GET', '/readyz')).status).toBe(200);
  });

  it('both roles by default', async () => {
    slack = await startSlackSandbox();
    const app = await startTestApp({ slack });
    apps.push(app);
    expect(app.config.env.DECKHAND_ROLES).toEqual({ web: true, worker: true });
    expect((await app.postPagerDuty(fixture('pagerduty/incident-triggered.json'), { webhookId: 'both-1' })).status).toBe(202);
    await waitFor(() => slack!.messages().length === 1);
  });
});
