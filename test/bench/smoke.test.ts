import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseBenchArgs } from '../../bench/lib/options.js';
import type { BenchReport } from '../../bench/lib/report.js';
import { runBench } from '../../bench/lib/run-bench.js';
import { testRedisUrl } from '../helpers/redis.js';

/**
 * `npm run bench -- --smoke` in-process: every figure runs at tiny sizes against real
 * servers (Deckhand and the baselines in child processes, the fakes here) and produces
 * sane numbers. No performance thresholds: only the correctness checks must hold.
 */
describe('bench smoke run', () => {
  it('produces figures 1–6 with sane values and writes them as JSON', { timeout: 300_000 }, async () => {
    const out = await mkdtemp(join(tmpdir(), 'bench-smoke-'));
    try {
      const options = { ...parseBenchArgs(['--smoke', '--only=1,2,3,4,5,6', `--out=${out}`]), redisUrl: testRedisUrl() };
      const { report, table, files } = await runBench(options);

      expect(report.figures.map((f) => f.id)).toEqual([1, 2, 3, 4, 5, 6]);
      for (const figure of report.figures) expect(figure.metrics.length, `figure ${figure.id}`).toBeGreaterThan(0);
      const metrics = report.figures.flatMap((f) => f.metrics.map((m) => ({ ...m, label: `${f.id} ${m.name}` })));
      // Every measurement is a real one: a positive number. Only counts of failures (and the
      // uncached input, all of which the prompt cache may serve) can be zero.
      const mayBeZero = (m: (typeof metrics)[number]) => m.unit === 'count' || m.name.startsWith('uncached input tokens');
      const measured = metrics.filter((m) => !mayBeZero(m));
      expect(measured.length).toBeGreaterThan(20);
      expect(measured.filter((m) => !(Number.isFinite(m.value) && m.value > 0)).map((m) => `${m.label} = ${m.value}`)).toEqual([]);
      expect(metrics.filter((m) => !Number.isFinite(m.value) || m.value < 0).map((m) => m.label)).toEqual([]);
      // Only correctness targets are judged in a smoke run, and they all hold.
      const correctness = metrics.filter((m) => m.target?.kind === 'correctness');
      const performance = metrics.filter((m) => m.target?.kind === 'performance');
      expect(correctness.length).toBeGreaterThanOrEqual(6);
      expect(performance.length).toBeGreaterThanOrEqual(6);
      expect(correctness.filter((m) => m.pass !== true).map((m) => m.label)).toEqual([]);
      expect(performance.filter((m) => m.pass !== undefined).map((m) => m.label)).toEqual([]);
      const value = (id: number, name: string) => report.figures.find((f) => f.id === id)!.metrics.find((m) => m.name.startsWith(name))!;
      // Latencies are real measurements: positive, and a baseline where the figure has one.
      expect(value(1, 'ack p50').value).toBeGreaterThan(0);
      expect(value(1, 'ack p50').baseline).toBeGreaterThan(0);
      expect(value(1, 'saturation throughput').value).toBeGreaterThan(0);
      expect(value(1, 'CPU per webhook').value).toBeGreaterThan(0);
      expect(value(1, 'CPU per webhook').baseline).toBeGreaterThan(0);
      expect(value(2, 'threads').value).toBe(options.sizes.storm.incidents);
      // The storm ran twice, the second time as a web process and a worker process.
      expect(value(2, 'web + worker: threads').value).toBe(options.sizes.storm.incidents);
      expect(value(2, 'webhook → thread root p99, during the storm').value).toBeGreaterThan(0);
      expect(value(2, 'idle RSS').value).toBeGreaterThan(30);
      // Figure 1's baseline is the durable floor; the bare floor is reported beside it.
      expect(value(1, 'ack p99 @').target).toMatchObject({ on: 'ratio', limit: 1.2 });
      expect(value(1, 'ack p99 @ 100 req/s, vs the bare floor').baseline).toBeGreaterThan(0);
      expect(value(2, 'peak RSS').value).toBeGreaterThan(30);
      expect(value(3, 'webhook → proposal p99').value).toBeGreaterThanOrEqual(value(3, 'webhook → root p99').value);
      expect(value(4, 'click ack p50').baseline).toBeGreaterThan(0);
      expect(value(5, 'approve → verified p50').value).toBeGreaterThanOrEqual(value(5, 'approve → executed p50').value);
      expect(value(6, 'input tokens / investigation (max)').value).toBeGreaterThan(1000);
      expect(value(6, 'input read from the prompt cache / follow-up (min)').value).toBeGreaterThan(0);

      expect(table).toContain('approve → verified p99');
      expect(files).toHaveLength(1);
      const written = JSON.parse(await readFile(files[0]!, 'utf8')) as BenchReport;
      expect(written.machine.cores).toBeGreaterThan(0);
      expect(written.figures).toHaveLength(6);
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });
});
