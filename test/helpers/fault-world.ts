import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sendDemoAlerts } from '../../sandbox/demo/alerts.js';
import { startSandboxCluster, type SandboxCluster } from '../../sandbox/cluster/index.js';
import { defaultUsers, startSlackSandbox, type SandboxMessage, type SlackSandbox } from '../../sandbox/slack/index.js';
import { createSilentLogger } from '../../src/shared/logger.js';
import { findFreePort } from '../../sandbox/shared/net.js';
import { waitFor } from '../../sandbox/shared/wait.js';
import { actionIds } from '../../src/slack/action-ids.js';
import { startBotProcess, type BotProcess } from './bot-process.js';
import { startFaultProxy, type FaultProxy } from './fault-proxy.js';
import { testSecrets } from './app.js';
import { testRedisUrl, uniquePrefix } from './redis.js';

export const channel = 'CINCIDENTS';

/**
 * One fault scenario's world: the sandbox cluster (cart OOMKilled: a medium-risk
 * set_resources proposal one approver can run) and the local Slack, each behind a fault
 * proxy, and the real bot as a child process that the test kills and restarts. Every
 * restart keeps the port, the Redis prefix and the configuration: the same deployment.
 */
export interface FaultWorld {
  slack: SlackSandbox;
  cluster: SandboxCluster;
  slackProxy: FaultProxy;
  kubeProxy: FaultProxy;
  bot: BotProcess;
  /** Starts the bot again (after a kill). */
  restart(): Promise<BotProcess>;
  /** Sends the cart OOMKilled alert (Alertmanager, signed). */
  fireAlert(): Promise<void>;
  root(): SandboxMessage | undefined;
  thread(): SandboxMessage[];
  /** Waits for the proposal with Approve / Reject in the thread. */
  proposal(timeoutMs?: number): Promise<SandboxMessage>;
  approve(proposal: SandboxMessage): Promise<unknown>;
  close(): Promise<void>;
}

const yamlOf = (kubeconfig: string) => `
clusters:
  sandbox: { kubeconfig: ${JSON.stringify(kubeconfig)}, context: sandbox }
channels:
  ${channel}:
    cluster: sandbox
    namespaces: [shop]
    mode: approval
    approvers: { users: [UALICE] }
`;

export const textOf = (m: SandboxMessage): string => `${m.text} ${JSON.stringify(m.blocks ?? [])}`;

/** The idempotency key a message was posted with (src/slack/client.ts metadata). */
export const postKeyOf = (m: SandboxMessage): string | undefined => {
  const key = (m.metadata as { event_payload?: { key?: unknown } } | undefined)?.event_payload?.key;
  return typeof key === 'string' ? key : undefined;
};

export async function startFaultWorld(): Promise<FaultWorld> {
  const dir = await mkdtemp(join(tmpdir(), 'deckhand-fault-'));
  const cluster = await startSandboxCluster({ scenarios: ['cart-oomkilled'], timeScale: 50, log: createSilentLogger() });
  await cluster.settle();
  const slack = await startSlackSandbox({ users: defaultUsers, botToken: testSecrets.botToken });
  const slackProxy = await startFaultProxy({ target: slack.url });
  const kubeProxy = await startFaultProxy({ target: cluster.url });
  const kubeconfig = join(dir, 'kubeconfig');
  await writeFile(kubeconfig, cluster.kubeconfigYaml().replace(cluster.url, kubeProxy.url), { mode: 0o600 });
  const configPath = join(dir, 'deckhand.yaml');
  await writeFile(configPath, yamlOf(kubeconfig));
  const port = await findFreePort();
  const botUrl = `http://127.0.0.1:${port}`;
  slack.setBotUrl(`${botUrl}/slack/events`);
  const env = {
    PORT: String(port),
    HOST: '127.0.0.1',
    REDIS_URL: testRedisUrl(),
    SLACK_BOT_TOKEN: testSecrets.botToken,
    SLACK_SIGNING_SECRET: slack.signingSecret,
    SLACK_API_URL: `${slackProxy.url}/api/`,
    ALERTMANAGER_TOKEN: testSecrets.alertmanager,
    PAGERDUTY_WEBHOOK_SECRETS: testSecrets.pagerduty,
    DECKHAND_CONFIG: configPath,
    ALERT_CHANNEL: channel,
    FAULT_REDIS_PREFIX: uniquePrefix('fault'),
    FAULT_VERIFY_SETTLE_MS: '300',
  };
  const world: FaultWorld = {
    slack,
    cluster,
    slackProxy,
    kubeProxy,
    bot: await startBotProcess(env),
    async restart() {
      await world.bot.stop('SIGKILL');
      world.bot = await startBotProcess(env);
      return world.bot;
    },
    async fireAlert() {
      const [sent] = await sendDemoAlerts({ botUrl, clusterUrl: cluster.url, secrets: { pagerduty: testSecrets.pagerduty, alertmanager: testSecrets.alertmanager }, only: ['cart'] });
      if (sent?.status !== 202 && sent?.status !== 200) throw new Error(`alert refused: ${JSON.stringify(sent)}`);
    },
    root: () => slack.messages(channel).find((m) => m.thread_ts === undefined || m.thread_ts === m.ts),
    thread: () => {
      const root = world.root();
      return root ? slack.thread(channel, root.ts).slice(1) : [];
    },
    proposal: (timeoutMs = 40_000) =>
      waitFor(() => world.thread().find((m) => textOf(m).includes(actionIds.approve) && textOf(m).includes('set resources')), {
        timeoutMs,
        message: 'no set_resources proposal with buttons in the thread',
      }),
    approve: (proposal) => slack.clickButton({ user: 'UALICE', channel, messageTs: proposal.ts, actionId: actionIds.approve }),
    async close() {
      await world.bot.stop('SIGKILL');
      await Promise.allSettled([slackProxy.close(), kubeProxy.close()]);
      await Promise.allSettled([slack.close(), cluster.close()]);
      await rm(dir, { recursive: true, force: true });
    },
  };
  return world;
}
