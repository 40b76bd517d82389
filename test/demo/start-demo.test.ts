import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startDemo, type Demo } from '../../sandbox/demo/start-demo.js';
import { startFakeAnthropic, type FakeAnthropic } from '../../sandbox/anthropic/index.js';
import { waitFor } from '../../sandbox/shared/wait.js';
import { testRedisUrl } from '../helpers/redis.js';

/** Command lines of every process that mentions `text` (Linux /proc). */
function processesMentioning(text: string): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
      if (cmdline.includes(text)) found.push(`${pid}: ${cmdline}`);
    } catch {
      // The process ended while we looked.
    }
  }
  return found;
}

let demo: Demo | undefined;
let anthropic: FakeAnthropic | undefined;
let blocker: Server | undefined;
afterEach(async () => {
  await demo?.stop();
  await anthropic?.close();
  await new Promise((resolve) => (blocker ? blocker.close(resolve) : resolve(undefined)));
  demo = anthropic = blocker = undefined;
});

describe('startDemo', () => {
  it('asks Claude when ANTHROPIC_API_KEY is set, and posts what it found in the thread', { timeout: 40_000 }, async () => {
    anthropic = await startFakeAnthropic({ script: () => ({ text: 'Claude (fake): PAYMENT_URL has the scheme "htp", so checkout exits at start.' }) });
    demo = await startDemo({ redisUrl: testRedisUrl(), timeScale: 20, env: { ANTHROPIC_API_KEY: 'sk-ant-demo-test', ANTHROPIC_BASE_URL: anthropic.url } });
    expect(demo.analysis).toBe('claude');
    await demo.fireAlerts(['checkout']);
    const said = await waitFor(
      () => demo?.slack.messages('CINCIDENTS').find((m) => JSON.stringify(m.blocks ?? m.text).includes('Claude (fake)')),
      { timeoutMs: 30_000, message: "Claude's findings never reached the thread" },
    );
    expect(said.thread_ts).toBeDefined();
    // The key went to the configured base URL (whichever auth header this SDK version uses).
    expect(anthropic.requests.some((r) => Object.values(r.headers).some((v) => v.includes('sk-ant-demo-test')))).toBe(true);
  });

  it('uses the built-in analyzers alone without a key', async () => {
    demo = await startDemo({ redisUrl: testRedisUrl(), timeScale: 20, env: {} });
    expect(demo.analysis).toBe('built-in');
    await demo.fireAlerts(['checkout']);
    await waitFor(() => demo?.slack.messages('CINCIDENTS').find((m) => JSON.stringify(m.blocks ?? m.text).includes('Built-in analyzers only')), {
      timeoutMs: 20_000,
      message: 'no built-in findings in the thread',
    });
  });

  it('stops what it started when a later step fails (the page port is taken): no redis-server is left', async () => {
    blocker = createServer();
    await new Promise<void>((resolve) => blocker?.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    const workDir = await mkdtemp(join(tmpdir(), 'deckhand-demo-fail-'));
    try {
      await expect(startDemo({ uiPort: port, workDir })).rejects.toThrow(/EADDRINUSE/);
      await waitFor(() => processesMentioning(workDir).length === 0, { timeoutMs: 5000, message: `left running: ${processesMentioning(workDir).join('\n')}` });
    } finally {
      await rm(workDir, { recursive: true, force: true });
    }
  });
});
