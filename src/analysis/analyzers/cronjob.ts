import type { V1Job } from '@kubernetes/client-node';
import type { Analyzer, Finding } from '../types.js';
import { describeEvent, eventsOf, inScope, makeFinding, namespaceOf } from './objects.js';
import { cronJobOf } from './job-failed.js';

const name = 'cronjob';

/** A Job's creation time in ms (client-node gives a Date; a String of it sorts by weekday). */
const createdAt = (job: V1Job): number => (job.metadata?.creationTimestamp ? new Date(job.metadata.creationTimestamp).getTime() : 0);

/**
 * A CronJob that does not run: suspended, missing its start times (the controller's
 * `TooManyMissedTimes` / `MissSchedule` / `FailedCreate` events), or whose latest finished Job failed.
 */
export const analyzeCronJob: Analyzer = (evidence) => {
  const findings: Finding[] = [];
  const ns = namespaceOf(evidence);
  for (const cj of evidence.objects?.cronJobs ?? []) {
    const cjName = cj.metadata?.name ?? '?';
    // An alert about one of its Jobs is about its runs too (not its schedule or suspension).
    const focus = evidence.focus;
    const viaJob = focus?.kind === 'Job' && (evidence.objects?.jobs ?? []).some((j) => j.metadata?.name === focus.name && cronJobOf(j) === cjName);
    if (!viaJob && !inScope(evidence, 'CronJob', cjName, false)) continue;
    const object = `CronJob/${ns}/${cjName}`;
    const last = cj.status?.lastScheduleTime ? new Date(cj.status.lastScheduleTime).toISOString() : 'never';
    const facts = [`spec.schedule: "${cj.spec?.schedule ?? '?'}"`, `status.lastScheduleTime: ${last}`, `status.lastSuccessfulTime: ${cj.status?.lastSuccessfulTime ? new Date(cj.status.lastSuccessfulTime).toISOString() : 'never'}`];
    if (cj.spec?.suspend === true && !viaJob) {
      findings.push(
        makeFinding({
          analyzer: name,
          kind: 'cronjob-suspended',
          object,
          title: `CronJob ${cjName} is suspended`,
          summary: `CronJob ${cjName} has spec.suspend: true, so the controller starts no Job on its schedule "${cj.spec.schedule}".`,
          evidence: ['spec.suspend: true', ...facts],
          fix: `kubectl -n ${ns} patch cronjob ${cjName} -p '{"spec":{"suspend":false}}'`,
          severity: 'warning',
        }),
      );
      continue;
    }
    const missed = eventsOf(evidence, 'CronJob', cjName, /TooManyMissedTimes|MissSchedule|FailedCreate|FailedNeedsStart/).slice(0, 2);
    if (missed.length > 0 && !viaJob) {
      findings.push(
        makeFinding({
          analyzer: name,
          kind: 'cronjob-missed-starts',
          object,
          title: `CronJob ${cjName} misses its start times`,
          summary: `The CronJob controller could not start ${cjName} on schedule: ${missed[0]?.message ?? ''}`,
          evidence: [...missed.map(describeEvent), ...facts, `spec.startingDeadlineSeconds: ${cj.spec?.startingDeadlineSeconds ?? 'unset'}`, `spec.concurrencyPolicy: ${cj.spec?.concurrencyPolicy ?? 'Allow'}`],
          fix: `Set a larger .spec.startingDeadlineSeconds (or unset it), check that a previous Job is not still running with concurrencyPolicy Forbid, and check the controller's clock.`,
        }),
      );
      continue;
    }
    const jobs = (evidence.objects?.jobs ?? []).filter((j) => cronJobOf(j) === cjName).sort((a, b) => createdAt(b) - createdAt(a));
    // A run still going says nothing yet: the latest finished one tells whether runs fail.
    const latest = jobs.find((j) => j.status?.conditions?.some((c) => (c.type === 'Failed' || c.type === 'Complete') && c.status === 'True'));
    const failed = latest?.status?.conditions?.find((c) => c.type === 'Failed' && c.status === 'True');
    if (latest && failed) {
      findings.push(
        makeFinding({
          analyzer: name,
          kind: 'cronjob-job-failed',
          object,
          title: `CronJob ${cjName}: its latest Job ${latest.metadata?.name ?? '?'} failed`,
          summary: `The latest run of ${cjName} failed (${failed.reason ?? 'Failed'}: ${failed.message ?? ''}); the last success was ${cj.status?.lastSuccessfulTime ? new Date(cj.status.lastSuccessfulTime).toISOString() : 'never'}.`,
          evidence: [`latest Job ${latest.metadata?.name ?? '?'}: Failed=True ${failed.reason ?? ''}: ${failed.message ?? ''}`, ...facts],
          fix: `See the Job's finding; after fixing, kubectl -n ${ns} create job --from=cronjob/${cjName} ${cjName}-manual to run it now.`,
        }),
      );
    }
  }
  return { findings, proposals: [] };
};
