import type { App } from '@slack/bolt';
import type { Redis } from 'ioredis';
import type { ReadinessCheck } from '../http/health.js';
import type { Route } from '../http/server.js';
import type { Queues, Workers } from '../jobs/registry.js';
import type { ClusterRegistry } from '../kube/connection.js';
import type { Metrics } from '../metrics/metrics.js';
import type { Clock } from '../shared/clock.js';
import type { Logger } from '../shared/logger.js';
import type { SlackClient } from '../slack/client.js';
import type { Config } from './config/load.js';
import type { IncidentEvents } from './incident-events.js';
import type { IncidentStore } from './incident-store.js';
import type { Locks } from './lock.js';

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
  /**
   * The connection queues add jobs on: it fails fast while Redis is down (no offline queue,
   * one retry), for work done before an HTTP answer (a webhook's 503 comes at once).
   */
  readonly producer: Redis;
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
  /** Every cluster of deckhand.yaml (src/kube's registry; tests point it at the sandbox). */
  readonly clusters: ClusterRegistry;
  /** The instance's Prometheus registry (`metrics.registry`) and the core counters. */
  readonly metrics: Metrics;
  /** Incident lifecycle hooks: features subscribe (e.g. decisions expire proposals on resolve). */
  readonly incidentEvents: IncidentEvents;
  /** Adds a check to /readyz (reported as `checks.<name>`; a failure makes it 503). */
  addReadinessCheck(name: string, check: ReadinessCheck): void;
}

/**
 * The extension point for every capability (intake, analysis, decisions, conversation,
 * /k8s). Pass features to createDeckhand; they never edit the app. Order of calls:
 *   1. `routes(ctx)` and `registerSlack(app, ctx)` for each feature, in list order, before
 *      anything starts — HTTP routes (webhooks) and Bolt listeners (action / command / event).
 *   2. `start(ctx)` for each feature, in list order, before HTTP listens — start workers
 *      with `ctx.workers.start(…)` and any background work (sweeps, the cluster watch) here.
 *      Only a process with the `worker` role (DECKHAND_ROLES) calls it; only one with the
 *      `web` role serves `routes` and Bolt.
 *   3. on shutdown: HTTP stops accepting, then `stop()` in reverse order, then every worker
 *      finishes its active jobs and closes, then queues, Bolt and Redis close.
 */
export interface Feature {
  name: string;
  routes?(ctx: AppContext): Route[];
  registerSlack?(app: App, ctx: AppContext): void;
  start?(ctx: AppContext): Promise<void> | void;
  stop?(): Promise<void>;
}
