import type { Server } from 'node:http';
import { Redis } from 'ioredis';
import type { Roles } from './core/config/env.js';
import type { Config } from './core/config/load.js';
import { checkReadiness, createHealthRoutes, type CheckResult, type ReadinessCheck, type ReadinessReport } from './http/health.js';
import { closeServer, createHttpServer, listen, type Route } from './http/server.js';
import type { AppContext, Feature } from './core/feature.js';
import { createIncidentEvents } from './core/incident-events.js';
import { createIncidentStore } from './core/incident-store.js';
import { createLocks } from './core/lock.js';
import { createQueues, createWorkers } from './jobs/registry.js';
import type { ClusterRegistry } from './kube/connection.js';
import { createMetrics } from './metrics/metrics.js';
import { createThrottledWarning, isConnectionError } from './shared/throttle.js';
import { createSlackApp, type SlackApp } from './slack/app.js';
import { createSlackClient, type RetryPolicy } from './slack/client.js';
import { systemClock, type Clock } from './shared/clock.js';
import type { Logger } from './shared/logger.js';
import { withTimeout } from './shared/timeout.js';

export interface CreateDeckhandOptions {
  config: Config;
  log: Logger;
  clock?: Clock;
  features: Feature[];
  /** Every cluster of deckhand.yaml, for /readyz and the features. */
  clusters: ClusterRegistry;
  /** Prefix of every Redis key and BullMQ queue; instances sharing it share state. Default `deckhand`. */
  redisPrefix?: string;
  /** Slack retry policy and sleep (tests shorten the waits). */
  slackRetry?: Partial<RetryPolicy>;
  slackSleep?: (ms: number) => Promise<void>;
  /** Bolt holds HTTP answers until listeners finish (tests). */
  processBeforeResponse?: boolean;
  /** Per-instance process metrics (CPU, memory) on /metrics; default true. */
  processMetrics?: boolean;
  /**
   * How long shutdown lets workers finish their active jobs (default 10 s). A job still
   * running then is cut off with the process; its lock lapses and another instance (or this
   * one, restarted) takes it over within seconds (src/jobs/registry.ts workerRecovery).
   */
  shutdownGraceMs?: number;
}

export interface Deckhand {
  readonly context: AppContext;
  readonly slackApp: SlackApp;
  /** Starts workers, Slack (Socket Mode) and HTTP; resolves with the bound port. */
  start(): Promise<{ port: number }>;
  /** Graceful: stop accepting HTTP, finish in-flight jobs, close workers, queues, Redis. */
  stop(): Promise<void>;
  readiness(): Promise<ReadinessReport>;
}

