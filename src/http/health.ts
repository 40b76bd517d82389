import type { Metrics } from '../metrics/metrics.js';
import { sendJson, sendText } from './respond.js';
import type { Route } from './server.js';
import { withTimeout } from '../shared/timeout.js';

export interface CheckResult {
  ok: boolean;
  message?: string;
  /** Structured state a check reports besides ok (e.g. each cluster's watch). */
  details?: Record<string, unknown>;
}

export type ReadinessCheck = () => Promise<CheckResult>;

/** What /readyz needs; the cluster registry (src/kube) satisfies `clusters`. */
export interface ReadinessSources {
  redis: ReadinessCheck;
  slack: ReadinessCheck;
  clusters: { names(): string[]; check(name: string): Promise<CheckResult> };
  /** Checks registered by features, reported under `checks.<name>`. */
  extra: ReadonlyMap<string, ReadinessCheck>;
  timeoutMs?: number;
}

export interface ReadinessReport {
  ok: boolean;
  checks: { redis: CheckResult; slack: CheckResult; clusters: Record<string, CheckResult>; [name: string]: CheckResult | Record<string, CheckResult> };
}

/** Runs every check at once, each bounded by a timeout; a throw or a timeout is a failure. */
export async function checkReadiness(sources: ReadinessSources): Promise<ReadinessReport> {
  const timeoutMs = sources.timeoutMs ?? 3000;
  const run = (check: ReadinessCheck) => bounded(check, timeoutMs);
  const names = sources.clusters.names();
  const extraEntries = [...sources.extra.entries()];
  const [redis, slack, clusterResults, extraResults] = await Promise.all([
    run(sources.redis),
    run(sources.slack),
    Promise.all(names.map((name) => run(() => sources.clusters.check(name)))),
    Promise.all(extraEntries.map(([, check]) => run(check))),
  ]);
  const clusters = Object.fromEntries(names.map((name, i) => [name, clusterResults[i] ?? { ok: false }]));
  const checks: ReadinessReport['checks'] = { redis, slack, clusters };
  extraEntries.forEach(([name], i) => {
    checks[name] = extraResults[i] ?? { ok: false };
  });
  const ok = redis.ok && slack.ok && Object.values(clusters).every((c) => c.ok) && extraResults.every((c) => c.ok);
  return { ok, checks };
}

async function bounded(check: ReadinessCheck, timeoutMs: number): Promise<CheckResult> {
  try {
    return await withTimeout(check(), timeoutMs, (): CheckResult => ({ ok: false, message: `no answer within ${timeoutMs} ms` }));
  } catch (err) {
    return { ok: false, message: err instanceof Error ? err.message : String(err) };
  }
}

export function createHealthRoutes(options: { readiness: () => Promise<ReadinessReport>; metrics: Metrics }): Route[] {
  return [
    { method: 'GET', path: '/healthz', handler: (_req, res) => sendJson(res, 200, { ok: true }) },
    {
      method: 'GET',
      path: '/readyz',
      handler: async (_req, res) => {
        const report = await options.readiness();
        sendJson(res, report.ok ? 200 : 503, report);
      },
    },
    {
      method: 'GET',
      path: '/metrics',
      handler: async (_req, res) => sendText(res, 200, await options.metrics.render(), options.metrics.contentType),
    },
  ];
}
