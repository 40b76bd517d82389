import { actionIds } from '../../src/decisions/action-ids.js';
import type { BenchEnv } from '../lib/bench-env.js';
import { benchChannel, benchServices, startBot, type BotUnderTest } from '../lib/bot.js';
import { createLoadClient } from '../lib/load.js';
import type { BenchSizes } from '../lib/options.js';
import { buildDelivery, newIncident } from '../lib/pagerduty.js';
import { metric, type FigureResult } from '../lib/report.js';
import { isReplyWith, isRootWith, rootTsOf, waitForCall } from '../lib/slack-watch.js';
import { summarize } from '../lib/stats.js';

/**
 * Figure 3: one incident at a time, from sending its webhook to (a) the thread root in
 * Slack and (b) the first proposal with Approve / Reject in that thread, made by the
 * built-in analyzers over the sandbox cluster. Times are the Slack sandbox's receipt of the
 * post, on this process's clock.
 */
export async function runThreadLatency(env: BenchEnv, sizes: BenchSizes['latency'], judge: boolean): Promise<FigureResult> {
  const started = Date.now();
  const bot = await startBot(env, { label: 'latency' });
  const client = createLoadClient(bot.url, 2);
  try {
    // One incident per service first: the sandbox's faults show and the code paths are warm.
    for (const [i, service] of benchServices.entries()) await measureOne(bot, client, env.secrets.pagerduty, newIncident(service, 'warm', i), 60_000);
    const root: number[] = [];
    const proposal: number[] = [];
    for (let i = 0; i < sizes.incidents; i++) {
      const m = await measureOne(bot, client, env.secrets.pagerduty, newIncident(benchServices[i % benchServices.length]!, 'lat', i), 30_000);
      root.push(m.rootMs);
      proposal.push(m.proposalMs);
    }
    const rootStats = summarize(root);
    const proposalStats = summarize(proposal);
    return {
      id: 3,
      title: 'Webhook → thread root, webhook → first proposal',
      metrics: [
        metric({ name: 'webhook → root p50', unit: 'ms', value: rootStats.p50 }, judge),
        metric({ name: 'webhook → root p99', unit: 'ms', value: rootStats.p99, target: { on: 'value', op: '<=', limit: 100, kind: 'performance' } }, judge),
        metric({ name: 'webhook → proposal p50', unit: 'ms', value: proposalStats.p50 }, judge),
        metric({ name: 'webhook → proposal p99', unit: 'ms', value: proposalStats.p99, target: { on: 'value', op: '<=', limit: 1000, kind: 'performance' } }, judge),
      ],
      details: { sizes, rootMs: rootStats, proposalMs: proposalStats, services: benchServices.map((s) => s.deployment) },
      notes: ['Sequential incidents (one in flight), so this is latency, not queueing; Deckhand in its own process, the fakes here answer at once.'],
      durationMs: Date.now() - started,
    };
  } finally {
    await client.close();
    await bot.stop();
  }
}

async function measureOne(
  bot: BotUnderTest,
  client: ReturnType<typeof createLoadClient>,
  secret: string,
  incident: ReturnType<typeof newIncident>,
  timeoutMs: number,
): Promise<{ rootMs: number; proposalMs: number }> {
  const from = bot.slack.calls.length;
  const delivery = buildDelivery(secret, incident);
  const sentAt = Date.now();
  const status = await client.send(delivery);
  if (status !== 202) throw new Error(`webhook answered ${status}`);
  const tag = incident.title;
  const root = await waitForCall(bot.slack, isRootWith(tag), { from, timeoutMs, what: `thread root for ${incident.id}` });
  const ts = await rootTsOf(bot.slack, benchChannel, tag);
  const proposal = await waitForCall(bot.slack, isReplyWith(ts, actionIds.approve), { from, timeoutMs, what: `proposal for ${incident.id}` });
  return { rootMs: root.at - sentAt, proposalMs: proposal.at - sentAt };
}
