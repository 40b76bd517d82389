import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { startSlackSandbox, type SlackSandbox } from '../../sandbox/slack/index.js';
import { waitFor } from '../../sandbox/shared/wait.js';
import { fixture, testSecrets } from '../helpers/app.js';
import { testRedisUrl, uniquePrefix } from '../helpers/redis.js';
import { signPagerDuty } from '../helpers/signers.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

function startMain(env: Record<string, string>): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  let output = '';
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: root,
    // Only what the contract documents: no inherited REDIS_URL, tokens or DECKHAND_CONFIG.
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

let child: ChildProcess | undefined;
let slack: SlackSandbox | undefined;
afterEach(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((resolve) => child?.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }
  await slack?.close();
  slack = undefined;
  child = undefined;
});

describe('start-up from the environment (npm start)', () => {
  it('serves webhooks and health, opens a thread, and stops gracefully on SIGTERM', async () => {
    slack = await startSlackSandbox();
    // A kubeconfig whose API server does not answer: start-up needs one, readiness would fail.
    const kubeconfig = join(mkdtempSync(join(tmpdir(), 'deckhand-start-')), 'kubeconfig');
    writeFileSync(
      kubeconfig,
      'apiVersion: v1\nkind: Config\nclusters: [{ name: c, cluster: { server: "http://127.0.0.1:1", insecure-skip-tls-verify: true } }]\n' +
        'users: [{ name: u, user: { token: t } }]\ncontexts: [{ name: ctx, context: { cluster: c, user: u } }]\ncurrent-context: ctx\n',
    );
    const main = startMain({
      KUBECONFIG: kubeconfig,
      PORT: '0',
      HOST: '127.0.0.1',
      REDIS_URL: testRedisUrl(),
      SLACK_BOT_TOKEN: testSecrets.botToken,
      SLACK_SIGNING_SECRET: slack.signingSecret,
      SLACK_API_URL: slack.apiUrl,
      PAGERDUTY_WEBHOOK_SECRETS: testSecrets.pagerduty,
      ALERT_CHANNEL: 'CINCIDENTS',
    });
    child = main.child;
    const port = await waitFor(() => /"port":(\d+)/.exec(main.output())?.[1], { timeoutMs: 20_000, message: 'no listening line' });
    const url = `http://127.0.0.1:${port}`;
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    // The real cluster registry is wired: its unreachable API server makes readiness fail.
    const ready = await fetch(`${url}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ checks: { redis: { ok: true }, slack: { ok: true }, clusters: { default: { ok: false } } } });

    const raw = JSON.stringify(fixture('pagerduty/incident-triggered.json'));
    const res = await fetch(`${url}/webhooks/pagerduty`, {
      method: 'POST',
      body: raw,
      headers: { 'content-type': 'application/json', 'x-webhook-id': uniquePrefix('wh'), 'x-pagerduty-signature': signPagerDuty(raw, testSecrets.pagerduty) },
    });
    expect(res.status).toBe(202);
    await waitFor(() => slack!.messages('CINCIDENTS').length === 1, { message: 'no thread root from the started process' });

    main.child.kill('SIGTERM');
    expect(await main.exited).toBe(0);
    expect(main.output()).toContain('deckhand stopped');
    expect(main.output()).not.toContain(testSecrets.pagerduty);
  });

  it('prints every configuration problem in one message and exits 1', async () => {
    const main = startMain({ SLACK_BOT_TOKEN: 'nope', PORT: 'eighty', LOG_LEVEL: 'loud' });
    child = main.child;
    expect(await main.exited).toBe(1);
    const out = main.output();
    expect(out).toContain('invalid configuration');
    for (const name of ['SLACK_BOT_TOKEN', 'PORT', 'LOG_LEVEL', 'SLACK_SIGNING_SECRET']) expect(out).toContain(name);
    expect(out).not.toContain('    at ');
  });
});
