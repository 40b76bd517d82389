import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../../sandbox/shared/wait.js';
import { slackCall } from '../helpers/fault-proxy.js';
import { startFaultWorld, type FaultWorld } from '../helpers/fault-world.js';
import { expectOneRootAndFindings, within } from './assertions.js';

/**
 * kill -9 of the real bot (a child process) while Slack's answer to a post is in flight:
 * Slack applied the post, the bot never learned its ts. The restarted bot must find the
 * message by its metadata instead of posting a second root or a second findings message.
 */
let world: FaultWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

describe('fault injection: intake and analysis', () => {
  it('kill -9 while the thread root is posted: one root after restart, and the incident goes on', async () => {
    world = await startFaultWorld();
    const hold = world.slackProxy.holdAnswer(slackCall('chat.postMessage', 'incident-root:'));
    await world.fireAlert();
    await within(hold.reached, 20_000, 'the root post reached Slack');
    expect(world.slack.messages('CINCIDENTS')).toHaveLength(1);
    await world.restart();
    await world.proposal(100_000);
    expectOneRootAndFindings(world);
    // The restarted bot looked the root up instead of posting it again.
    expect(world.slackProxy.count(slackCall('conversations.history'))).toBeGreaterThan(0);
    expect(world.slackProxy.count(slackCall('chat.postMessage', 'incident-root:'))).toBe(1);
  }, 240_000);

  it('kill -9 while the findings are posted: one findings message after restart', async () => {
    world = await startFaultWorld();
    const hold = world.slackProxy.holdAnswer(slackCall('chat.postMessage', ':findings:0'));
    await world.fireAlert();
    await within(hold.reached, 30_000, 'the findings post reached Slack');
    await world.restart();
    await world.proposal(100_000);
    expectOneRootAndFindings(world);
    expect(world.slackProxy.count(slackCall('chat.postMessage', ':findings:0'))).toBe(1);
    expect(world.slackProxy.count(slackCall('conversations.replies'))).toBeGreaterThan(0);
  }, 240_000);

  it('Slack drops the connection of the root post: still exactly one root', async () => {
    world = await startFaultWorld();
    const dropped = world.slackProxy.drop(slackCall('chat.postMessage', 'incident-root:'));
    await world.fireAlert();
    await within(dropped.reached, 20_000, 'the root post was dropped');
    await world.proposal(120_000);
    await waitFor(() => world!.slack.messages('CINCIDENTS').length > 1, { message: 'nothing in the thread' });
    expectOneRootAndFindings(world);
  }, 240_000);
});
