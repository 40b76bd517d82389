import { describe, expect, it } from 'vitest';
import { parseBenchArgs } from '../../bench/lib/options.js';
import { runBench } from '../../bench/lib/run-bench.js';
import { testRedisUrl } from '../helpers/redis.js';

/**
 * Figure 7 (the cluster watch) at smoke size, apart from figures 1–6 so each run stays within
 * its timeout on a shared machine. Only its correctness target is judged.
 */
describe('bench smoke run, figure 7', () => {
  it('watches the sandbox, opens one thread per unhealthy workload and measures the trimmed cache', { timeout: 240_000 }, async () => {
    const options = { ...parseBenchArgs(['--smoke', '--only=7']), redisUrl: testRedisUrl() };
    const { report } = await runBench(options);
    const figure = report.figures[0]!;
    expect(figure.id).toBe(7);
    const value = (name: string) => figure.metrics.find((m) => m.name.startsWith(name))!.value;
    expect(value('threads per unhealthy workload')).toBe(1);
    expect(value('heap held for')).toBeGreaterThan(0);
    expect(value('unhealthy → root p50')).toBeGreaterThan(2000);
    expect(figure.metrics.filter((m) => m.target?.kind === 'correctness' && m.pass !== true)).toEqual([]);
  });
});
