import type { RecordedCall } from '../../sandbox/slack/index.js';
import { waitFor } from '../../sandbox/shared/wait.js';
import type { BenchEnv } from '../lib/bench-env.js';
import { benchChannel, benchServices, startBot } from '../lib/bot.js';
import { runClosedLoop, type Shot } from '../lib/load.js';
import type { BenchSizes } from '../lib/options.js';
import { buildDelivery, newIncident, type Delivery } from '../lib/pagerduty.js';
import { metric, type FigureResult } from '../lib/report.js';
import { createRandom, summarize } from '../lib/stats.js';

/**
 * Figure 2: an alert storm. Many deliveries for a few incidents, part of them redelivered
 * (same X-Webhook-Id and bytes) later and part in bursts of concurrent copies. Exactly one
 * thread and one analysis per incident must come out, and no Slack post twice.
 */
export async function runStorm(env: BenchEnv, sizes: BenchSizes['storm'], judge: boolean): Promise<FigureResult> {
  const started = Date.now();
  const turns = buildStorm(env.secrets.pagerduty, sizes);
  const sent = turns.reduce((n, t) => n + (Array.isArray(t) ? t.length : 1), 0);
  const bot = await startBot(env, { label: 'storm' });
  try {
    const sendStart = performance.now();
    const load = await runClosedLoop({ origin: bot.url, concurrency: sizes.concurrency, count: turns.length, shot: (i) => turns[i]! });
    // Drained: every queue idle and every incident analysed.
    await waitFor(async () => ((await bot.jobCounts()).analysis.completed ?? 0) + ((await bot.jobCounts()).analysis.failed ?? 0) >= sizes.incidents, {
      timeoutMs: 300_000,
      intervalMs: 50,
      message: 'storm: not every incident was analysed',
    });
    await bot.waitIdle(300_000);
    const drainedMs = performance.now() - sendStart;
    const memory = await bot.child.memory();
    const peakRss = memory.peakRss;

    const counts = await bot.jobCounts();
    const roots = bot.slack.messages(benchChannel).filter((m) => m.thread_ts === undefined || m.thread_ts === m.ts);
    const posts = bot.slack.calls.filter((c) => c.method === 'chat.postMessage' && c.ok);
    const accepted = Object.entries(load.statuses)
      .filter(([s]) => s.startsWith('2'))
      .reduce((n, [, c]) => n + c, 0);
    const exact = (name: string, value: number, limit: number) => metric({ name, unit: 'count', value, target: { on: 'value', op: '==', limit, kind: 'correctness' } }, judge);
    return {
      id: 2,
      title: 'Alert storm',
      metrics: [
        metric({ name: `accepted rate (${sent} deliveries)`, unit: 'deliv/s', value: Math.round((accepted / load.elapsedMs) * 1000), target: { on: 'value', op: '>=', limit: 1000, kind: 'performance' } }, judge),
        metric({ name: 'time to drain', unit: 's', value: drainedMs / 1000 }, judge),
        metric({ name: 'peak RSS of the bot', unit: 'MB', value: peakRss, target: { on: 'value', op: '<=', limit: 250, kind: 'performance' } }, judge),
        exact('threads', roots.length, sizes.incidents),
        exact('analyses', counts.analysis.completed ?? 0, sizes.incidents),
        exact('duplicate Slack posts', duplicatePosts(posts), 0),
        exact('deliveries refused', sent - accepted, 0),
      ],
      details: {
        sizes,
        deliveries: sent,
        ackLatencyMs: summarize(load.latencies),
        statuses: load.statuses,
        sendMs: Math.round(load.elapsedMs),
        memory,
        jobCounts: counts,
        slackPosts: posts.length,
        slackUpdates: bot.slack.calls.filter((c) => c.method === 'chat.update').length,
      },
      notes: ['Accepted rate: deliveries answered 2xx per second of sending, with concurrent senders in the bench process and Deckhand in its own.'],
      durationMs: Date.now() - started,
    };
  } finally {
    await bot.stop();
  }
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
