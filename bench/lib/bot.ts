import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { stringify } from 'yaml';
import { queueNames, type QueueName } from '../../src/jobs/queues.js';
import { startSandboxCluster, type SandboxCluster } from '../../sandbox/cluster/index.js';
import { startSlackSandbox, type SlackSandbox } from '../../sandbox/slack/index.js';
import { waitFor } from '../../sandbox/shared/wait.js';
import type { BenchEnv } from './bench-env.js';
import { startChildServer, type ChildServer } from './child.js';

/** The channel every bench incident goes to, and its approver. */
export const benchChannel = 'CINCIDENTS';
export const benchApprover = 'UALICE';
export const benchNonApprover = 'UBOB';

/** PagerDuty services of the bench, each mapped to a broken sandbox workload the built-in analyzers propose a fix for. */
export const benchServices = [
  { id: 'PBCHECKOUT', name: 'Checkout API', deployment: 'checkout', scenario: 'checkout-crashloop' },
  { id: 'PBCART', name: 'Cart', deployment: 'cart', scenario: 'cart-oomkilled' },
  { id: 'PBFRONTEND', name: 'Frontend', deployment: 'frontend', scenario: 'frontend-imagepull' },
] as const;
export type BenchService = (typeof benchServices)[number];

/**
 * The V8 flags `npm start`, the image, docker-compose.yml and the manifests give the bot: the
 * heap cap and the young generation's size (test/repo/deploy-files.test.ts keeps them equal).
 */
export const productNodeFlags = ['--max-old-space-size=128', '--max-semi-space-size=4'] as const;

export interface BotOptions {
  label: string;
  /**
   * Two processes instead of one: `child` with DECKHAND_ROLES=web (the URL the bench sends
   * to) and `worker` with DECKHAND_ROLES=worker, sharing Redis, Slack and the cluster.
   */
  split?: boolean;
  /** Sandbox cluster scenarios; default those of benchServices. */
  scenarios?: string[];
  /** Simulated seconds per real second in the sandbox cluster; default 50. */
  timeScale?: number;
  decisions?: { sweepIntervalMs?: number; verification?: { timeoutMs?: number; settleMs?: number; pollMs?: number } };
  /** The fake Anthropic server's URL: turns Claude on. */
  anthropicUrl?: string;
  /** Default `info`, the product's default. */
  logLevel?: string;
  /** Top-level deckhand.yaml sections added to (or replacing those of) the bench's config, e.g. `detection`. */
  config?: Record<string, unknown>;
}

