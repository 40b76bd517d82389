import type { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { startSlackSandbox, type SlackSandbox } from '../../sandbox/slack/index.js';
import { waitFor } from '../../sandbox/shared/wait.js';
import { createIntakeFeature } from '../../src/intake/feature.js';
import { queueNames } from '../../src/jobs/queues.js';
import { fixture, startTestApp, type TestApp } from '../helpers/app.js';
import { createTestRedis, uniquePrefix } from '../helpers/redis.js';

const apps: TestApp[] = [];
const clients: Redis[] = [];
let slack: SlackSandbox | undefined;
afterEach(async () => {
  await Promise.all(apps.splice(0).map((a) => a.stop()));
  for (const c of clients.splice(0)) c.disconnect();
  await slack?.close();
  slack = undefined;
});

/** A PagerDuty delivery of incident `n`, sent at minute `minute`, with this title. */
function delivery(n: number, minute: number, title: string, status: 'triggered' | 'acknowledged' = 'triggered'): unknown {
  const payload = structuredClone(fixture<{ event: { id: string; occurred_at: string; data: { id: string; title: string } } }>(`pagerduty/incident-${status}.json`));
  payload.event.id = `ev-${n}-${minute}`;
  payload.event.occurred_at = new Date(Date.UTC(2026, 10, 21, 18, minute)).toISOString();
  payload.event.data.id = `PSTORM${n}`;
  payload.event.data.title = title;
  return payload;
}

/**
 * Every command one connection sends while `action` runs, from Redis' own MONITOR. A marker
 * sent on the same connection afterwards closes the window, so nothing is missed or waited for.
 */
async function commandsOf(connection: Redis, action: () => Promise<void>): Promise<string[][]> {
  const monitor = await createTestRedis().monitor();
  clients.push(monitor);
  const source = `${connection.stream.localAddress}:${connection.stream.localPort}`;
  const seen: string[][] = [];
  const marker = `marker-${Math.random()}`;
  let closed = false;
  monitor.on('monitor', (_time: string, args: string[], from: string) => {
    if (from !== source || closed) return;
    if (args[0]?.toLowerCase() === 'echo' && args[1] === marker) closed = true;
    else seen.push(args);
  });
  await action();
  await connection.echo(marker);
  await waitFor(() => closed, { message: 'MONITOR did not show the marker' });
  return seen;
}

describe('intake under a storm', () => {
  it('coalesces a storm into one job per incident, the latest delivery wins, nothing lost or posted twice', async () => {
    slack = await startSlackSandbox();
    const shared = { slack, redisPrefix: uniquePrefix('storm') };
    // A web process alone: deliveries are recorded and queued, nothing applies them yet.
    const web = await startTestApp({ ...shared, env: { DECKHAND_ROLES: 'web' } });
    apps.push(web);
    const sends = [];
    for (let minute = 1; minute <= 20; minute++) {
      for (let n = 1; n <= 3; n++) sends.push(web.postPagerDuty(delivery(n, minute, `incident ${n} at minute ${minute}`), { webhookId: `wh-${n}-${minute}` }));
    }
    // Redeliveries of an early delivery, and a late-arriving older event.
    sends.push(web.postPagerDuty(delivery(1, 3, 'incident 1 at minute 3'), { webhookId: 'wh-1-3' }));
    sends.push(web.postPagerDuty(delivery(2, 0, 'incident 2, older than all'), { webhookId: 'wh-2-0' }));
    const answers = await Promise.all(sends);
    expect(answers.map((a) => a.status).every((s) => s === 202)).toBe(true);
    expect(answers.filter((a) => a.json.outcome === 'queued')).toHaveLength(3);
    expect(answers.filter((a) => a.json.outcome === 'duplicate')).toHaveLength(1);
    expect((await web.ctx.queues.get(queueNames.intake).getJobCounts('waiting')).waiting).toBe(3);

    const worker = await startTestApp({ ...shared, env: { DECKHAND_ROLES: 'worker' } });
    apps.push(worker);
    await waitFor(() => slack!.messages().length === 3, { message: 'three roots were not posted' });
    await waitFor(async () => (await worker.ctx.redis.zcard(`${shared.redisPrefix}:intake-pending`)) === 0, { message: 'alerts still pending' });
    const roots = slack.messages().map((m) => m.text).sort();
    expect(roots).toEqual([1, 2, 3].map((n): unknown => expect.stringContaining(`incident ${n} at minute 20`)));
    expect(slack.calls.filter((c) => c.method === 'chat.postMessage' && c.ok)).toHaveLength(3);
    // A job is marked completed just after its root is posted: wait for the mark, then count exactly.
    const intake = worker.ctx.queues.get(queueNames.intake);
    await waitFor(async () => ((await intake.getJobCounts('completed')).completed ?? 0) >= 3, { message: 'the intake jobs were not marked completed' });
    expect((await intake.getJobCounts('completed')).completed).toBe(3);
  });

  it('records a delivery for an open incident with nothing visible changed in one EVALSHA, with no lock', async () => {
    slack = await startSlackSandbox();
    const app = await startTestApp({ slack });
    apps.push(app);
    expect((await app.postPagerDuty(delivery(7, 1, 'checkout is down'), { webhookId: 'first' })).json.outcome).toBe('queued');
    await waitFor(() => slack!.messages().length === 1);
    await waitFor(async () => (await app.ctx.redis.zcard(`${app.prefix}:intake-pending`)) === 0);

    let answer: { status: number; json: { outcome?: string } } | undefined;
    const commands = await commandsOf(app.ctx.producer, async () => {
      answer = await app.postPagerDuty(delivery(7, 2, 'checkout is down'), { webhookId: 'second' });
    });
    expect(answer).toMatchObject({ status: 202, json: { outcome: 'unchanged' } });
    expect(commands.map((c) => c[0]?.toLowerCase())).toEqual(['evalsha']);
    const incident = await app.ctx.incidents.getByKey('pagerduty:PSTORM7');
    expect(incident?.lastEventAt).toBe(new Date(Date.UTC(2026, 10, 21, 18, 2)).toISOString());

    // Redis forgot the script (restart, failover): EVALSHA fails once, EVAL sends it again.
    await app.ctx.redis.script('FLUSH');
    const again = await commandsOf(app.ctx.producer, async () => {
      answer = await app.postPagerDuty(delivery(7, 3, 'checkout is down'), { webhookId: 'third' });
    });
    expect(answer).toMatchObject({ status: 202, json: { outcome: 'unchanged' } });
    expect(again.map((c) => c[0]?.toLowerCase())).toEqual(['evalsha', 'eval']);

    // A visible change goes the slow way and reaches the thread.
    expect((await app.postPagerDuty(delivery(7, 4, 'checkout is down', 'acknowledged'), { webhookId: 'fourth' })).json.outcome).toBe('queued');
    await waitFor(() => slack!.calls.some((c) => c.method === 'chat.update' && c.ok));
    expect(slack.messages()).toHaveLength(1);
  });

  it('queues again an alert whose job was lost after it was stored', async () => {
    slack = await startSlackSandbox();
    const shared = { slack, redisPrefix: uniquePrefix('sweep') };
    const intake = () => createIntakeFeature({ sweepMs: 20, requeueAfterMs: 100 });
    const web = await startTestApp({ ...shared, env: { DECKHAND_ROLES: 'web' }, features: [intake()] });
    apps.push(web);
    expect((await web.postPagerDuty(delivery(9, 1, 'lost job'), { webhookId: 'lost' })).json.outcome).toBe('queued');
    const queue = web.ctx.queues.get(queueNames.intake);
    await queue.obliterate({ force: true });
    expect(await queue.count()).toBe(0);

    const worker = await startTestApp({ ...shared, env: { DECKHAND_ROLES: 'worker' }, features: [intake()] });
    apps.push(worker);
    await waitFor(() => slack!.messages().length === 1, { message: 'the sweep did not queue the stored alert' });
    expect(slack.messages()[0]!.text).toContain('lost job');
  });
});
