import { join } from 'node:path';
import type { BenchEnv } from '../lib/bench-env.js';
import { benchServices, startBot } from '../lib/bot.js';
import { startChildServer } from '../lib/child.js';
import { runClosedLoop, runOpenLoop, type LoadResult } from '../lib/load.js';
import type { BenchSizes } from '../lib/options.js';
import { buildDelivery, newIncident, type Delivery } from '../lib/pagerduty.js';
import { metric, type FigureResult } from '../lib/report.js';
import { summarize } from '../lib/stats.js';

/**
 * Figure 1: how fast a signed PagerDuty delivery is acknowledged, at a fixed offered rate
 * (open loop) and at saturation (closed loop), against the floor: a bare node:http server
 * in its own process that verifies the same signature and answers 200. Deckhand runs as
 * `npm start` composes it, in its own process, with the intake worker processing what it
 * accepts (as in production). The load generator is this process.
 */
export async function runWebhookAck(env: BenchEnv, sizes: BenchSizes['ack'], judge: boolean): Promise<FigureResult> {
  const started = Date.now();
  const incidents = Array.from({ length: sizes.incidents }, (_, i) => newIncident(benchServices[i % benchServices.length]!, 'ack', i));
  // Every delivery is new (its own X-Webhook-Id), for one of a few open incidents.
  const deliveries = (count: number): Delivery[] => Array.from({ length: count }, (_, i) => buildDelivery(env.secrets.pagerduty, incidents[i % incidents.length]!));

  const floor = await startChildServer({ entry: 'floor', runtime: env.runtime, config: { secret: env.secrets.pagerduty }, logPath: join(env.workDir, 'floor.log') });
  const bot = await startBot(env, { label: 'ack' }).catch(async (err: unknown) => {
    await floor.stop();
    throw err;
  });
  try {
    const runs = async (origin: string, idle: () => Promise<void>) => {
      const warm = deliveries(sizes.warmup);
      await runClosedLoop({ origin, concurrency: 4, count: warm.length, shot: (i) => warm[i]! });
      await idle();
      const steady = deliveries(sizes.count);
      const fixed = await runOpenLoop({ origin, rate: sizes.rate, count: steady.length, shot: (i) => steady[i]! });
      await idle();
      const flood = deliveries(sizes.saturationCount);
      const saturated = await runClosedLoop({ origin, concurrency: sizes.concurrency, count: flood.length, shot: (i) => flood[i]! });
      await idle();
      return { fixed, saturated };
    };
    const base = await runs(floor.url, () => Promise.resolve());
    const product = await runs(bot.url, () => bot.waitIdle());

    const describe = (r: LoadResult) => ({ latencyMs: summarize(r.latencies), throughput: Math.round(r.throughput), statuses: r.statuses, elapsedMs: Math.round(r.elapsedMs) });
    const fixedBot = summarize(product.fixed.latencies);
    const fixedFloor = summarize(base.fixed.latencies);
    const satBot = summarize(product.saturated.latencies);
    const satFloor = summarize(base.saturated.latencies);
    const refused = [product.fixed, product.saturated].reduce((n, r) => n + Object.entries(r.statuses).filter(([s]) => s !== '202').reduce((a, [, c]) => a + c, 0), 0);
    return {
      id: 1,
      title: 'Webhook ack latency and throughput (signed PagerDuty)',
      metrics: [
        metric({ name: `ack p50 @ ${sizes.rate} req/s`, unit: 'ms', value: fixedBot.p50, baseline: fixedFloor.p50 }, judge),
        metric(
          { name: `ack p99 @ ${sizes.rate} req/s`, unit: 'ms', value: fixedBot.p99, baseline: fixedFloor.p99, target: { on: 'ratio', op: '<=', limit: 2, kind: 'performance' } },
          judge,
        ),
        metric(
          {
            name: `saturation throughput (${sizes.concurrency} conc.)`,
            unit: 'req/s',
            value: Math.round(product.saturated.throughput),
            baseline: Math.round(base.saturated.throughput),
            target: { on: 'ratio', op: '>=', limit: 0.5, kind: 'performance' },
          },
          judge,
        ),
        metric({ name: 'ack p99 at saturation', unit: 'ms', value: satBot.p99, baseline: satFloor.p99 }, judge),
        metric({ name: 'deliveries not answered 202', unit: 'count', value: refused, target: { on: 'value', op: '==', limit: 0, kind: 'correctness' } }, judge),
      ],
      details: {
        floor: { fixedRate: describe(base.fixed), saturation: describe(base.saturated) },
        deckhand: { fixedRate: describe(product.fixed), saturation: describe(product.saturated) },
        sizes,
      },
      notes: [
        'Servers under test run in their own Node processes (Deckhand as npm start composes it, at LOG_LEVEL=info); the load generator (undici Pool, keep-alive) runs in the bench process.',
        'Open-loop latency counts from when each request was due, so a stall delays every later request (no coordinated omission).',
      ],
      durationMs: Date.now() - started,
    };
  } finally {
    await bot.stop();
    await floor.stop();
  }
}
