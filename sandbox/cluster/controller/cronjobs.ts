/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-return, @typescript-eslint/no-explicit-any -- CronJobs and Jobs are wire JSON */
import { applyDefaults } from '../api/defaults.js';
import { formatTime } from '../sim-clock.js';
import type { KubeObject } from '../types.js';
import { isControlledBy, ownerRef, type ClusterContext } from './context.js';
import { parseCron } from './cron.js';
import { isJobFinished } from './jobs.js';

const component = 'cronjob-controller';
/** More missed start times than this and the controller gives up on the backlog, as the real one does. */
const maxMissed = 100;

const conditionOf = (job: KubeObject): string | undefined => (job.status?.conditions ?? []).find((c: any) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True')?.type;

function jobRef(job: KubeObject) {
  return { kind: 'Job', namespace: job.metadata.namespace, name: job.metadata.name, uid: job.metadata.uid, apiVersion: 'batch/v1', resourceVersion: job.metadata.resourceVersion };
}

/** The latest schedule time in (earliest, now], and how many were missed before it. */
function mostRecentSchedule(cj: KubeObject, now: number): { at?: number; missed: number } {
  const schedule = parseCron(String(cj.spec?.schedule ?? ''));
  let earliest = Date.parse(cj.status?.lastScheduleTime ?? cj.metadata.creationTimestamp);
  const deadline: number | undefined = cj.spec?.startingDeadlineSeconds;
  if (deadline !== undefined) earliest = Math.max(earliest, now - deadline * 1000);
  let at: number | undefined;
  let missed = 0;
  for (let t = schedule.next(earliest); t <= now; t = schedule.next(t)) {
    at = t;
    missed += 1;
    if (missed > maxMissed * 10) break;
  }
  return { ...(at !== undefined ? { at } : {}), missed };
}

function createJob(ctx: ClusterContext, cj: KubeObject, scheduledAt: number): KubeObject {
  const template = cj.spec?.jobTemplate ?? {};
  const name = `${cj.metadata.name}-${Math.floor(scheduledAt / 60_000)}`;
  const job: KubeObject = {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name,
      namespace: cj.metadata.namespace ?? 'default',
      uid: '',
      resourceVersion: '',
      creationTimestamp: '',
      labels: { ...(template.metadata?.labels ?? {}) },
      annotations: { ...(template.metadata?.annotations ?? {}), 'batch.kubernetes.io/cronjob-scheduled-timestamp': formatTime(scheduledAt) },
      ownerReferences: [ownerRef(cj)],
    },
    spec: structuredClone(template.spec ?? {}),
  };
  // The Job goes through the API server's defaulting (selector, labels) like any created Job.
  applyDefaults(ctx, 'jobs', job, undefined);
  return ctx.store.create('jobs', job);
}

/** Deletes the oldest finished Jobs beyond the history limits. */
function pruneHistory(ctx: ClusterContext, cj: KubeObject, jobs: readonly KubeObject[]): boolean {
  let changed = false;
  for (const [type, limit] of [['Complete', cj.spec?.successfulJobsHistoryLimit ?? 3], ['Failed', cj.spec?.failedJobsHistoryLimit ?? 1]] as const) {
    const finished = jobs.filter((j) => conditionOf(j) === type).sort((a, b) => Date.parse(a.metadata.creationTimestamp) - Date.parse(b.metadata.creationTimestamp) || a.metadata.name.localeCompare(b.metadata.name));
    for (const job of finished.slice(0, Math.max(0, finished.length - Number(limit)))) {
      ctx.store.remove('jobs', job.metadata.namespace, job.metadata.name);
      ctx.events.record({ involved: cj, reason: 'SuccessfulDelete', message: `Deleted job ${job.metadata.name}`, type: 'Normal', component });
      changed = true;
    }
  }
  return changed;
}

/**
 * The CronJob controller (v2): creates a Job named `<cronjob>-<minutes since epoch>` at each
 * schedule time of the sandbox clock, honours suspend, concurrencyPolicy and
 * startingDeadlineSeconds, tracks active Jobs, lastScheduleTime and lastSuccessfulTime, and
 * keeps the history limits.
 */
export function syncCronJob(ctx: ClusterContext, stored: KubeObject): boolean {
  const cj: KubeObject = { ...stored, status: { ...(stored.status ?? {}) } };
  const now = ctx.clock.now();
  let changed = false;
  let jobs = ctx.store.scan('jobs', cj.metadata.namespace).filter((j) => isControlledBy(j, cj));
  const active: any[] = [];
  for (const job of jobs) {
    if (!isJobFinished(job)) {
      // The reference keeps the version the Job was created with, as the controller's does.
      active.push((stored.status?.active ?? []).find((r: any) => r.uid === job.metadata.uid) ?? jobRef(job));
      continue;
    }
    const wasActive = (stored.status?.active ?? []).some((r: any) => r.uid === job.metadata.uid);
    if (wasActive) ctx.events.record({ involved: cj, reason: 'SawCompletedJob', message: `Saw completed job: ${job.metadata.name}, condition: ${conditionOf(job) ?? ''}`, type: 'Normal', component });
    const completed = conditionOf(job) === 'Complete' ? job.status?.completionTime : undefined;
    if (completed && (!cj.status.lastSuccessfulTime || Date.parse(completed) > Date.parse(cj.status.lastSuccessfulTime))) cj.status.lastSuccessfulTime = completed;
  }
  let schedule: { at?: number; missed: number } = { missed: 0 };
  try {
    schedule = cj.spec?.suspend ? { missed: 0 } : mostRecentSchedule(cj, now);
  } catch (err) {
    ctx.events.record({ involved: cj, reason: 'InvalidSchedule', message: `invalid schedule: ${String(cj.spec?.schedule)} : ${err instanceof Error ? err.message : String(err)}`, type: 'Warning', component, count: 1 });
  }
  const at = schedule.at;
  if (at !== undefined) {
    if (schedule.missed > maxMissed) {
      ctx.events.record({ involved: cj, reason: 'TooManyMissedTimes', message: `too many missed start times: ${schedule.missed}. Set or decrease .spec.startingDeadlineSeconds or check clock skew`, type: 'Warning', component, count: 1 });
    }
    const policy: string = cj.spec?.concurrencyPolicy ?? 'Allow';
    if (policy === 'Forbid' && active.length) {
      ctx.events.record({ involved: cj, reason: 'JobAlreadyActive', message: 'Not starting job because prior execution is running and concurrency policy is Forbid', type: 'Normal', component, count: schedule.missed });
    } else {
      if (policy === 'Replace') {
        for (const ref of active.splice(0)) {
          ctx.store.remove('jobs', ref.namespace, ref.name);
          ctx.events.record({ involved: cj, reason: 'SuccessfulDelete', message: `Deleted job ${String(ref.name)}`, type: 'Normal', component });
        }
      }
      const job = createJob(ctx, cj, at);
      ctx.events.record({ involved: cj, reason: 'SuccessfulCreate', message: `Created job ${job.metadata.name}`, type: 'Normal', component });
      active.push(jobRef(job));
      cj.status.lastScheduleTime = formatTime(at);
      changed = true;
    }
  }
  jobs = ctx.store.scan('jobs', cj.metadata.namespace).filter((j) => isControlledBy(j, cj));
  changed = pruneHistory(ctx, cj, jobs) || changed;
  if (active.length) cj.status.active = active;
  else delete cj.status.active;
  const before = stored.metadata.resourceVersion;
  return ctx.store.update('cronjobs', cj).metadata.resourceVersion !== before || changed;
}
