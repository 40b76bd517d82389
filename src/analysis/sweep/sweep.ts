import type { ClusterReader } from '../../kube/reader.js';
import { eventLastSeen } from '../../kube/format/time.js';
import { builtinAnalyzers } from '../analyzers/index.js';
import { gatherEvidence, type GatherLimits, type GatherTarget } from '../gather.js';
import { runAnalyzers } from '../run-analyzers.js';
import { emptyEvidence, type Analyzer, type Evidence } from '../types.js';
import { podProblems } from './pod-problems.js';
import { settleEvidence, settleUnit } from './settled.js';
import { shareReads } from './shared-reads.js';
import { triageUnit } from './triage.js';
import type { SweepReport, SweepUnit, UnitVerdict } from './types.js';
import { unitsOf } from './units.js';
import { rankVerdicts, verdictOf } from './verdict.js';

export interface SweepOptions {
  analyzers?: readonly Analyzer[];
  /** Unhealthy units whose events and logs are read, most severe first; the rest keep their status's reason. */
  maxExamined?: number;
  /** Units examined at the same time. */
  concurrency?: number;
  /** Items per kind listed. */
  inventoryLimit?: number;
  gatherLimits?: GatherLimits;
}

/** Per examined unit: two pods, a short log tail, a few events (a sweep reads many units). */
export const sweepGatherLimits: GatherLimits = { maxPods: 2, logTailLines: 30, logBytes: 4096, eventsPerObject: 5, maxNameLookups: 0 };
export const defaultSweepOptions = { maxExamined: 8, concurrency: 3, inventoryLimit: 500 } as const;

/**
 * Sweeps a namespace (or, without one, the cluster): lists what runs there (one LIST per kind),
 * judges every unit from its status and runs the analyzers over what the lists already hold
 * (no further reads), then examines the unhealthy ones — most severe first, at most
 * `maxExamined`, `concurrency` at a time — by gathering their events and logs and running
 * the analyzers again; those units share their reads (a node, a namespace's lists are read
 * once per sweep). Returns every unit's verdict, ranked. Any `Analyzer` in
 * `options.analyzers` (default: all built-in ones) takes part in both passes.
 */
export async function sweep(reader: ClusterReader, scope: { namespace?: string | undefined }, now: number, options: SweepOptions = {}): Promise<SweepReport> {
  const analyzers = options.analyzers ?? builtinAnalyzers;
  const maxExamined = options.maxExamined ?? defaultSweepOptions.maxExamined;
  const inventory = await reader.listInventory(scope.namespace, { limit: options.inventoryLimit ?? defaultSweepOptions.inventoryLimit });
  const notes = [...inventory.notes];
  // Pods still terminating after their controller's rollout is done are not judged.
  const units = unitsOf(inventory).map(settleUnit);

  const first = units.map((unit) => {
    const triage = triageUnit(unit, now);
    const quick = quickEvidence(reader.cluster, unit);
    return { unit, triage, verdict: verdictOf(unit.ref, triage, quick ? runAnalyzers(quick, now, analyzers) : undefined, false) };
  });
  const byRank = new Map(rankVerdicts(first.map((f) => f.verdict)).map((v, i) => [v, i]));
  const unhealthy = first.filter((f) => f.verdict.health !== 'healthy').sort((a, b) => (byRank.get(a.verdict) ?? 0) - (byRank.get(b.verdict) ?? 0));
  const chosen = unhealthy.slice(0, maxExamined);

  const shared = shareReads(reader);
  const examined = await mapBounded(chosen, options.concurrency ?? defaultSweepOptions.concurrency, async ({ unit, triage, verdict }) => {
    try {
      return await examine(shared, unit, triage, now, analyzers, options.gatherLimits ?? sweepGatherLimits);
    } catch (err) {
      notes.push(`could not examine ${unit.ref.kind} ${unit.ref.namespace}/${unit.ref.name}: ${err instanceof Error ? err.message : String(err)}`);
      return verdict;
    }
  });
  const replaced = new Map(chosen.map((c, i) => [c.verdict, examined[i] ?? c.verdict]));
  const verdicts = rankVerdicts(first.map((f) => replaced.get(f.verdict) ?? f.verdict));
  return {
    cluster: reader.cluster,
    ...(scope.namespace === undefined ? {} : { namespace: scope.namespace }),
    verdicts,
    unexamined: unhealthy.length - chosen.length,
    notes,
    at: now,
  };
}

async function examine(reader: ClusterReader, unit: SweepUnit, triage: ReturnType<typeof triageUnit>, now: number, analyzers: readonly Analyzer[], limits: GatherLimits): Promise<UnitVerdict> {
  const { namespace, name } = unit.ref;
  if (unit.kind === 'PersistentVolumeClaim') {
    const [event] = (await reader.listObjectEvents(namespace, 'PersistentVolumeClaim', name)).filter((e) => e.type === 'Warning');
    const said = event ? `${event.reason ?? 'Warning'}: ${event.message ?? ''}`.trim() : undefined;
    const since = event ? (eventLastSeen(event)?.getTime() ?? triage.since) : triage.since;
    return verdictOf(unit.ref, { ...triage, ...(said ? { reason: `${triage.reason ?? 'claim is not bound'} (${said})` } : {}), ...(since === undefined ? {} : { since }) }, undefined, true);
  }
  const target = targetOf(unit, now);
  // Nothing more to read (a Service's selector, a Job without a troubled pod): its lists said it all.
  if (!target) return verdictOf(unit.ref, triage, undefined, true);
  const evidence = settleEvidence(await gatherEvidence(reader, target, limits));
  return verdictOf(unit.ref, triage, runAnalyzers(evidence, now, analyzers), true);
}

/** What gatherEvidence reads for a unit: the workload itself, or its most troubled pod. */
function targetOf(unit: SweepUnit, now: number): GatherTarget | undefined {
  const { namespace, name } = unit.ref;
  if (unit.kind === 'Deployment') return { namespace, deployment: name };
  if (unit.kind === 'StatefulSet') return { namespace, statefulset: name };
  if (unit.kind === 'DaemonSet') return { namespace, daemonset: name };
  if (unit.kind === 'Job' || unit.kind === 'CronJob' || unit.kind === 'Pod') {
    const pod = podProblems(unit.pods, now)[0]?.pod.metadata?.name;
    return pod === undefined ? undefined : { namespace, pod };
  }
  return undefined;
}

/** Evidence from what the lists hold (the object and its pods): the analyzers' first look, free of reads. */
function quickEvidence(cluster: string, unit: SweepUnit): Evidence | undefined {
  if (unit.kind === 'Service' || unit.kind === 'PersistentVolumeClaim') return undefined;
  const evidence = emptyEvidence(cluster);
  evidence.namespace = unit.ref.namespace;
  evidence.pods = unit.pods;
  evidence.totalPods = unit.pods.length;
  if (unit.kind === 'Deployment' || unit.kind === 'StatefulSet' || unit.kind === 'DaemonSet') {
    const ref = { kind: unit.kind, namespace: unit.ref.namespace, name: unit.ref.name };
    const object =
      unit.kind === 'Deployment' ? { deployment: unit.object } : unit.kind === 'StatefulSet' ? { statefulSet: unit.object } : { daemonSet: unit.object };
    evidence.workload = { ref, ...object, replicaSets: [], events: [] };
  }
  return evidence;
}

/** Maps with at most `limit` calls in flight; results in input order. */
export async function mapBounded<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}
