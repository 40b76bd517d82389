import type { V1Job, V1Pod } from '@kubernetes/client-node';
import { toDate } from '../../kube/format/time.js';
import { describePodProblems, podProblems } from './pod-problems.js';
import type { SweepUnit, Triage } from './types.js';

const ms = (value: Date | string | null | undefined): number | undefined => toDate(value)?.getTime();
/** A claim may wait this long for its volume before Pending counts as a problem. */
const claimGraceMs = 2 * 60_000;

/**
 * What a unit's listed status says, without reading events or logs: replicas ready against
 * desired, its pods' waiting / terminated / unscheduled states, a Job's Failed condition, a
 * CronJob's last run, a Service that selects no pod, a claim left Pending. Pure.
 */
export function triageUnit(unit: SweepUnit, now: number): Triage {
  switch (unit.kind) {
    case 'Deployment': {
      const spec = unit.object.spec;
      const status = unit.object.status;
      const progressing = status?.conditions?.find((c) => c.type === 'Progressing');
      const stuck = progressing?.status === 'False' ? `rollout stuck (${progressing.reason ?? 'not progressing'}): ${progressing.message ?? ''}`.trim() : undefined;
      return replicated(spec?.replicas ?? 1, status?.readyReplicas ?? 0, unit.pods, now, stuck, ms(progressing?.lastTransitionTime));
    }
    case 'StatefulSet':
      return replicated(unit.object.spec?.replicas ?? 1, unit.object.status?.readyReplicas ?? 0, unit.pods, now);
    case 'DaemonSet':
      return replicated(unit.object.status?.desiredNumberScheduled ?? 0, unit.object.status?.numberReady ?? 0, unit.pods, now);
    case 'Job':
      return triageJob(unit.object, unit.pods, now);
    case 'CronJob': {
      if (unit.object.spec?.suspend) return { health: 'healthy', state: 'suspended' };
      const newest = [...unit.jobs].sort((a, b) => (ms(b.metadata?.creationTimestamp) ?? 0) - (ms(a.metadata?.creationTimestamp) ?? 0))[0];
      if (!newest) return { health: 'healthy', state: unit.object.status?.lastScheduleTime ? 'no run kept' : 'not run yet' };
      const job = triageJob(newest, unit.pods.filter((p) => ownedBy(p, newest)), now);
      const name = newest.metadata?.name ?? '?';
      if (job.health === 'healthy') return { health: 'healthy', state: `last run ${name} ${job.state ?? ''}`.trim() };
      return { ...job, reason: `last run ${name}: ${job.reason ?? 'failing'}` };
    }
    case 'Pod': {
      const [first] = podProblems(unit.pods, now);
      if (!first) return { health: 'healthy', state: unit.object.status?.phase ?? 'Unknown' };
      return withSince({ health: first.problem.severe ? 'failing' : 'degraded', reason: describePodProblems([first], 1) ?? first.problem.reason, state: unit.object.status?.phase ?? 'Unknown' }, first.problem.since);
    }
    case 'Service': {
      const selector = unit.object.spec?.selector ?? {};
      const terms = Object.entries(selector).map(([k, v]) => `${k}=${v}`);
      if (terms.length === 0 || unit.object.spec?.type === 'ExternalName') return { health: 'healthy', state: 'no selector' };
      if (unit.pods.length === 0) {
        return withSince({ health: 'failing', reason: `selects no pods (selector ${terms.join(',')}): it has no endpoints`, state: '0 endpoints' }, ms(unit.object.metadata?.creationTimestamp));
      }
      const ready = unit.pods.filter(isReady).length;
      // No ready pod behind it: the workload that owns those pods is the line that explains it.
      return { health: 'healthy', state: `${ready}/${unit.pods.length} endpoints ready` };
    }
    case 'PersistentVolumeClaim': {
      const phase = unit.object.status?.phase ?? 'Pending';
      const created = ms(unit.object.metadata?.creationTimestamp);
      if (phase === 'Lost') return withSince({ health: 'failing', reason: 'claim is Lost: its volume no longer exists', state: phase }, created);
      if (phase === 'Pending' && (created === undefined || now - created > claimGraceMs)) {
        return withSince({ health: 'failing', reason: 'claim is Pending: no volume is bound to it', state: phase }, created);
      }
      return { health: 'healthy', state: phase };
    }
  }
}

function replicated(desired: number, ready: number, pods: V1Pod[], now: number, stuck?: string, stuckSince?: number): Triage {
  const state = `${ready}/${desired} ready`;
  const problems = podProblems(pods, now);
  const described = describePodProblems(problems, pods.length);
  const since = problems.map((p) => p.problem.since).find((s) => s !== undefined) ?? stuckSince;
  if (desired === 0) return { health: 'healthy', state: 'scaled to 0' };
  if (ready === 0) return withSince({ health: 'failing', reason: described ?? stuck ?? 'no replica is ready', state }, since);
  if (ready < desired) return withSince({ health: 'degraded', reason: described ?? stuck ?? `${desired - ready} of ${desired} replicas are not ready`, state }, since);
  if (stuck) return withSince({ health: 'degraded', reason: described ? `${stuck}; ${described}` : stuck, state }, since);
  if (described) return withSince({ health: 'degraded', reason: described, state }, since);
  return { health: 'healthy', state };
}

function triageJob(job: V1Job, pods: V1Pod[], now: number): Triage {
  const conditions = job.status?.conditions ?? [];
  const failed = conditions.find((c) => c.type === 'Failed' && c.status === 'True');
  if (failed) {
    return withSince({ health: 'failing', reason: `${failed.reason ?? 'Failed'}: ${failed.message ?? 'the job failed'}`, state: 'failed' }, ms(failed.lastTransitionTime));
  }
  if (conditions.some((c) => c.type === 'Complete' && c.status === 'True')) return { health: 'healthy', state: 'completed' };
  const problems = podProblems(pods, now).filter((p) => p.problem.severe);
  const described = describePodProblems(problems, pods.length);
  if (described) return withSince({ health: 'failing', reason: described, state: 'running' }, problems[0]?.problem.since);
  return { health: 'healthy', state: (job.status?.active ?? 0) > 0 ? 'running' : 'pending' };
}

function ownedBy(pod: V1Pod, job: V1Job): boolean {
  return pod.metadata?.ownerReferences?.some((o) => o.kind === 'Job' && o.name === job.metadata?.name) ?? false;
}

function isReady(pod: V1Pod): boolean {
  return pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

function withSince(triage: Triage, since: number | undefined): Triage {
  return since === undefined ? triage : { ...triage, since };
}
