import { afterEach, describe, expect, it } from 'vitest';
import { startSlackSandbox, type SlackSandbox } from '../../sandbox/slack/index.js';
import { waitFor } from '../../sandbox/shared/wait.js';
import { fixture, startTestApp, type TestApp } from '../helpers/app.js';
import { uniquePrefix } from '../helpers/redis.js';

const apps: TestApp[] = [];
let slack: SlackSandbox | undefined;
afterEach(async () => {
  await Promise.all(apps.splice(0).map((a) => a.stop()));
  await slack?.close();
});

describe('two app instances sharing one Redis', () => {
  it('open exactly one thread for concurrent duplicate deliveries and repeats', async () => {
    slack = await startSlackSandbox();
    const redisPrefix = uniquePrefix('shared');
    const a = await startTestApp({ slack, redisPrefix });
    apps.push(a);
    const b = await startTestApp({ slack, redisPrefix });
    apps.push(b);
    const pd = fixture('pagerduty/incident-triggered.json');
    const am = fixture('alertmanager/firing.json');
    const answers = await Promise.all([
      a.postPagerDuty(pd, { webhookId: 'same' }),
      b.postPagerDuty(pd, { webhookId: 'same' }),
      a.postPagerDuty(pd, { webhookId: 'a-1' }),
      b.postPagerDuty(pd, { webhookId: 'b-1' }),
      a.postAlertmanager(am),
      b.postAlertmanager(am),
      b.postAlertmanager({ ...am, alerts: am.alerts.slice(0, 1) }),
    ]);
    expect(answers.every((r) => r.status === 202)).toBe(true);
    await waitFor(async () => {
      const c = await a.ctx.queues.get('intake').getJobCounts('waiting', 'active', 'delayed');
      return (c.waiting ?? 0) + (c.active ?? 0) + (c.delayed ?? 0) === 0 && slack!.messages().length >= 2;
    });
    const roots = slack.calls.filter((c) => c.method === 'chat.postMessage' && c.ok);
    expect(roots).toHaveLength(2);
    expect(slack.messages()).toHaveLength(2);
    // A job per incident at least (deliveries for an incident whose job is queued are
    // coalesced into it: test/integration/intake-storm.test.ts counts them).
    expect((await a.ctx.queues.get('intake').getJobCounts('completed')).completed).toBeGreaterThanOrEqual(2);
  });
});
