import { join } from 'node:path';
import type { BenchEnv } from '../lib/bench-env.js';
import { benchServices, startBot } from '../lib/bot.js';
import { startChildServer, type ChildServer } from '../lib/child.js';
import type { LoadResult } from '../lib/load.js';
import { startLoadGenerator } from '../lib/loadgen.js';
import type { BenchSizes } from '../lib/options.js';
import { buildDelivery, newIncident, type Delivery } from '../lib/pagerduty.js';
import { metric, type FigureResult } from '../lib/report.js';
import { median, round, summarize } from '../lib/stats.js';

/** Targets of issue 17 against the durable floor; never loosened to pass. */
export const ackTargets = { p99Ratio: 1.2, saturationRatio: 0.7 } as const;

type Subject = 'bare' | 'durable' | 'bot';
interface Round {
  fixed: LoadResult;
  saturated: LoadResult;
  /** CPU the server's process used per delivery of the saturation run (and the work it left until idle), µs. */
  cpuPerRequestUs: number;
}

/**
 * Figure 1: how fast a signed PagerDuty delivery is acknowledged, at a fixed offered rate
 * (open loop) and at saturation (closed loop), against two floors in their own processes:
 * the bare floor (verify the signature, answer 200) and the durable floor (verify, one
 * Redis write on the bench's AOF Redis, answer 200) — the least a server that must queue
 * durably before answering can do. Deckhand runs as `npm start` runs it (both roles, heap
 * cap), processing what it accepts. The three are measured in interleaved blocks, round
 * after round, so drift of this shared machine hits all alike; each figure is the median of
 * its rounds. The load generator runs in its own process.
 */
