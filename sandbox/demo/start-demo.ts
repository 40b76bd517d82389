import { randomBytes } from 'node:crypto';
import { rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Deckhand } from '../../src/app.js';
import { createProductDeckhand } from '../../src/compose.js';
import { loadConfig } from '../../src/core/config/load.js';
import { startSandboxCluster, type SandboxCluster } from '../cluster/index.js';
import { startSlackSandbox, type SlackSandbox } from '../slack/index.js';
import type { DecisionsFeatureOptions } from '../../src/decisions/feature.js';
import { createSilentLogger, type Logger } from '../shared/product.js';
import { sendDemoAlerts, type DemoAlertName, type SentAlert } from './alerts.js';
import { startRedisServer } from './redis.js';
import { createDemoDir, removeStaleDemoDirs } from './stale-dirs.js';
import { buildDemoConfigYaml, demoChannels, demoUsergroups, demoUsers } from './workspace.js';

export interface DemoOptions {
  /** Port of the Slack sandbox page (the URL to open); default 0: a free port. */
  uiPort?: number;
  /** Port of the bot's HTTP server; default 0: a free port. */
  botPort?: number;
  /** Use this Redis (under a fresh key prefix) instead of starting a private redis-server. */
  redisUrl?: string;
  /** Simulated seconds per real second in the sandbox cluster; default 4 (a rollback heals in seconds). */
  timeScale?: number;
  /** Where ANTHROPIC_API_KEY / ANTHROPIC_BASE_URL / ANTHROPIC_MODEL come from; default process.env. */
  env?: NodeJS.ProcessEnv;
  /** The bot's log level; default `warn`. */
  logLevel?: string;
  /** Logger for the bot, the sandboxes and the demo itself; default silent. */
  log?: Logger;
  /** Verifier windows (tests shorten them); default the product's. */
  verification?: DecisionsFeatureOptions['verification'];
  /** Working directory for the kubeconfig, deckhand.yaml and Redis; default a new temp dir, removed by stop(). */
  workDir?: string;
}

export interface Demo {
  /** The local Slack page to open. */
  url: string;
  /** The bot's base URL (webhooks, /slack/events, /readyz). */
  botUrl: string;
  kubeconfigPath: string;
  configPath: string;
  redis: { url: string; pid: number | undefined };
  /** `claude` when ANTHROPIC_API_KEY is set, else the built-in analyzers alone. */
  analysis: 'claude' | 'built-in';
  slack: SlackSandbox;
  cluster: SandboxCluster;
  deckhand: Deckhand;
  /** Sends the sample alerts (all by default), signed like PagerDuty and Alertmanager would. */
  fireAlerts(only?: readonly DemoAlertName[]): Promise<SentAlert[]>;
  /** Stops the bot, the sandboxes and the private redis-server, and removes the temp dir. Safe to call twice. */
  stop(): Promise<void>;
}

/** A secret for this run only (never printed, never logged). */
function generateSecret(prefix = ''): string {
  return `${prefix}${randomBytes(24).toString('hex')}`;
}

/**
 * Boots the whole product offline: a private redis-server (unless `redisUrl`), the sandbox
 * cluster with every scenario, the local Slack sandbox, and Deckhand itself — built by the
 * same composition as `npm start` — in HTTP mode with request signing both ways. What is
 * started is stopped again when a later step fails.
 */
