/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-return, @typescript-eslint/no-explicit-any -- Jobs and pods are wire JSON */
import type { KubeObject } from '../types.js';
import { createPod, isControlledBy, type ClusterContext } from './context.js';
import { deletePodGracefully, isPodReady, refusedCreate } from './replicas.js';

const component = 'job-controller';
/** The Job controller's pod-failure back-off: 10s, doubled per failure, at most 6 minutes. */
const backoffBaseMs = 10_000;
const backoffMaxMs = 360_000;

/** Per cluster, per Job uid: how many failures the controller has seen, and when it saw the last. */
const failuresSeen = new WeakMap<ClusterContext, Map<string, { count: number; at: number }>>();

const isFinished = (job: KubeObject): boolean => (job.status?.conditions ?? []).some((c: any) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');

function condition(type: string, reason: string, message: string, at: string) {
  return { type, status: 'True', lastProbeTime: at, lastTransitionTime: at, reason, message };
}

/** Restarts of the containers of the Job's running pods: what restartPolicy OnFailure counts against backoffLimit. */
function restartsOf(pods: readonly KubeObject[]): number {
  return pods.reduce((n, p) => n + (p.status?.containerStatuses ?? []).reduce((m: number, c: any) => m + (c.restartCount ?? 0), 0), 0);
}

/** When the Job's next pod may be created: after the back-off of its latest failure. */
function backoffUntil(ctx: ClusterContext, job: KubeObject, failed: number): number {
  const seen = failuresSeen.get(ctx) ?? new Map<string, { count: number; at: number }>();
  failuresSeen.set(ctx, seen);
  const last = seen.get(job.metadata.uid);
  if (failed === 0) return 0;
  if (!last || last.count !== failed) {
    seen.set(job.metadata.uid, { count: failed, at: ctx.clock.now() });
    return ctx.clock.now() + Math.min(backoffBaseMs * 2 ** (failed - 1), backoffMaxMs);
  }
  return last.at + Math.min(backoffBaseMs * 2 ** (failed - 1), backoffMaxMs);
}

function finish(ctx: ClusterContext, job: KubeObject, active: readonly KubeObject[], outcome: { type: 'Complete' | 'Failed'; reason: string; message: string }): void {
  const at = ctx.clock.iso();
  for (const pod of active) {
    deletePodGracefully(ctx, pod);
    ctx.events.record({ involved: job, reason: 'SuccessfulDelete', message: `Deleted pod: ${pod.metadata.name}`, type: 'Normal', component });
  }
  // Since 1.31 the controller first records the interim condition, then the final one.
  const interim = outcome.type === 'Complete' ? 'SuccessCriteriaMet' : 'FailureTarget';
  job.status = {
    ...job.status,
    conditions: [...(job.status?.conditions ?? []), condition(interim, outcome.reason, outcome.message, at), condition(outcome.type, outcome.reason, outcome.message, at)],
    active: 0,
    ready: 0,
    ...(outcome.type === 'Complete' ? { completionTime: at } : {}),
  };
  if (outcome.type === 'Complete') ctx.events.record({ involved: job, reason: 'Completed', message: 'Job completed', type: 'Normal', component });
  else ctx.events.record({ involved: job, reason: outcome.reason, message: outcome.message, type: 'Warning', component });
}

/**
 * The Job controller: runs the template's pods until `completions` succeed (or, without
 * completions, until one has and none runs), `parallelism` at a time, replacing failed pods
 * with back-off until `backoffLimit` (or `activeDeadlineSeconds`) fails the Job. A pod's outcome
 * is its phase, as the kubelet reports it.
 */
export function syncJob(ctx: ClusterContext, stored: KubeObject): boolean {
  const job: KubeObject = { ...stored };
  const pods = ctx.store.scan('pods', job.metadata.namespace).filter((p) => isControlledBy(p, job));
  const live = pods.filter((p) => !p.metadata.deletionTimestamp);
  const active = live.filter((p) => p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed');
  const succeeded = pods.filter((p) => p.status?.phase === 'Succeeded').length;
  const failed = pods.filter((p) => p.status?.phase === 'Failed').length;
  const terminating = pods.filter((p) => p.metadata.deletionTimestamp && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed').length;
  let changed = false;
  job.status = { ...(job.status ?? {}) };
  if (!isFinished(job) && !job.spec?.suspend) {
    job.status.startTime ??= ctx.clock.iso();
    const completions: number | undefined = job.spec?.completions ?? undefined;
    const parallelism: number = job.spec?.parallelism ?? 1;
    const backoffLimit: number = job.spec?.backoffLimit ?? 6;
    const onFailure = job.spec?.template?.spec?.restartPolicy === 'OnFailure';
    const deadline: number | undefined = job.spec?.activeDeadlineSeconds;
    const done = completions === undefined ? succeeded > 0 && active.length === 0 : succeeded >= completions;
    if (done) finish(ctx, job, [], { type: 'Complete', reason: 'CompletionsReached', message: 'Reached expected number of succeeded pods' });
    else if (failed > backoffLimit || (onFailure && backoffLimit > 0 && restartsOf(active) + failed >= backoffLimit) || (onFailure && backoffLimit === 0 && restartsOf(active) > 0)) {
      finish(ctx, job, active, { type: 'Failed', reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' });
    } else if (deadline !== undefined && ctx.clock.now() - Date.parse(job.status.startTime) >= deadline * 1000) {
      finish(ctx, job, active, { type: 'Failed', reason: 'DeadlineExceeded', message: 'Job was active longer than specified deadline' });
    } else {
      const wanted = completions === undefined ? (succeeded > 0 ? 0 : parallelism) : Math.min(parallelism, completions - succeeded);
      if (active.length < wanted && ctx.clock.now() >= backoffUntil(ctx, job, failed)) {
        for (let i = active.length; i < wanted; i++) {
          if (refusedCreate(ctx, job, component)) break;
          const pod = createPod(ctx, { owner: job, template: job.spec.template });
          active.push(pod);
          ctx.events.record({ involved: job, reason: 'SuccessfulCreate', message: `Created pod: ${pod.metadata.name}`, type: 'Normal', component });
          changed = true;
        }
      }
    }
  }
  // A suspended Job shows it (and loses it when resumed), as the controller's Suspended condition does.
  const suspended = (job.status.conditions ?? []).find((c: any) => c.type === 'Suspended');
  if (job.spec?.suspend && !isFinished(job) && suspended?.status !== 'True') {
    const at = ctx.clock.iso();
    job.status.conditions = [...(job.status.conditions ?? []).filter((c: any) => c.type !== 'Suspended'), { ...condition('Suspended', 'JobSuspended', 'Job suspended', at) }];
    ctx.events.record({ involved: job, reason: 'Suspended', message: 'Job suspended', type: 'Normal', component });
  } else if (!job.spec?.suspend && suspended?.status === 'True') {
    const at = ctx.clock.iso();
    job.status.conditions = (job.status.conditions ?? []).map((c: any) => (c.type === 'Suspended' ? { ...c, status: 'False', reason: 'JobResumed', message: 'Job resumed', lastProbeTime: at, lastTransitionTime: at } : c));
    ctx.events.record({ involved: job, reason: 'Resumed', message: 'Job resumed', type: 'Normal', component });
  }
  const finished = isFinished(job);
  job.status = {
    ...job.status,
    active: finished ? 0 : active.length,
    ready: finished ? 0 : active.filter(isPodReady).length,
    succeeded,
    failed,
    terminating,
    uncountedTerminatedPods: {},
  };
  // The API server drops zero counts (omitempty), except ready and terminating.
  for (const k of ['active', 'succeeded', 'failed'] as const) if (!job.status[k]) delete job.status[k];
  const before = stored.metadata.resourceVersion;
  return ctx.store.update('jobs', job).metadata.resourceVersion !== before || changed;
}

/** The TTL-after-finished controller: a finished Job with ttlSecondsAfterFinished goes when its time is up. */
export function collectFinishedJobs(ctx: ClusterContext): boolean {
  let changed = false;
  for (const job of ctx.store.scan('jobs')) {
    const ttl: number | undefined = job.spec?.ttlSecondsAfterFinished;
    if (ttl === undefined || !isFinished(job)) continue;
    const at = (job.status?.conditions ?? []).find((c: any) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True')?.lastTransitionTime;
    if (at && ctx.clock.now() >= Date.parse(at) + ttl * 1000) {
      ctx.store.remove('jobs', job.metadata.namespace, job.metadata.name);
      changed = true;
    }
  }
  return changed;
}

export { isFinished as isJobFinished };