export async function runWebhookAck(env: BenchEnv, sizes: BenchSizes['ack'], judge: boolean): Promise<FigureResult> {
  const started = Date.now();
  const incidents = Array.from({ length: sizes.incidents }, (_, i) => newIncident(benchServices[i % benchServices.length]!, 'ack', i));
  // Every delivery is new (its own X-Webhook-Id), for one of a few open incidents.
  const deliveries = (count: number): Delivery[] => Array.from({ length: count }, (_, i) => buildDelivery(env.secrets.pagerduty, incidents[i % incidents.length]!));

  const children: ChildServer[] = [];
  const load = await startLoadGenerator(env.runtime);
  const bot = await startBot(env, { label: 'ack' }).catch(async (err: unknown) => {
    await load.close();
    throw err;
  });
  try {
    const floor = (durable: boolean) =>
      startChildServer({
        entry: 'floor',
        runtime: env.runtime,
        config: { secret: env.secrets.pagerduty, ...(durable ? { redis: { url: env.redisUrl, key: `${env.newPrefix('durable-floor')}:queue` } } : {}) },
        logPath: join(env.workDir, durable ? 'durable-floor.log' : 'floor.log'),
      });
    const bare = await floor(false);
    children.push(bare);
    const durable = await floor(true);
    children.push(durable);
    const targets: Record<Subject, { url: string; idle: () => Promise<void>; cpu: () => Promise<number> }> = {
      bare: { url: bare.url, idle: () => Promise.resolve(), cpu: () => bare.cpuMicros() },
      durable: { url: durable.url, idle: () => Promise.resolve(), cpu: () => durable.cpuMicros() },
      bot: { url: bot.url, idle: () => bot.waitIdle(), cpu: () => bot.child.cpuMicros() },
    };
    // Warm-up: the bot opens its incidents' threads; every server's code gets hot.
    for (const t of Object.values(targets)) {
      await load.closedLoop({ origin: t.url, concurrency: 4, shots: deliveries(sizes.warmup) });
      await t.idle();
    }
    const rounds: Record<Subject, Round[]> = { bare: [], durable: [], bot: [] };
    const perRound = (n: number) => Math.max(1, Math.round(n / sizes.rounds));
    for (let r = 0; r < sizes.rounds; r++) {
      // Rotate the order, so no subject always runs first (or right after the bot's drain).
      const order = (['bare', 'durable', 'bot'] as const).map((_, i, all) => all[(i + r) % all.length]!);
      for (const subject of order) {
        const t = targets[subject];
        const fixed = await load.openLoop({ origin: t.url, rate: sizes.rate, shots: deliveries(perRound(sizes.count)) });
        await t.idle();
        const shots = deliveries(perRound(sizes.saturationCount));
        const cpuBefore = await t.cpu();
        const saturated = await load.closedLoop({ origin: t.url, concurrency: sizes.concurrency, shots });
        await t.idle();
        const cpuPerRequestUs = (await t.cpu()) - cpuBefore;
        rounds[subject].push({ fixed, saturated, cpuPerRequestUs: cpuPerRequestUs / shots.length });
      }
    }
    const med = (subject: Subject, f: (r: Round) => number) => round(median(rounds[subject].map(f)));
    const p50 = (r: LoadResult) => summarize(r.latencies).p50;
    const p99 = (r: LoadResult) => summarize(r.latencies).p99;
    const refused = rounds.bot.reduce((n, r) => n + [r.fixed, r.saturated].reduce((a, l) => a + Object.entries(l.statuses).filter(([s]) => s !== '202').reduce((b, [, c]) => b + c, 0), 0), 0);
    const describe = (r: LoadResult) => ({ latencyMs: summarize(r.latencies), throughput: Math.round(r.throughput), statuses: r.statuses, elapsedMs: Math.round(r.elapsedMs) });
    const cpuOf = (r: Round) => Math.round(r.cpuPerRequestUs);
    return {
      id: 1,
      title: 'Webhook ack latency and throughput (signed PagerDuty), against the durable floor',
      metrics: [
        metric({ name: `ack p50 @ ${sizes.rate} req/s`, unit: 'ms', value: med('bot', (r) => p50(r.fixed)), baseline: med('durable', (r) => p50(r.fixed)) }, judge),
        metric(
          {
            name: `ack p99 @ ${sizes.rate} req/s`,
            unit: 'ms',
            value: med('bot', (r) => p99(r.fixed)),
            baseline: med('durable', (r) => p99(r.fixed)),
            target: { on: 'ratio', op: '<=', limit: ackTargets.p99Ratio, kind: 'performance' },
          },
          judge,
        ),
        metric({ name: `ack p99 @ ${sizes.rate} req/s, vs the bare floor`, unit: 'ms', value: med('bot', (r) => p99(r.fixed)), baseline: med('bare', (r) => p99(r.fixed)) }, judge),
        metric(
          {
            name: `saturation throughput (${sizes.concurrency} conc.)`,
            unit: 'req/s',
            value: med('bot', (r) => Math.round(r.saturated.throughput)),
            baseline: med('durable', (r) => Math.round(r.saturated.throughput)),
            target: { on: 'ratio', op: '>=', limit: ackTargets.saturationRatio, kind: 'performance' },
          },
          judge,
        ),
        metric({ name: 'saturation throughput, vs the bare floor', unit: 'req/s', value: med('bot', (r) => Math.round(r.saturated.throughput)), baseline: med('bare', (r) => Math.round(r.saturated.throughput)) }, judge),
        metric({ name: 'ack p99 at saturation', unit: 'ms', value: med('bot', (r) => p99(r.saturated)), baseline: med('durable', (r) => p99(r.saturated)) }, judge),
        // The server's own CPU per delivery: what a shared machine's noise leaves alone (Redis's share is not in it).
        metric({ name: 'CPU per webhook at saturation', unit: 'µs', value: Math.round(med('bot', (r) => r.cpuPerRequestUs)), baseline: Math.round(med('durable', (r) => r.cpuPerRequestUs)) }, judge),
        metric({ name: 'deliveries not answered 202', unit: 'count', value: refused, target: { on: 'value', op: '==', limit: 0, kind: 'correctness' } }, judge),
      ],
      details: {
        sizes,
        rounds: Object.fromEntries(Object.entries(rounds).map(([s, rs]) => [s, rs.map((r) => ({ fixedRate: describe(r.fixed), saturation: describe(r.saturated), cpuPerRequestUs: cpuOf(r) }))])),
      },
      notes: [
        'Baseline: the durable floor (signature check + one Redis RPUSH on the AOF Redis); the bare floor (signature check only) is shown beside it.',
        `Interleaved: ${sizes.rounds} rounds, each running the bare floor, the durable floor and Deckhand in turn (order rotated); every figure is the median of its rounds.`,
        'Servers under test and the load generator (undici Pool, keep-alive) each run in their own Node process; open-loop latency counts from when each request was due.',
      ],
      durationMs: Date.now() - started,
    };
  } finally {
    await bot.stop();
    for (const c of children) await c.stop();
    await load.close();
  }
}
