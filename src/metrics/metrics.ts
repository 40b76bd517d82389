import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import { createDecisionLoopMetrics, type DecisionLoopMetrics } from './decision-loop.js';

export type { DecisionLoopMetrics, GaugeSources } from './decision-loop.js';

/** Why a webhook was refused; a fixed set so the label stays low-cardinality. */
export type RejectReason = 'unauthorized' | 'not_configured' | 'bad_request' | 'payload_too_large' | 'unavailable' | 'internal';

/**
 * The Prometheus metrics of one app instance. Each instance owns its Registry (never the
 * global default one), so two instances in one process — as in the tests — never clash.
 */
export interface Metrics {
  readonly registry: Registry;
  readonly webhooksReceived: Counter<'source'>;
  readonly webhooksRejected: Counter<'source' | 'reason'>;
  /** Jobs that finished, by queue and final state (completed / failed / retried). */
  readonly jobs: Counter<'queue' | 'state'>;
  /** Jobs currently in each state, read from Redis at scrape time. */
  readonly jobsInState: Gauge<'queue' | 'state'>;
  readonly slackCalls: Counter<'method'>;
  readonly slackErrors: Counter<'method' | 'reason'>;
  /** Alerts that no route, ALERT_CHANNEL or covering channel sends anywhere. */
  readonly intakeUnroutable: Counter<'source'>;
  /** Proposals, decisions, executions, verdicts, breaker, pause, detections, incidents. */
  readonly loop: DecisionLoopMetrics;
  render(): Promise<string>;
  readonly contentType: string;
}

export interface CreateMetricsOptions {
  /** Reads job counts per queue at scrape time; failures leave the gauge unset. */
  collectJobCounts?: () => Promise<Record<string, Record<string, number>>>;
  /** Adds process metrics (CPU, memory, event loop); off in tests for speed. */
  processMetrics?: boolean;
}

export function createMetrics(options: CreateMetricsOptions = {}): Metrics {
  const registry = new Registry();
  const registers = [registry];
  if (options.processMetrics) collectDefaultMetrics({ register: registry, prefix: 'deckhand_' });
  const collectJobCounts = options.collectJobCounts;
  const jobsInState = new Gauge({
    name: 'deckhand_jobs',
    help: 'Jobs per queue and state, read from Redis when scraped',
    labelNames: ['queue', 'state'] as const,
    registers,
    async collect() {
      if (!collectJobCounts) return;
      try {
        const counts = await collectJobCounts();
        for (const [queue, states] of Object.entries(counts)) {
          for (const [state, value] of Object.entries(states)) this.set({ queue, state }, value);
        }
      } catch {
        // Redis down: the gauge keeps its last values; /readyz says why.
      }
    },
  });
  return {
    registry,
    webhooksReceived: new Counter({ name: 'deckhand_webhooks_received_total', help: 'Webhook requests received', labelNames: ['source'] as const, registers }),
    webhooksRejected: new Counter({
      name: 'deckhand_webhooks_rejected_total',
      help: 'Webhook requests refused, by reason',
      labelNames: ['source', 'reason'] as const,
      registers,
    }),
    jobs: new Counter({ name: 'deckhand_jobs_total', help: 'Jobs finished, by queue and state', labelNames: ['queue', 'state'] as const, registers }),
    jobsInState,
    slackCalls: new Counter({ name: 'deckhand_slack_api_calls_total', help: 'Slack Web API calls (each attempt)', labelNames: ['method'] as const, registers }),
    slackErrors: new Counter({
      name: 'deckhand_slack_api_errors_total',
      help: 'Slack Web API call attempts that failed, by reason',
      labelNames: ['method', 'reason'] as const,
      registers,
    }),
    intakeUnroutable: new Counter({
      name: 'deckhand_intake_unroutable_total',
      help: 'Alerts that no route, ALERT_CHANNEL or channel covering their namespace sent anywhere (their jobs fail)',
      labelNames: ['source'] as const,
      registers,
    }),
    loop: createDecisionLoopMetrics(registry),
    render: () => registry.metrics(),
    contentType: registry.contentType,
  };
}
