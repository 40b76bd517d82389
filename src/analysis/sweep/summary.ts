import type { SweepReport, UnitVerdict } from './types.js';
import { refLabel } from './verdict.js';
import { formatAge } from '../../kube/format/time.js';

/**
 * How long something has been so, from the wall clock: "45s", "20m", "3h", "2d". Undefined
 * when the time is unknown or lies in the future (a clock ahead of ours): no age is better
 * than a wrong or negative one.
 */
export function ageSince(since: number | undefined, now: number): string | undefined {
  if (since === undefined || !Number.isFinite(since)) return undefined;
  const age = formatAge(new Date(since), new Date(now));
  return age === '?' ? undefined : age;
}

/** One verdict as a plain line (for prompts and logs): "deployment/checkout in shop: failing (0/3 ready, for 20m): cause". */
export function describeVerdict(verdict: UnitVerdict, now: number): string {
  const age = ageSince(verdict.since, now);
  const facts = [verdict.state, age ? `for ${age}` : undefined].filter((x): x is string => x !== undefined);
  const head = `${refLabel(verdict.ref)} in ${verdict.ref.namespace}: ${verdict.health}${facts.length > 0 ? ` (${facts.join(', ')})` : ''}`;
  return verdict.cause ? `${head}: ${verdict.cause}` : head;
}

/**
 * A sweep as plain lines for a model's context: the unhealthy units (bounded), then how many
 * are healthy. Says what was left out rather than dropping it silently.
 */
export function describeSweep(report: SweepReport, now: number, maxLines = 10): string[] {
  const where = report.namespace === undefined ? `cluster ${report.cluster}` : `namespace ${report.namespace}`;
  const unhealthy = report.verdicts.filter((v) => v.health !== 'healthy');
  const healthy = report.verdicts.length - unhealthy.length;
  const lines = [`sweep of ${where}: ${unhealthy.length} of ${report.verdicts.length} unhealthy, ${healthy} healthy`];
  lines.push(...unhealthy.slice(0, maxLines).map((v) => describeVerdict(v, now)));
  if (unhealthy.length > maxLines) lines.push(`and ${unhealthy.length - maxLines} more unhealthy: ${unhealthy.slice(maxLines).map((v) => `${refLabel(v.ref)} in ${v.ref.namespace}`).join(', ')}`);
  return lines;
}
