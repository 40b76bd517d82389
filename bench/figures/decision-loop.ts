import { actionIds } from '../../src/decisions/action-ids.js';
import { waitFor } from '../../sandbox/shared/wait.js';
import type { BenchEnv } from '../lib/bench-env.js';
import { benchApprover, benchChannel, benchServices, startBot, type BotUnderTest } from '../lib/bot.js';
import { createLoadClient } from '../lib/load.js';
import type { BenchSizes } from '../lib/options.js';
import { buildDelivery, newIncident } from '../lib/pagerduty.js';
import { metric, type FigureResult } from '../lib/report.js';
import { findCall, isReplyWith, rootTsOf, waitForCall } from '../lib/slack-watch.js';
import { summarize } from '../lib/stats.js';

const cart = benchServices[1];
/** Simulated seconds per real second: the sandbox rolls cart out "at once". */
const timeScale = 500;

/**
 * Figure 5: Approve → executed → verified, for the OOMKilled cart (set_resources, medium
 * risk, one approver). The verifier's settle window is set to 0 (it only re-checks that
 * nothing restarts for that long, so it would add exactly its length); polling keeps the
 * product's default. Each round breaks cart again (memory limit back to 128Mi), opens a new
 * incident, waits for the proposal and clicks Approve as the approver.
 */
export async function runDecisionLoop(env: BenchEnv, sizes: BenchSizes['decision'], judge: boolean): Promise<FigureResult> {
  const started = Date.now();
  const bot = await startBot(env, { label: 'decision', scenarios: [cart.scenario], timeScale, decisions: { sweepIntervalMs: 0, verification: { settleMs: 0 } } });
  const client = createLoadClient(bot.url, 1);
  try {
    const executed: number[] = [];
    const verified: number[] = [];
    let failed = 0;
    // Round 0 warms up and is not counted.
    for (let round = 0; round <= sizes.iterations; round++) {
      if (round > 0) await breakCart(bot);
      const { rootTs, proposalTs } = await openIncident(bot, client, env.secrets.pagerduty, round);
      const from = bot.slack.calls.length;
      const clickedAt = Date.now();
      const click = await bot.slack.clickButton({ user: benchApprover, channel: benchChannel, messageTs: proposalTs, actionId: actionIds.approve });
      if (click.status !== 200) throw new Error(`approve answered ${click.status}`);
      const run = await waitForCall(bot.slack, isReplyWith(rootTs, ':gear: Executed'), { from, timeoutMs: 30_000, what: 'execution message' });
      const verdict = await waitFor(() => findCall(bot.slack, isReplyWith(rootTs, 'Verifi'), from), { timeoutMs: 60_000, intervalMs: 2, message: 'no verdict' });
      if (round === 0) continue;
      if (!JSON.stringify(verdict.args.text).includes('Verified')) failed += 1;
      executed.push(run.at - clickedAt);
      verified.push(verdict.at - clickedAt);
    }
    const e = summarize(executed);
    const v = summarize(verified);
    return {
      id: 5,
      title: 'Approve → executed → verified (settle window 0)',
      metrics: [
        metric({ name: 'approve → executed p50', unit: 'ms', value: e.p50 }, judge),
        metric({ name: 'approve → executed p99', unit: 'ms', value: e.p99, target: { on: 'value', op: '<=', limit: 100, kind: 'performance' } }, judge),
        metric({ name: 'approve → executed samples', unit: 'count', value: executed.length, target: { on: 'value', op: '>=', limit: judge ? 100 : 1, kind: 'correctness' } }, judge),
        metric({ name: 'approve → verified p50', unit: 'ms', value: v.p50 }, judge),
        metric({ name: 'approve → verified p99', unit: 'ms', value: v.p99, target: { on: 'value', op: '<=', limit: 250, kind: 'performance' } }, judge),
        metric({ name: 'verifications failed', unit: 'count', value: failed, target: { on: 'value', op: '==', limit: 0, kind: 'correctness' } }, judge),
      ],
      details: { sizes, timeScale, executedMs: e, verifiedMs: v },
      notes: [
        "Verifier settle window 0 (not counted, as the issue asks); poll interval is the product's default. Includes the dry run, the real run and the posts.",
        `The sandbox runs at ${timeScale}x simulated time, so the rollout itself takes a few ms.`,
      ],
      durationMs: Date.now() - started,
    };
  } finally {
    await client.close();
    await bot.stop();
  }
}

/** Sends a new incident for cart until the analyzers propose a fix with buttons (the crash must show first). */
async function openIncident(bot: BotUnderTest, client: ReturnType<typeof createLoadClient>, secret: string, round: number): Promise<{ rootTs: string; proposalTs: string }> {
  for (let attempt = 0; ; attempt++) {
    const incident = newIncident(cart, `dec${round}x`, attempt);
    const from = bot.slack.calls.length;
    const status = await client.send(buildDelivery(secret, incident));
    if (status !== 202) throw new Error(`webhook answered ${status}`);
    const rootTs = await rootTsOf(bot.slack, benchChannel, incident.title);
    try {
      await waitForCall(bot.slack, isReplyWith(rootTs, actionIds.approve), { from, timeoutMs: 10_000, what: 'cart proposal' });
    } catch (err) {
      if (attempt >= 5) throw err;
      continue;
    }
    const proposalTs = bot.slack.thread(benchChannel, rootTs).find((m) => JSON.stringify(m.blocks ?? []).includes(actionIds.approve))!.ts;
    return { rootTs, proposalTs };
  }
}

/** Puts cart's memory limit back to 128Mi (a new revision that is OOMKilled again) and waits for the crash to show. */
async function breakCart(bot: BotUnderTest): Promise<void> {
  const patch = { spec: { template: { spec: { containers: [{ name: 'cart', resources: { limits: { memory: '128Mi' } } }] } } } };
  const res = await fetch(`${bot.cluster.url}/apis/apps/v1/namespaces/shop/deployments/cart`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/strategic-merge-patch+json', authorization: 'Bearer sandbox-token' },
    body: JSON.stringify(patch),
  });
  if (!res.ok) throw new Error(`re-breaking cart answered ${res.status}: ${await res.text()}`);
  await waitFor(
    async () => {
      const pods = (await (await fetch(`${bot.cluster.url}/api/v1/namespaces/shop/pods?labelSelector=app%3Dcart`)).json()) as {
        items: { metadata: { deletionTimestamp?: string }; spec: { containers: { resources?: { limits?: { memory?: string } } }[] }; status?: { containerStatuses?: { lastState?: { terminated?: { reason?: string } } }[] } }[];
      };
      const current = pods.items.filter((p) => !p.metadata.deletionTimestamp && p.spec.containers[0]?.resources?.limits?.memory === '128Mi');
      return current.length > 0 && current.every((p) => p.status?.containerStatuses?.[0]?.lastState?.terminated?.reason === 'OOMKilled');
    },
    { timeoutMs: 30_000, intervalMs: 20, message: 'cart did not crash again after the re-break' },
  );
}