export async function startDemo(options: DemoOptions = {}): Promise<Demo> {
  const log = options.log ?? createSilentLogger();
  const sourceEnv = options.env ?? process.env;
  const cleanups: (() => Promise<void>)[] = [];
  const cleanUp = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) {
      try {
        await cleanup();
      } catch (err) {
        log.warn({ err: err instanceof Error ? err.message : String(err) }, 'demo cleanup step failed');
      }
    }
  };

  try {
    // A demo killed with kill -9 ran no cleanup: its dir (with generated secrets) goes now.
    if (!options.workDir) {
      for (const dir of await removeStaleDemoDirs(tmpdir())) log.warn({ dir }, 'removed the temp dir of a demo that was killed');
    }
    const workDir = options.workDir ?? (await createDemoDir(tmpdir()));
    if (!options.workDir) cleanups.push(() => rm(workDir, { recursive: true, force: true }));

    let redisUrl = options.redisUrl;
    let redisPid: number | undefined;
    if (!redisUrl) {
      const redis = await startRedisServer({ dir: workDir });
      cleanups.push(() => redis.stop());
      redisUrl = redis.url;
      redisPid = redis.pid;
    }

    // Fast for the first two minutes (the broken workloads reach their back-offs), then real time.
    const cluster = await startSandboxCluster({ timeScale: options.timeScale ?? 4, warmupMs: 120_000, log: log.child({ component: 'sandbox-cluster' }) });
    cleanups.push(() => cluster.close());
    const kubeconfigPath = join(workDir, 'kubeconfig');
    await cluster.writeKubeconfig(kubeconfigPath);

    const secrets = { signing: generateSecret(), bot: generateSecret('xoxb-demo-'), pagerduty: generateSecret(), alertmanager: generateSecret() };
    const slack = await startSlackSandbox({
      ...(options.uiPort === undefined ? {} : { port: options.uiPort }),
      botToken: secrets.bot,
      signingSecret: secrets.signing,
      users: demoUsers,
      channels: demoChannels,
      usergroups: demoUsergroups,
      title: 'Deckhand demo',
      log: log.child({ component: 'slack-sandbox' }),
    });
    cleanups.push(() => slack.close());

    const configPath = join(workDir, 'deckhand.yaml');
    await writeFile(configPath, buildDemoConfigYaml(kubeconfigPath), { mode: 0o600 });
    const env: NodeJS.ProcessEnv = {
      PORT: String(options.botPort ?? 0),
      HOST: '127.0.0.1',
      REDIS_URL: redisUrl,
      SLACK_BOT_TOKEN: secrets.bot,
      SLACK_SIGNING_SECRET: secrets.signing,
      SLACK_API_URL: slack.apiUrl,
      PAGERDUTY_WEBHOOK_SECRETS: secrets.pagerduty,
      ALERTMANAGER_TOKEN: secrets.alertmanager,
      KUBECONFIG: kubeconfigPath,
      DECKHAND_CONFIG: configPath,
      ALERT_CHANNEL: 'CINCIDENTS',
      LOG_LEVEL: options.logLevel ?? 'warn',
    };
    for (const key of ['ANTHROPIC_API_KEY', 'ANTHROPIC_BASE_URL', 'ANTHROPIC_MODEL'] as const) {
      const value = sourceEnv[key]?.trim();
      if (value) env[key] = value;
    }
    const config = loadConfig(env, { cwd: workDir });
    // A Redis the person already uses keeps its data: this run's keys go under their own prefix.
    const redisPrefix = options.redisUrl ? `deckhand-demo-${randomBytes(4).toString('hex')}` : 'deckhand';
    const deckhand = createProductDeckhand({
      config,
      log,
      redisPrefix,
      clusterEnv: env,
      ...(options.verification ? { decisions: { verification: options.verification } } : {}),
    });
    cleanups.push(() => deckhand.stop());
    const { port } = await deckhand.start();
    const botUrl = `http://127.0.0.1:${port}`;
    slack.setBotUrl(`${botUrl}/slack/events`);

    let stopping: Promise<void> | undefined;
    return {
      url: slack.url,
      botUrl,
      kubeconfigPath,
      configPath,
      redis: { url: redisUrl, pid: redisPid },
      analysis: env.ANTHROPIC_API_KEY ? 'claude' : 'built-in',
      slack,
      cluster,
      deckhand,
      fireAlerts: (only) =>
        sendDemoAlerts({ botUrl, clusterUrl: cluster.url, secrets: { pagerduty: secrets.pagerduty, alertmanager: secrets.alertmanager }, ...(only ? { only } : {}) }),
      stop: () => (stopping ??= cleanUp()),
    };
  } catch (err) {
    await cleanUp();
    throw err;
  }
}