/** The composition root: builds every dependency from config and wires the features in. */
export function createDeckhand(options: CreateDeckhandOptions): Deckhand {
  const { config, log } = options;
  const env = config.env;
  const clock = options.clock ?? systemClock;
  const prefix = options.redisPrefix ?? 'deckhand';
  const redis = new Redis(env.REDIS_URL, { maxRetriesPerRequest: null, connectionName: 'deckhand' });
  // Producers fail fast while Redis is down, so a webhook answers 503 at once (the sender retries).
  const producer = new Redis(env.REDIS_URL, { maxRetriesPerRequest: 1, enableOfflineQueue: false, connectionName: 'deckhand-producer' });
  // Redis down: every client, queue and worker reports each reconnect attempt; one line per 30 s says it.
  const redisTrouble = createThrottledWarning({ log, message: 'redis unreachable', recoveredMessage: 'redis reachable again', clock });
  for (const [name, client] of [['main', redis], ['producer', producer]] as const) {
    client.on('error', (err: Error) => {
      if (isConnectionError(err)) redisTrouble.warn({ connection: name, err: err.message });
      else log.warn({ connection: name, err: err.message }, 'redis connection error');
    });
    client.on('ready', () => redisTrouble.recovered({ connection: name }));
  }
  const onRedisError = (data: Record<string, unknown>) => redisTrouble.warn(data);
  const queues = createQueues({ connection: producer, prefix, log, onRedisError });
  const metrics = createMetrics({ collectJobCounts: () => queues.jobCounts(), processMetrics: options.processMetrics ?? true });
  const workers = createWorkers({ connection: redis, prefix, log, metrics, onRedisError });
  const slack = createSlackClient({
    token: env.SLACK_BOT_TOKEN,
    apiUrl: env.SLACK_API_URL,
    redis,
    prefix,
    log: log.child({ component: 'slack' }),
    metrics,
    ...(options.slackRetry ? { retry: options.slackRetry } : {}),
    ...(options.slackSleep ? { sleep: options.slackSleep } : {}),
  });
  const extraChecks = new Map<string, ReadinessCheck>();
  const { clusters, features } = options;
  const context: AppContext = {
    config,
    log,
    clock,
    redis,
    producer,
    prefix,
    queues,
    workers,
    slack,
    incidents: createIncidentStore({ redis, prefix, clock }),
    locks: createLocks({ redis, prefix }),
    clusters,
    metrics,
    incidentEvents: createIncidentEvents(),
    addReadinessCheck: (name, check) => {
      extraChecks.set(name, check);
    },
  };
  const slackApp = createSlackApp({ env: config.env, log, slack, ...(options.processBeforeResponse === undefined ? {} : { processBeforeResponse: options.processBeforeResponse }) });
  // Listeners are registered in every role: they also wire in-process hooks the workers use
  // (incident events); a worker-only process just never serves or connects Bolt.
  for (const feature of features) feature.registerSlack?.(slackApp.app, context);

  let slackIdentity: Promise<CheckResult> | undefined;
  const readiness = () =>
    checkReadiness({
      redis: async () => ((await producer.ping()) === 'PONG' ? { ok: true } : { ok: false, message: 'unexpected PING answer' }),
      // A successful auth.test is remembered for a minute: probes must not hammer Slack.
      slack: async () => {
        slackIdentity ??= slack.authTest().then((r) => (r.ok ? { ok: true } : { ok: false, message: r.message }));
        const result = await slackIdentity;
        if (!result.ok) slackIdentity = undefined;
        else setTimeout(() => (slackIdentity = undefined), 60_000).unref();
        return result;
      },
      clusters,
      extra: extraChecks,
    });

  // DECKHAND_ROLES: the one place that decides what this process runs. A worker-only process
  // serves probes and metrics alone; a web-only process starts no feature (no worker, sweep or watch).
  const roles = env.DECKHAND_ROLES;
  const routes: Route[] = [...createHealthRoutes({ readiness, metrics })];
  if (roles.web) {
    routes.push(...features.flatMap((feature) => feature.routes?.(context) ?? []));
    const boltListener = slackApp.requestListener;
    if (boltListener) routes.push({ method: 'POST', path: '/slack/events', handler: (req, res) => boltListener(req, res) });
  }
  const server: Server = createHttpServer({ routes, log });

  let started = false;
  let stopping: Promise<void> | undefined;
  return {
    context,
    slackApp,
    readiness,
    async start() {
      if (started) throw new Error('already started');
      started = true;
      // Not fatal: without Redis the process still serves /healthz and /readyz, and reconnects.
      await within(Promise.all([redis, producer].map(waitUntilReady)), 5000, () => log.warn('redis not reachable at start-up, continuing'));
      if (roles.worker) {
        for (const feature of features) {
          await feature.start?.(context);
          log.debug({ feature: feature.name }, 'feature started');
        }
      }
      // HTTP first: webhooks and probes are served even while Socket Mode still waits for
      // Slack (its client retries by itself), and /readyz says Slack is not there yet.
      const port = await listen(server, env.PORT, env.HOST);
      log.info({ port, host: env.HOST, roles: roleList(roles), slackMode: slackApp.mode, features: features.map((f) => f.name) }, 'deckhand listening');
      if (roles.web) logDisabledWebhooks(config, log);
      // Once, at start: a wrong token or an unreachable Slack API is said now, not at the first alert.
      void slack.authTest().then(
        (result) => {
          if (!result.ok) log.warn({ slackApiUrl: env.SLACK_API_URL, err: result.message }, 'slack unreachable at start-up: auth.test failed');
        },
        (err: unknown) => log.warn({ slackApiUrl: env.SLACK_API_URL, err: err instanceof Error ? err.message : String(err) }, 'slack unreachable at start-up: auth.test failed'),
      );
      if (roles.web) await slackApp.start();
      return { port };
    },
    stop() {
      stopping ??= (async () => {
        log.info('deckhand stopping');
        await closeServer(server);
        for (const feature of [...features].reverse()) {
          try {
            await feature.stop?.();
          } catch (err) {
            log.error({ feature: feature.name, err: err instanceof Error ? err.message : String(err) }, 'feature stop failed');
          }
        }
        // Each step is bounded: with Redis gone, closing would otherwise wait for it forever.
        await within(workers.close(), options.shutdownGraceMs ?? 10_000, () => log.warn('workers did not close in time'));
        await within(queues.close(), shutdownStepMs, () => log.warn('queues did not close in time'));
        if (roles.web) await within(slackApp.stop(), shutdownStepMs, () => log.warn('slack did not stop in time'));
        await within(Promise.allSettled([redis.quit(), producer.quit()]), 2000, () => undefined);
        redis.disconnect();
        producer.disconnect();
        log.info('deckhand stopped');
      })();
      return stopping;
    },
  };
}

/** Each webhook without its secret refuses every delivery: said once at start, not per request. */
function logDisabledWebhooks(config: CreateDeckhandOptions['config'], log: CreateDeckhandOptions['log']): void {
  if (config.env.PAGERDUTY_WEBHOOK_SECRETS.length === 0) {
    log.warn({ webhook: '/webhooks/pagerduty', setting: 'PAGERDUTY_WEBHOOK_SECRETS' }, 'webhook disabled: no secret configured, every delivery is refused (401)');
  }
  if (!config.env.ALERTMANAGER_TOKEN) {
    log.warn({ webhook: '/webhooks/alertmanager', setting: 'ALERTMANAGER_TOKEN' }, 'webhook disabled: no token configured, every delivery is refused (401)');
  }
}

function roleList(roles: Roles): string {
  return (Object.keys(roles) as (keyof Roles)[]).filter((r) => roles[r]).join(',');
}

/** Longest wait for closing queues or Slack on shutdown (Redis or Slack gone). */
const shutdownStepMs = 5000;

/** Waits for `promise` (its failure included) at most `ms`; `onTimeout` says it did not end. */
async function within(promise: Promise<unknown>, ms: number, onTimeout: () => void): Promise<void> {
  const outcome = await withTimeout(promise.then(() => 'done' as const, () => 'done' as const), ms, () => 'timeout' as const);
  if (outcome === 'timeout') onTimeout();
}

function waitUntilReady(client: Redis): Promise<void> {
  if (client.status === 'ready') return Promise.resolve();
  return new Promise((resolve) => client.once('ready', () => resolve()));
}
