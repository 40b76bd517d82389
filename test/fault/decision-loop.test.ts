import { afterEach, describe, expect, it } from 'vitest';
import { isRealMutation, slackCall } from '../helpers/fault-proxy.js';
import { startFaultWorld, textOf, type FaultWorld } from '../helpers/fault-world.js';
import { expectReportedAndVerified, within } from './assertions.js';

/**
 * Kills of the real bot (child process) and Slack outages at each step after a proposal is
 * shown: the click, the real run, the "Executed" report and the verification. Whatever
 * happens, the action runs exactly once and the thread ends up saying what happened to
 * the cluster, verified.
 */
let world: FaultWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

const executedPost = slackCall('chat.postMessage', 'Executed `');

/** A world whose thread shows the proposal; `approve` clicks it without waiting for the answer (the bot may be killed meanwhile). */
async function proposalShown(): Promise<{ w: FaultWorld; proposal: Awaited<ReturnType<FaultWorld['proposal']>>; approve: () => void }> {
  const w = await startFaultWorld();
  world = w;
  await w.fireAlert();
  const proposal = await w.proposal(120_000);
  return { w, proposal, approve: () => void w.approve(proposal).catch(() => undefined) };
}

/** Kills the bot once `step` is reached, restarts it, and checks the outcome. */
async function killAt(w: FaultWorld, step: Promise<unknown>, name: string, timeoutMs = 60_000): Promise<void> {
  await within(step, timeoutMs, name);
  await w.restart();
  await expectReportedAndVerified(w, 150_000);
}

describe('fault injection: click, execution and verification', () => {
  it('kill -9 while the Approve click edits the proposal (chat.update held): the action still runs, once, and is verified', async () => {
    const { w, proposal, approve } = await proposalShown();
    const hold = w.slackProxy.holdAnswer(slackCall('chat.update'));
    approve();
    await killAt(w, hold.reached, 'the approval edit reached Slack');
    const edited = w.thread().find((m) => m.ts === proposal.ts);
    expect(textOf(edited!)).toContain('Approved by <@UALICE>');
  }, 400_000);

  it('SIGTERM while the Approve click edits the proposal: shutdown waits for the click, the restarted bot runs and verifies it', async () => {
    const { w, approve } = await proposalShown();
    const hold = w.slackProxy.holdAnswer(slackCall('chat.update'));
    approve();
    await within(hold.reached, 60_000, 'the approval edit reached Slack');
    const exited = w.bot.stop('SIGTERM');
    hold.release();
    expect(await within(exited, 60_000, 'the bot stopped after SIGTERM')).toBe(0);
    await w.restart();
    await expectReportedAndVerified(w, 150_000);
  }, 400_000);

  it('kill -9 after the real run, before "Executed" is posted: reported once, verified, never run twice', async () => {
    const { w, approve } = await proposalShown();
    const hold = w.kubeProxy.holdAnswer(isRealMutation);
    approve();
    await killAt(w, hold.reached, 'the real run reached the cluster');
  }, 400_000);

  it('Slack answers 503 for 15 s to the "Executed" post: the report and the verification still follow, once each', async () => {
    const { w, approve } = await proposalShown();
    const outage = w.slackProxy.fail(executedPost, { status: 503, forMs: 15_000 });
    approve();
    await within(outage.first, 60_000, 'the Executed post met the outage');
    await expectReportedAndVerified(w, 150_000);
    expect(w.slackProxy.count((c) => executedPost(c) && c.outcome === 'failed')).toBeGreaterThan(1);
  }, 400_000);

  it('kill -9 during verification (a cluster read after "Executed"): the verdict is posted once after restart', async () => {
    const { w, approve } = await proposalShown();
    const executedAnswered = () => w.slackProxy.count((c) => executedPost(c) && c.status === 200) > 0;
    const hold = w.kubeProxy.holdAnswer((c) => c.method === 'GET' && executedAnswered());
    approve();
    await killAt(w, hold.reached, 'a verification read reached the cluster', 90_000);
  }, 400_000);

  it('kill -9 while the verdict is posted: one "Verified" after restart', async () => {
    const { w, approve } = await proposalShown();
    const hold = w.slackProxy.holdAnswer(slackCall('chat.postMessage', 'Verified'));
    approve();
    await killAt(w, hold.reached, 'the verdict post reached Slack', 90_000);
  }, 400_000);
});
