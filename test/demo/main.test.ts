import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { isAlive, redisProcessId } from '../../sandbox/demo/redis.js';
import { spawnWatched } from '../helpers/child-process.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

let child: ChildProcess | undefined;
afterEach(() => {
  // Only if a test failed half-way: the whole group of the demo we started, nothing else.
  if (child?.pid !== undefined && child.exitCode === null && child.signalCode === null) process.kill(-child.pid, 'SIGKILL');
  child = undefined;
});

describe('npm run demo (sandbox/demo/main.ts)', () => {
  it('prints the URL and the kubectl command, serves the page, and on Ctrl-C exits 0 leaving no redis-server or temp dir', { timeout: 60_000 }, async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'warn' };
    delete env.REDIS_URL;
    delete env.ANTHROPIC_API_KEY;
    delete env.DEMO_PORT;
    // As `npm run demo` runs it (node with tsx as a loader: no wrapper process that relays
    // Ctrl-C and, on a loaded machine, SIGKILLs a child slow to acknowledge it), in its own
    // process group like a terminal's foreground job: Ctrl-C signals the whole group.
    const demo = spawnWatched(process.execPath, ['--import', 'tsx', 'sandbox/demo/main.ts', '--no-alerts'], { cwd: root, env, detached: true });
    child = demo.process;
    await demo.printed('Press Ctrl-C to stop.', 45_000);
    const out = demo.out();
    expect(demo.err()).not.toMatch(/demo failed to start/);
    const url = /Open the local Slack:\s+(http:\/\/127\.0\.0\.1:\d+)\//.exec(out)?.[1];
    const kubeconfig = /kubectl --kubeconfig (\S+) get pods -A/.exec(out)?.[1];
    const redis = /private redis-server, pid (\d+), redis:\/\/127\.0\.0\.1:(\d+)/.exec(out);
    expect(url, out).toBeDefined();
    expect(kubeconfig, out).toBeDefined();
    expect(redis, out).not.toBeNull();
    const redisPid = Number(redis?.[1]);
    const redisPort = Number(redis?.[2]);
    expect(await redisProcessId(redisPort)).toBe(redisPid);
    expect(existsSync(kubeconfig ?? '')).toBe(true);
    expect((await fetch(`${url}/`)).status).toBe(200);

    process.kill(-(demo.process.pid ?? 0), 'SIGINT');
    expect(await demo.exited).toEqual({ code: 0, signal: null });
    expect(demo.out()).toContain('Demo stopped.');
    expect(isAlive(redisPid)).toBe(false);
    expect(await redisProcessId(redisPort)).toBeUndefined();
    expect(existsSync(kubeconfig ?? '')).toBe(false);
    await expect(fetch(`${url}/`)).rejects.toThrow();
  });
});
