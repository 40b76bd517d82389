import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findFreePort, isAlive, redisInstallHint, redisProcessId, startRedisServer } from '../../sandbox/demo/redis.js';
import { waitFor } from '../../sandbox/shared/wait.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'deckhand-redis-test-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('startRedisServer', () => {
  it('starts a private redis-server that answers, and stop() leaves no process behind', async () => {
    const redis = await startRedisServer({ dir });
    const port = Number(new URL(redis.url).port);
    expect(await redisProcessId(port)).toBe(redis.pid);
    await redis.stop();
    await redis.stop();
    expect(isAlive(redis.pid)).toBe(false);
    expect(await redisProcessId(port)).toBeUndefined();
  });

  it('does not outlive the process that started it, even one killed with SIGKILL', async () => {
    const owner = spawn(process.execPath, ['--import', 'tsx', new URL('./redis-child.ts', import.meta.url).pathname, dir], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    owner.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
    const line = await waitFor(() => /^(\d+) redis:\/\/127\.0\.0\.1:(\d+)$/m.exec(out), { timeoutMs: 20_000, message: 'the child started no redis-server' });
    const pid = Number(line[1]);
    expect(await redisProcessId(Number(line[2]))).toBe(pid);
    owner.kill('SIGKILL');
    await waitFor(() => !isAlive(pid), { timeoutMs: 10_000, message: 'redis-server outlived its owner' });
    expect(await redisProcessId(Number(line[2]))).toBeUndefined();
  });

  it('says how to install redis-server when it is missing', async () => {
    await expect(startRedisServer({ dir, binary: 'deckhand-no-such-redis-server' })).rejects.toThrow(redisInstallHint);
    expect(redisInstallHint).toMatch(/apt-get install redis-server.*REDIS_URL/s);
  });

  it('fails with redis-server’s own words when the pinned port is taken (and does not mistake the other server for its own)', async () => {
    const first = await startRedisServer({ dir });
    const port = Number(new URL(first.url).port);
    try {
      await expect(startRedisServer({ dir, port })).rejects.toThrow(/did not start[\s\S]*Address already in use/);
      expect(await redisProcessId(port)).toBe(first.pid);
    } finally {
      await first.stop();
    }
  });

  it('finds a port nobody listens on', async () => {
    const port = await findFreePort();
    expect(port).toBeGreaterThan(0);
    expect(await redisProcessId(port)).toBeUndefined();
  });
});
