import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRedisServer } from '../../sandbox/demo/redis.js';
import type { ServerRuntime } from './build.js';

export interface BenchEnv {
  redisUrl: string;
  /** How servers under test run (compiled, or from source through tsx). */
  runtime: ServerRuntime;
  /** Where child logs, kubeconfigs and deckhand.yaml files go; removed by close() unless kept. */
  workDir: string;
  /** Secrets of this run only (never printed). */
  secrets: { pagerduty: string; alertmanager: string; botToken: string; signing: string };
  /** A fresh Redis key prefix: each figure's bot gets its own state. */
  newPrefix(label: string): string;
  close(): Promise<void>;
}

/**
 * What every figure shares: a private redis-server with AOF persistence as compose runs it on a free port (unless
 * REDIS_URL is given, whose data is kept: each bot uses its own key prefix) and a work dir.
 */
export async function createBenchEnv(options: { runtime: ServerRuntime; redisUrl?: string | undefined; keepWorkDir?: boolean }): Promise<BenchEnv> {
  const workDir = await mkdtemp(join(tmpdir(), 'deckhand-bench-'));
  let stopRedis: (() => Promise<void>) | undefined;
  let redisUrl = options.redisUrl;
  try {
    if (!redisUrl) {
      // As docker-compose.yml runs it: every write appended to disk within a second (AOF).
      const redis = await startRedisServer({ dir: workDir, extraArgs: ['--appendonly', 'yes', '--appendfsync', 'everysec'] });
      stopRedis = () => redis.stop();
      redisUrl = redis.url;
    }
  } catch (err) {
    await rm(workDir, { recursive: true, force: true });
    throw err;
  }
  const hex = (n: number) => randomBytes(n).toString('hex');
  const run = hex(3);
  let counter = 0;
  return {
    redisUrl,
    runtime: options.runtime,
    workDir,
    secrets: { pagerduty: hex(24), alertmanager: hex(24), botToken: `xoxb-bench-${hex(12)}`, signing: hex(24) },
    newPrefix: (label) => `bench-${run}-${label}-${++counter}`,
    async close() {
      await stopRedis?.();
      if (!options.keepWorkDir) await rm(workDir, { recursive: true, force: true });
    },
  };
}
