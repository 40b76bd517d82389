import type { Server } from 'node:http';
import type { App } from '@slack/bolt';
import { Redis } from 'ioredis';
import type { Config } from './config/load.js';
import { checkReadiness, createHealthRoutes, type CheckResult, type ReadinessCheck, type ReadinessReport } from './http/health.js';
import { closeServer, createHttpServer, listen, type Route } from './http/server.js';
import type { ClusterConnection } from './kube/connection.js';
import { createIntakeFeature } from './incidents/intake-feature.js';
import { createLocks, type Locks } from './incidents/lock.js';
import { createIncidentStore, type IncidentStore } from './incidents/store.js';
import { createAlertEnqueuer } from './ingest/enqueue.js';
import { createIngestRoutes } from './ingest/routes.js';
import { queueNames } from './jobs/queues.js';
import { createQueues, createWorkers, type Queues, type Workers } from './jobs/registry.js';
import { createMetrics, type Metrics } from './metrics/metrics.js';
import { createSlackApp, type SlackApp } from './slack/app.js';
import { createSlackClient, type RetryPolicy, type SlackClient } from './slack/client.js';
import { systemClock, type Clock } from './shared/clock.js';
import type { Logger } from './shared/logger.js';

/**
 * Cluster access as the app core needs it; src/kube's `createClusterRegistry` satisfies it
 * (with `get`). Test doubles may leave `get` out; features that need it check for it.
 */
export interface ClusterRegistryLike {
  names(): string[];
  check(name: string): Promise<CheckResult>;
  get?(name: string): ClusterConnection;
}

/**
 * Everything a feature may use. Built once per app instance; nothing here is global.
 * Redis keys of a feature go under `${prefix}:<feature>:…`; queues and workers already
 * use `prefix` as their BullMQ prefix.
 */
export interface AppContext {
  readonly config: Config;
  readonly log: Logger;
  readonly clock: Clock;
  /** Shared ioredis client (maxRetriesPerRequest: null — waits out outages). */
  readonly redis: Redis;
  readonly prefix: string;
  /** One BullMQ Queue per stage (`queues.get(queueNames.analysis).add(…)`). */
  readonly queues: Queues;
  /** `workers.start(queueName, processor, { concurrency })`: metrics, logs, closed on stop. */
  readonly workers: Workers;
  /** SlackMessenger (post / update / postEphemeral) plus `call(method, args)` and `authTest()`. */
  readonly slack: SlackClient;
  readonly incidents: IncidentStore;
  /** `withLock(name, fn)`: cross-process mutex; intake uses `incident:<key>`. */
  readonly locks: Locks;
  readonly clusters: ClusterRegistryLike;
  /** The instance's Prometheus registry (`metrics.registry`) and the core counters. */
  readonly metrics: Metrics;
  /** Incident lifecycle hooks: features subscribe (e.g. decisions expire proposals on resolve). */
  readonly incidentEvents: IncidentEvents;
  /** Adds a check to /readyz (reported as `checks.<name>`; a failure makes it 503). */
  addReadinessCheck(name: string, check: ReadinessCheck): void;
}

export interface IncidentEvents {
  onResolved(listener: (incidentId: string) => Promise<void>): void;
  /** Runs every listener; a failure fails the intake job, which is retried. */
  emitResolved(incidentId: string): Promise<void>;
}

function createIncidentEvents(): IncidentEvents {
  const resolved: ((incidentId: string) => Promise<void>)[] = [];
  return {
    onResolved: (listener) => {
      resolved.push(listener);
    },
    emitResolved: async (incidentId) => {
      for (const listener of resolved) await listener(incidentId);
    },
  };
}

