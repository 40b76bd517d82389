import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../../sandbox/shared/wait.js';
import { fixture, startTestApp, type TestApp } from '../helpers/app.js';
import { findFreePort } from '../../sandbox/shared/net.js';


async function startRedis(port: number): Promise<ChildProcess> {
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  await waitFor(
    () =>
      new Promise<boolean>((resolve) => {
        const socket = net.connect(port, '127.0.0.1', () => {
          socket.end();
          resolve(true);
        });
        socket.on('error', () => resolve(false));
      }),
    { message: 'private redis-server did not start' },
  );
  return child;
}

async function stopRedis(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

let app: TestApp | undefined;
let redis: ChildProcess | undefined;
afterEach(async () => {
  await app?.stop();
  app = undefined;
  if (redis) await stopRedis(redis);
});

describe('Redis outage', () => {
  it('answers 503 while Redis is down and accepts again once it is back, without a restart', async () => {
    const port = await findFreePort();
    redis = await startRedis(port);
    app = await startTestApp({ env: { REDIS_URL: `redis://127.0.0.1:${port}` } });
    const first = await app.postPagerDuty(fixture('pagerduty/incident-triggered.json'), { webhookId: 'before' });
    expect(first.status).toBe(202);
    await waitFor(() => app!.slack.messages().length === 1);

    await stopRedis(redis);
    const during = await app.postAlertmanager(fixture('alertmanager/firing.json'));
    expect(during.status).toBe(503);
    expect(during.json.error.code).toBe('unavailable');
    expect((await app.request('GET', '/readyz')).json.checks.redis.ok).toBe(false);
    await waitFor(() => app!.logs().includes('"msg":"redis unreachable"'), { timeoutMs: 10_000, message: 'the outage was not logged' });

    redis = await startRedis(port);
    const after = await waitFor(async () => {
      const res = await app!.postAlertmanager(fixture('alertmanager/firing.json'));
      return res.status === 202 ? res : undefined;
    }, { timeoutMs: 15_000, intervalMs: 100, message: 'webhook never accepted again after Redis came back' });
    expect(after.status).toBe(202);
    // The worker reconnected too: the queued alert opens its thread.
    await waitFor(() => app!.slack.messages().length === 2, { timeoutMs: 15_000, message: 'worker did not resume' });

    // The outage was said once (every client, queue and worker erred many times), and its end once.
    const lines = app.logs().split('\n').filter((l) => /ECONN|ETIMEDOUT|EPIPE|Connection is closed/.test(l) && /"level":(40|50)/.test(l));
    expect(lines.filter((l) => l.includes('"msg":"redis unreachable"'))).toHaveLength(1);
    expect(lines.filter((l) => !l.includes('"msg":"redis unreachable"') && !l.includes('webhook refused'))).toEqual([]);
    await waitFor(() => app!.logs().includes('redis reachable again'), { message: 'the end of the outage was not logged' });
    expect(app.logs()).toMatch(/"suppressed":\d+,"msg":"redis reachable again"/);
  });
});
