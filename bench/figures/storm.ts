import type { RecordedCall } from '../../sandbox/slack/index.js';
import { waitFor } from '../../sandbox/shared/wait.js';
import type { BenchEnv } from '../lib/bench-env.js';
import { benchChannel, benchServices, startBot } from '../lib/bot.js';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Shot } from '../lib/load.js';
import { startLoadGenerator, type LoadGenerator } from '../lib/loadgen.js';
import type { BenchSizes } from '../lib/options.js';
import { buildDelivery, newIncident, type Delivery } from '../lib/pagerduty.js';
import { metric, type FigureResult } from '../lib/report.js';
import { createRandom, summarize } from '../lib/stats.js';

/** Targets of issue 17; never loosened to pass. */
export const stormTargets = { acceptedPerSecond: 5000, rootP99Ms: 1000, idleRssMb: 150, peakRssMb: 200 } as const;

interface StormRun {
  sent: number;
  accepted: number;
  elapsedMs: number;
  drainedMs: number;
  roots: number;
  analyses: number;
  duplicates: number;
  rootLatencyMs: ReturnType<typeof summarize>;
  idleRssMb: number;
  peakRssMb: number;
  workerPeakRssMb?: number;
  details: Record<string, unknown>;
}

/**
 * Figure 2: an alert storm. Many deliveries for a few incidents, part of them redelivered
 * (same X-Webhook-Id and bytes) later and part in bursts of concurrent copies, sent by the
 * load generator in its own process. Exactly one thread and one analysis per incident must
 * come out, and no Slack post twice. The thread roots are timed *during* the storm: from
 * the first delivery of an incident sent to its root posted. Run twice: Deckhand as one
 * process (`npm start`: both roles; its memory is measured here) and as a web process plus
 * a worker process (DECKHAND_ROLES), which must give the same exact counts.
 */
export async function runStorm(env: BenchEnv, sizes: BenchSizes['storm'], judge: boolean): Promise<FigureResult> {
  const started = Date.now();
  const turns = buildStorm(env.secrets.pagerduty, sizes);
  const load = await startLoadGenerator(env.runtime);
  try {
    const one = await stormOnce(env, sizes, turns, load, false);
    const two = await stormOnce(env, sizes, turns, load, true);
    const exact = (name: string, value: number, limit: number) => metric({ name, unit: 'count', value, target: { on: 'value', op: '==', limit, kind: 'correctness' } }, judge);
    const perf = (name: string, unit: string, value: number, op: '<=' | '>=', limit: number) => metric({ name, unit, value, target: { on: 'value', op, limit, kind: 'performance' } }, judge);
    const rate = (r: StormRun) => Math.round((r.accepted / r.elapsedMs) * 1000);
    return {
      id: 2,
      title: 'Alert storm (one process, then web + worker)',
      metrics: [
        perf(`accepted rate (${one.sent} deliveries)`, 'deliv/s', rate(one), '>=', stormTargets.acceptedPerSecond),
        perf('webhook → thread root p99, during the storm', 'ms', one.rootLatencyMs.p99, '<=', stormTargets.rootP99Ms),
        metric({ name: 'webhook → thread root p50, during the storm', unit: 'ms', value: one.rootLatencyMs.p50 }, judge),
        metric({ name: 'time to drain', unit: 's', value: one.drainedMs / 1000 }, judge),
        perf('idle RSS of the bot', 'MB', one.idleRssMb, '<=', stormTargets.idleRssMb),
        perf('peak RSS of the bot', 'MB', one.peakRssMb, '<=', stormTargets.peakRssMb),
        exact('threads', one.roots, sizes.incidents),
        exact('analyses', one.analyses, sizes.incidents),
        exact('duplicate Slack posts', one.duplicates, 0),
        exact('deliveries refused', one.sent - one.accepted, 0),
        metric({ name: 'web + worker: accepted rate', unit: 'deliv/s', value: rate(two) }, judge),
        metric({ name: 'web + worker: webhook → thread root p99', unit: 'ms', value: two.rootLatencyMs.p99 }, judge),
        metric({ name: 'web + worker: peak RSS web / worker', unit: 'MB', value: two.peakRssMb, ...(two.workerPeakRssMb === undefined ? {} : { baseline: two.workerPeakRssMb }) }, judge),
        exact('web + worker: threads', two.roots, sizes.incidents),
        exact('web + worker: analyses', two.analyses, sizes.incidents),
        exact('web + worker: duplicate Slack posts', two.duplicates, 0),
        exact('web + worker: deliveries refused', two.sent - two.accepted, 0),
      ],
      details: { sizes, oneProcess: one.details, webAndWorker: two.details },
      notes: [
        'Accepted rate: deliveries answered 2xx per second of sending; the load generator runs in its own process, Deckhand in its own (or two).',
        'Root latency: from the first delivery of an incident leaving the load generator to its thread root posted to Slack, while the rest of the storm is still arriving.',
        'Idle RSS: the one-process bot after start-up with nothing to do; peak RSS: its high-water mark (VmHWM) through the storm. Both with the V8 flags npm start gives it (heap cap, young generation).',
        'web + worker: "peak RSS" shows the web process, its baseline column the worker process.',
      ],
      durationMs: Date.now() - started,
    };
  } finally {
    await load.close();
  }
}

