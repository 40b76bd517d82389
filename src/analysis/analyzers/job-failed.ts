import type { V1Job } from '@kubernetes/client-node';
import type { Analyzer, Evidence, Finding } from '../types.js';
import { logExcerpt } from './helpers.js';
import { inScope, makeFinding, namespaceOf } from './objects.js';

const name = 'job-failed';

/** The Job's owning CronJob, if any. */
export const cronJobOf = (job: V1Job): string | undefined => job.metadata?.ownerReferences?.find((o) => o.kind === 'CronJob')?.name;

/** The last log line of one of the Job's failed pods that reads like an error. */
export function jobLogLine(evidence: Evidence, job: string): string | undefined {
  for (const l of evidence.logs) {
    const pod = evidence.pods.find((p) => p.metadata?.name === l.pod);
    if (pod?.metadata?.labels?.['job-name'] !== job && pod?.metadata?.labels?.['batch.kubernetes.io/job-name'] !== job) continue;
    const lines = (logExcerpt(l, 10) ?? '').split('\n').filter((x) => x.trim() !== '');
    return [...lines].reverse().find((x) => /fatal|panic|error|exception|failed|refused|denied/i.test(x)) ?? lines.at(-1);
  }
  return undefined;
}

/**
 * A Job that failed for good: `BackoffLimitExceeded` ("Job has reached the specified backoff
 * limit") or `DeadlineExceeded`. Quotes the condition, the pod counts and the failed pod's
 * log line. Re-running is a manual step once the cause is fixed.
 */
export const analyzeJobFailed: Analyzer = (evidence) => {
  const findings: Finding[] = [];
  const ns = namespaceOf(evidence);
  for (const job of evidence.objects?.jobs ?? []) {
    const jobName = job.metadata?.name ?? '?';
    const cron = cronJobOf(job);
    const related = evidence.focus?.kind === 'CronJob' && cron === evidence.focus.name;
    if (!related && !inScope(evidence, 'Job', jobName, false)) continue;
    const failed = job.status?.conditions?.find((c) => c.type === 'Failed' && c.status === 'True');
    if (!failed) continue;
    const line = jobLogLine(evidence, jobName);
    const deadline = failed.reason === 'DeadlineExceeded';
    findings.push(
      makeFinding({
        analyzer: name,
        kind: deadline ? 'job-deadline-exceeded' : 'job-backoff-limit',
        object: `Job/${ns}/${jobName}`,
        title: `Job ${jobName} failed: ${failed.reason ?? 'Failed'}`,
        summary: deadline
          ? `Job ${jobName} ran longer than activeDeadlineSeconds (${job.spec?.activeDeadlineSeconds ?? '?'}s) and was stopped.`
          : `Job ${jobName} failed ${job.status?.failed ?? '?'} time(s), past its backoffLimit ${job.spec?.backoffLimit ?? 6}; it will not retry.${line ? ` Last error: ${line.trim()}` : ''}`,
        evidence: [
          `condition Failed=True ${failed.reason ?? ''}: ${failed.message ?? ''}`,
          `pods: ${job.status?.succeeded ?? 0} succeeded, ${job.status?.failed ?? 0} failed, ${job.status?.active ?? 0} active`,
          cron ? `created by CronJob ${cron}` : undefined,
          line ? `log of a failed pod: ${line}` : undefined,
        ],
        fix: deadline
          ? `Raise spec.activeDeadlineSeconds or make the work faster, then re-create the Job (kubectl -n ${ns} delete job ${jobName}; apply it again${cron ? ` or kubectl -n ${ns} create job --from=cronjob/${cron} ${cron}-manual` : ''}).`
          : `Fix what the failed pod's log says, then re-run: kubectl -n ${ns} delete job ${jobName} and apply it again${cron ? `, or kubectl -n ${ns} create job --from=cronjob/${cron} ${cron}-manual` : ''}.`,
      }),
    );
  }
  return { findings, proposals: [] };
};