export interface BotUnderTest {
  url: string;
  child: ChildServer;
  /** The worker process of a split bot. */
  worker?: ChildServer;
  slack: SlackSandbox;
  cluster: SandboxCluster;
  prefix: string;
  /** Starts one more Deckhand process on the same Redis prefix, Slack and cluster (another replica). */
  addReplica(): Promise<ChildServer>;
  /** Job counts of every queue, read from Redis (the bot's own state). */
  jobCounts(): Promise<Record<QueueName, Record<string, number>>>;
  /** Resolves when no queue has waiting, active or delayed jobs. */
  waitIdle(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts the Slack sandbox and the sandbox cluster here, and Deckhand (the product as `npm
 * start` composes it) in a child process wired to them and to the bench's Redis.
 */
export async function startBot(env: BenchEnv, options: BotOptions): Promise<BotUnderTest> {
  const prefix = env.newPrefix(options.label);
  const dir = join(env.workDir, prefix);
  await mkdir(dir, { recursive: true });
  const cleanups: (() => Promise<void>)[] = [];
  const cleanUp = async () => {
    for (const step of cleanups.splice(0).reverse()) await step().catch(() => undefined);
  };
  try {
    const cluster = await startSandboxCluster({ scenarios: options.scenarios ?? benchServices.map((s) => s.scenario), timeScale: options.timeScale ?? 50 });
    cleanups.push(() => cluster.close());
    const slack = await startSlackSandbox({ botToken: env.secrets.botToken, signingSecret: env.secrets.signing });
    cleanups.push(() => slack.close());
    const kubeconfig = join(dir, 'kubeconfig');
    await cluster.writeKubeconfig(kubeconfig);
    const configPath = join(dir, 'deckhand.yaml');
    await writeFile(configPath, benchConfigYaml(kubeconfig, options.config), { mode: 0o600 });
    const childEnv: Record<string, string> = {
      PORT: '0',
      HOST: '127.0.0.1',
      REDIS_URL: env.redisUrl,
      SLACK_BOT_TOKEN: env.secrets.botToken,
      SLACK_SIGNING_SECRET: env.secrets.signing,
      SLACK_API_URL: slack.apiUrl,
      PAGERDUTY_WEBHOOK_SECRETS: env.secrets.pagerduty,
      ALERTMANAGER_TOKEN: env.secrets.alertmanager,
      DECKHAND_CONFIG: configPath,
      ALERT_CHANNEL: benchChannel,
      LOG_LEVEL: options.logLevel ?? 'info',
      ...(options.anthropicUrl ? { ANTHROPIC_API_KEY: 'bench-fake-key', ANTHROPIC_BASE_URL: options.anthropicUrl } : {}),
    };
    let replicas = 0;
    const startProcess = async (role: string | undefined, log?: string) => {
      replicas++;
      const started = await startChildServer({
        entry: 'bot',
        nodeArgs: productNodeFlags,
        runtime: env.runtime,
        logPath: join(dir, log ?? `bot-${replicas}.log`),
        config: { env: { ...childEnv, ...(role ? { DECKHAND_ROLES: role } : {}) }, workDir: dir, redisPrefix: prefix, ...(options.decisions ? { decisions: options.decisions } : {}) },
      });
      cleanups.push(() => started.stop());
      return started;
    };
    const startReplica = () => startProcess(undefined);
    const child = await startProcess(options.split ? 'web' : undefined, 'bot.log');
    const worker = options.split ? await startProcess('worker', 'worker.log') : undefined;
    slack.setBotUrl(`${child.url}/slack/events`);

    const connection = new Redis(env.redisUrl, { maxRetriesPerRequest: null });
    const queues = Object.values(queueNames).map((name) => ({ name, queue: new Queue(name, { connection, prefix }) }));
    cleanups.push(async () => {
      await Promise.all(queues.map((q) => q.queue.close()));
      connection.disconnect();
    });
    const jobCounts = async () => {
      const entries = await Promise.all(
        queues.map(async ({ name, queue }) => [name, await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'completed', 'failed')] as const),
      );
      return Object.fromEntries(entries) as Record<QueueName, Record<string, number>>;
    };
    return {
      url: child.url,
      child,
      ...(worker ? { worker } : {}),
      slack,
      cluster,
      prefix,
      addReplica: startReplica,
      jobCounts,
      async waitIdle(timeoutMs = 120_000) {
        await waitFor(
          async () => {
            const counts = await jobCounts();
            return Object.values(counts).every((c) => (c.waiting ?? 0) + (c.active ?? 0) + (c.delayed ?? 0) + (c.prioritized ?? 0) === 0);
          },
          { timeoutMs, intervalMs: 25, message: `${options.label}: queues did not drain within ${timeoutMs} ms` },
        );
      },
      stop: cleanUp,
    };
  } catch (err) {
    await cleanUp();
    throw err;
  }
}

/** The bench's deckhand.yaml: one approval channel on the sandbox cluster, every service mapped. */
export function benchConfigYaml(kubeconfigPath: string, extra: Record<string, unknown> = {}): string {
  const config = {
    clusters: { sandbox: { kubeconfig: kubeconfigPath, context: 'sandbox' } },
    channels: { [benchChannel]: { name: '#incidents', mode: 'approval', cluster: 'sandbox', namespaces: ['shop'], approvers: { users: [benchApprover] } } },
    routes: [{ match: {}, channel: benchChannel }],
    pagerduty: { services: Object.fromEntries(benchServices.map((s) => [s.id, { cluster: 'sandbox', namespace: 'shop', deployment: s.deployment }])) },
    ...extra,
  };
  return stringify(config);
}