async function stormOnce(env: BenchEnv, sizes: BenchSizes['storm'], turns: (Shot | Shot[])[], load: LoadGenerator, split: boolean): Promise<StormRun> {
  const sent = turns.reduce((n, t) => n + (Array.isArray(t) ? t.length : 1), 0);
  const bot = await startBot(env, { label: split ? 'storm-split' : 'storm', split });
  try {
    // Idle: started, connected, nothing to do yet.
    await sleep(2000);
    const idle = await bot.child.memory();
    const sendStart = performance.now();
    const result = await load.closedLoop({ origin: bot.url, concurrency: sizes.concurrency, shots: turns });
    // Drained: every queue idle and every incident analysed.
    await waitFor(async () => ((await bot.jobCounts()).analysis.completed ?? 0) + ((await bot.jobCounts()).analysis.failed ?? 0) >= sizes.incidents, {
      timeoutMs: 300_000,
      intervalMs: 50,
      message: 'storm: not every incident was analysed',
    });
    await bot.waitIdle(300_000);
    const drainedMs = performance.now() - sendStart;
    const memory = await bot.child.memory();
    const workerMemory = bot.worker ? await bot.worker.memory() : undefined;
    const counts = await bot.jobCounts();
    const roots = bot.slack.calls.filter((c) => c.method === 'chat.postMessage' && c.ok && c.args.channel === benchChannel && c.args.thread_ts === undefined);
    const posts = bot.slack.calls.filter((c) => c.method === 'chat.postMessage' && c.ok);
    const accepted = Object.entries(result.statuses)
      .filter(([s]) => s.startsWith('2'))
      .reduce((n, [, c]) => n + c, 0);
    return {
      sent,
      accepted,
      elapsedMs: result.elapsedMs,
      drainedMs,
      roots: roots.length,
      analyses: counts.analysis.completed ?? 0,
      duplicates: duplicatePosts(posts),
      rootLatencyMs: summarize(rootLatencies(turns, result.sentAt, roots)),
      idleRssMb: idle.rss,
      peakRssMb: memory.peakRss,
      ...(workerMemory ? { workerPeakRssMb: workerMemory.peakRss } : {}),
      details: {
        deliveries: sent,
        ackLatencyMs: summarize(result.latencies),
        statuses: result.statuses,
        sendMs: Math.round(result.elapsedMs),
        idleMemory: idle,
        memory,
        ...(workerMemory ? { workerMemory } : {}),
        jobCounts: counts,
        slackPosts: posts.length,
        slackUpdates: bot.slack.calls.filter((c) => c.method === 'chat.update').length,
      },
    };
  } finally {
    await bot.stop();
  }
}

/** Per incident: its first delivery's send time (epoch ms) to its root's post (the sandbox's clock). */
export function rootLatencies(turns: readonly (Shot | Shot[])[], sentAt: readonly number[], roots: readonly RecordedCall[]): number[] {
  const firstSent = new Map<string, number>();
  turns.forEach((turn, i) => {
    const shot = Array.isArray(turn) ? turn[0]! : turn;
    const title = (JSON.parse(shot.body) as { event: { data: { title: string } } }).event.data.title;
    if (!firstSent.has(title)) firstSent.set(title, sentAt[i]!);
  });
  const latencies: number[] = [];
  for (const [title, at] of firstSent) {
    const root = roots.find((c) => typeof c.args.text === 'string' && c.args.text.includes(title));
    if (root) latencies.push(root.at - at);
  }
  return latencies;
}

/** Posts with the same channel, thread and content: what idempotency keys exist to prevent. */
export function duplicatePosts(posts: readonly RecordedCall[]): number {
  const seen = new Set<string>();
  let duplicates = 0;
  for (const call of posts) {
    const { channel, thread_ts: thread, text, blocks } = call.args;
    const key = JSON.stringify([channel, thread, text, blocks]);
    if (seen.has(key)) duplicates += 1;
    else seen.add(key);
  }
  return duplicates;
}

/**
 * The storm, deterministic per size: unique deliveries spread round-robin over the
 * incidents; `bursts` of them are sent as `burstSize` concurrent copies; the remaining
 * redeliveries resend an earlier delivery at a random later point.
 */
export function buildStorm(secret: string, sizes: BenchSizes['storm']): (Shot | Shot[])[] {
  const random = createRandom(20_261_121);
  const redeliveries = Math.round(sizes.deliveries * sizes.redeliveryShare);
  const unique = sizes.deliveries - redeliveries;
  const burstCopies = Math.min(sizes.bursts * (sizes.burstSize - 1), redeliveries);
  const bursts = sizes.burstSize > 1 ? Math.floor(burstCopies / (sizes.burstSize - 1)) : 0;
  const lateResends = redeliveries - bursts * (sizes.burstSize - 1);
  const incidents = Array.from({ length: sizes.incidents }, (_, i) => newIncident(benchServices[i % benchServices.length]!, 'storm', i));
  const t0 = Date.now() - unique;
  const originals: Delivery[] = Array.from({ length: unique }, (_, i) =>
    buildDelivery(secret, incidents[i % incidents.length]!, { occurredAt: new Date(t0 + i) }),
  );
  const turns: { key: number; shot: Shot | Shot[] }[] = originals.map((d, i) => ({ key: i, shot: d }));
  const burstAt = new Set<number>();
  while (burstAt.size < Math.min(bursts, unique)) burstAt.add(Math.floor(random() * unique));
  for (const i of burstAt) turns[i]!.shot = Array.from({ length: sizes.burstSize }, () => originals[i]!);
  for (let r = 0; r < lateResends; r++) {
    const i = Math.floor(random() * unique);
    turns.push({ key: i + 0.5 + random() * (unique - i), shot: originals[i]! });
  }
  return turns.sort((a, b) => a.key - b.key).map((t) => t.shot);
}