/**
 * The extension point for every capability after intake (analysis worker, approval buttons,
 * execution / verification workers, /k8s commands, conversation). Pass features to
 * createDeckhand; they never edit the core. Order of calls:
 *   1. `registerSlack(app, ctx)` for each feature, in list order, before anything starts —
 *      add Bolt listeners here (app.action / app.command / app.event).
 *   2. `start(ctx)` for each feature, in list order (after the built-in intake feature),
 *      before HTTP listens — start workers with `ctx.workers.start(…)` here.
 *   3. on shutdown: HTTP stops accepting, then `stop()` in reverse order, then every worker
 *      finishes its active jobs and closes, then queues, Bolt and Redis close.
 */
export interface Feature {
  name: string;
  registerSlack?(app: App, ctx: AppContext): void;
  start?(ctx: AppContext): Promise<void> | void;
  stop?(): Promise<void>;
}

export interface CreateDeckhandOptions {
  config: Config;
  log: Logger;
  clock?: Clock;
  features?: Feature[];
  /** Cluster access for /readyz and features; default: every configured cluster reports "not wired". */
  clusters?: ClusterRegistryLike;
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
  for (const [name, client] of [['main', redis], ['producer', producer]] as const) {
    client.on('error', (err: Error) => log.warn({ connection: name, err: err.message }, 'redis connection error'));
  }
  const queues = createQueues({ connection: producer, prefix, log });
  const metrics = createMetrics({ collectJobCounts: () => queues.jobCounts(), processMetrics: options.processMetrics ?? true });
  const workers = createWorkers({ connection: redis, prefix, log, metrics });
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
  const clusters = options.clusters ?? unwiredClusters(Object.keys(config.file.clusters));
  const context: AppContext = {
    config,
    log,
    clock,
    redis,
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
  const features = [createIntakeFeature(), ...(options.features ?? [])];
  const slackApp = createSlackApp({ config, log, slack, ...(options.processBeforeResponse === undefined ? {} : { processBeforeResponse: options.processBeforeResponse }) });
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

  const routes: Route[] = [
    ...createHealthRoutes({ readiness, metrics }),
    ...createIngestRoutes({ config, enqueue: createAlertEnqueuer({ queue: queues.get(queueNames.intake) }), metrics, log: log.child({ component: 'ingest' }), clock }),
  ];
  const boltListener = slackApp.requestListener;
  if (boltListener) routes.push({ method: 'POST', path: '/slack/events', handler: (req, res) => boltListener(req, res) });
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
      for (const feature of features) {
        await feature.start?.(context);
        log.debug({ feature: feature.name }, 'feature started');
      }
      // HTTP first: webhooks and probes are served even while Socket Mode still waits for
      // Slack (its client retries by itself), and /readyz says Slack is not there yet.
      const port = await listen(server, env.PORT, env.HOST);
      log.info({ port, host: env.HOST, slackMode: slackApp.mode, features: features.map((f) => f.name) }, 'deckhand listening');
      await slackApp.start();
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
        await within(slackApp.stop(), shutdownStepMs, () => log.warn('slack did not stop in time'));
        await within(Promise.allSettled([redis.quit(), producer.quit()]), 2000, () => undefined);
        redis.disconnect();
        producer.disconnect();
        log.info('deckhand stopped');
      })();
      return stopping;
    },
  };
}

/** Longest wait for closing queues or Slack on shutdown (Redis or Slack gone). */
const shutdownStepMs = 5000;

async function within(promise: Promise<unknown>, ms: number, onTimeout: () => void): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), ms);
  });
  const outcome = await Promise.race([promise.then(() => 'done' as const, () => 'done' as const), timedOut]);
  clearTimeout(timer);
  if (outcome === 'timeout') onTimeout();
}

function waitUntilReady(client: Redis): Promise<void> {
  if (client.status === 'ready') return Promise.resolve();
  return new Promise((resolve) => client.once('ready', () => resolve()));
}

function unwiredClusters(names: string[]): ClusterRegistryLike {
  return { names: () => names, check: () => Promise.resolve({ ok: false, message: 'cluster access is not wired into this process' }) };
}
