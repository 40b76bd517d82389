import type * as k8s from '@kubernetes/client-node';
import * as client from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { parseCron } from '../../../sandbox/cluster/controller/cron.js';
import { waitFor } from '../../../sandbox/shared/wait.js';
import { merge } from './helpers.js';
import { freshClusterPerTest, ns } from './scheduler-helpers.js';

const env = freshClusterPerTest();
const batch = () => {
  const kc = new client.KubeConfig();
  kc.loadFromString(env.cluster.kubeconfigYaml());
  return kc.makeApiClient(client.BatchV1Api);
};

const podSpec = (restartPolicy = 'Never'): k8s.V1PodSpec => ({ restartPolicy, containers: [{ name: 'work', image: 'registry.example.com/batch/report:1.0' }] });

async function createJob(name: string, spec: Partial<k8s.V1JobSpec> = {}): Promise<void> {
  await batch().createNamespacedJob({ namespace: ns, body: { metadata: { name }, spec: { template: { spec: podSpec() }, ...spec } } });
  await env.cluster.settle();
}

async function jobPods(job: string): Promise<k8s.V1Pod[]> {
  return (await env.c.core.listNamespacedPod({ namespace: ns, labelSelector: `job-name=${job}` })).items;
}

/** What the kubelet reports when the pod's container exits: the pod's terminal phase. */
async function finishPod(pod: k8s.V1Pod, phase: 'Succeeded' | 'Failed'): Promise<void> {
  await env.c.core.patchNamespacedPodStatus({ name: pod.metadata!.name!, namespace: ns, body: { status: { phase } } }, merge);
  await env.cluster.settle();
}

async function eventsOf(kind: string, name: string): Promise<{ reason: string; message: string; type: string; component: string }[]> {
  const list = await env.c.core.listNamespacedEvent({ namespace: ns, fieldSelector: `involvedObject.name=${name},involvedObject.kind=${kind}` });
  return list.items.map((e) => ({ reason: e.reason ?? '', message: e.message ?? '', type: e.type ?? '', component: e.source?.component ?? '' }));
}

const running = (pods: k8s.V1Pod[]) => pods.filter((p) => p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed');

describe('sandbox Job controller', () => {
  it('runs pods one after another until completions succeed, then completes', async () => {
    await createJob('report', { completions: 2, parallelism: 1 });
    const first = await jobPods('report');
    expect(first).toHaveLength(1);
    expect(first[0]!.metadata?.ownerReferences?.[0]).toMatchObject({ kind: 'Job', name: 'report', controller: true });
    expect((await batch().readNamespacedJob({ name: 'report', namespace: ns })).status).toMatchObject({ active: 1, ready: 1 });
    await finishPod(first[0]!, 'Succeeded');
    const second = running(await jobPods('report'));
    expect(second).toHaveLength(1);
    await finishPod(second[0]!, 'Succeeded');

    const job = await batch().readNamespacedJob({ name: 'report', namespace: ns });
    expect(job.status?.succeeded).toBe(2);
    expect(job.status?.active).toBeUndefined();
    expect(job.status?.completionTime).toBeDefined();
    expect(job.status?.conditions?.map((c) => [c.type, c.status, c.reason, c.message])).toEqual([
      ['SuccessCriteriaMet', 'True', 'CompletionsReached', 'Reached expected number of succeeded pods'],
      ['Complete', 'True', 'CompletionsReached', 'Reached expected number of succeeded pods'],
    ]);
    const events = await eventsOf('Job', 'report');
    expect(events.filter((e) => e.reason === 'SuccessfulCreate').map((e) => e.message).sort()).toEqual((await jobPods('report')).map((p) => `Created pod: ${p.metadata!.name!}`).sort());
    expect(events).toContainEqual({ reason: 'Completed', message: 'Job completed', type: 'Normal', component: 'job-controller' });
    expect(await jobPods('report')).toHaveLength(2);
  });

  it('replaces failed pods after a back-off, then fails the Job at its backoffLimit', async () => {
    await createJob('flaky', { backoffLimit: 1 });
    await finishPod((await jobPods('flaky'))[0]!, 'Failed');
    // The replacement waits out the 10s back-off.
    env.cluster.advance(10_000);
    await env.cluster.settle();
    const retry = running(await jobPods('flaky'));
    expect(retry).toHaveLength(1);
    await finishPod(retry[0]!, 'Failed');

    const job = await batch().readNamespacedJob({ name: 'flaky', namespace: ns });
    expect(job.status?.failed).toBe(2);
    expect(job.status?.conditions?.map((c) => [c.type, c.reason, c.message])).toEqual([
      ['FailureTarget', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit'],
      ['Failed', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit'],
    ]);
    expect(await eventsOf('Job', 'flaky')).toContainEqual({ reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit', type: 'Warning', component: 'job-controller' });
    env.cluster.advance(600_000);
    await env.cluster.settle();
    expect(await jobPods('flaky')).toHaveLength(2);
  });

  it('shows FailedCreate when admission refuses the Job’s pods', async () => {
    await env.c.core.createNamespacedResourceQuota({ namespace: ns, body: { metadata: { name: 'q' }, spec: { hard: { pods: '1' } } } });
    await createJob('blocked');
    expect(await jobPods('blocked')).toHaveLength(0);
    expect(await eventsOf('Job', 'blocked')).toEqual([
      { reason: 'FailedCreate', type: 'Warning', component: 'job-controller', message: 'Error creating: pods "blocked-" is forbidden: exceeded quota: q, requested: pods=1, used: pods=1, limited: pods=1' },
    ]);
  });

  it('deletes a finished Job after ttlSecondsAfterFinished, and its pods with it', async () => {
    await createJob('once', { ttlSecondsAfterFinished: 60 });
    await finishPod((await jobPods('once'))[0]!, 'Succeeded');
    expect(env.cluster.getObject('Job', ns, 'once')).toBeDefined();
    env.cluster.advance(61_000);
    await env.cluster.settle();
    expect(env.cluster.getObject('Job', ns, 'once')).toBeUndefined();
    env.cluster.advance(60_000);
    await env.cluster.settle();
    expect(await jobPods('once')).toHaveLength(0);
  });
});

describe('sandbox Job controller with the program annotations', () => {
  /** A Job whose program exits with `code` after its run time, as a user would write it. */
  async function programJob(name: string, code: string, spec: Partial<k8s.V1JobSpec> = {}): Promise<void> {
    await batch().createNamespacedJob({
      namespace: ns,
      body: { metadata: { name }, spec: { template: { metadata: { annotations: { 'sandbox.deckhand.dev/exit-code': code } }, spec: podSpec() }, ...spec } },
    });
  }
  const finished = (name: string, type: 'Complete' | 'Failed') =>
    waitFor(async () => {
      const job = await batch().readNamespacedJob({ name, namespace: ns });
      return job.status?.conditions?.some((c) => c.type === type && c.status === 'True') ? job : undefined;
    }, { timeoutMs: 20_000, message: `job ${name} never reached ${type}` });

  it('completes when the program exits 0, and fails at backoffLimit when it exits 1', async () => {
    await programJob('migrate', '0', { completions: 2 });
    await programJob('broken', '1', { backoffLimit: 2 });
    const good = await finished('migrate', 'Complete');
    expect(good.status?.succeeded).toBe(2);
    const bad = await finished('broken', 'Failed');
    // backoffLimit 2: the third failed pod fails the Job.
    expect(bad.status?.failed).toBe(3);
    expect(bad.status?.conditions?.find((c) => c.type === 'Failed')).toMatchObject({ reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' });
    expect((await jobPods('broken')).map((p) => p.status?.phase)).toEqual(['Failed', 'Failed', 'Failed']);
  });
});

describe('sandbox CronJob controller', () => {
  async function createCronJob(name: string, spec: Partial<k8s.V1CronJobSpec> = {}): Promise<k8s.V1CronJob> {
    const cj = await batch().createNamespacedCronJob({
      namespace: ns,
      body: { metadata: { name }, spec: { schedule: '*/30 * * * *', jobTemplate: { metadata: { labels: { app: name } }, spec: { template: { spec: podSpec('OnFailure') } } }, ...spec } },
    });
    await env.cluster.settle();
    return cj;
  }

  const jobsOf = async (cj: string) => (await batch().listNamespacedJob({ namespace: ns, labelSelector: `app=${cj}` })).items;

  it('creates a Job at each schedule time of the sandbox clock and records it', async () => {
    const cj = await createCronJob('nightly');
    expect(await jobsOf('nightly')).toHaveLength(0);
    const created = cj.metadata!.creationTimestamp!.getTime();
    const at = Math.floor(created / 1_800_000) * 1_800_000 + 1_800_000;
    env.cluster.advance(at - created + 1000);
    await env.cluster.settle();
    const jobs = await jobsOf('nightly');
    const first = jobs.find((j) => j.metadata?.name === `nightly-${at / 60_000}`);
    expect(first).toBeDefined();
    expect(first!.metadata?.ownerReferences?.[0]).toMatchObject({ kind: 'CronJob', name: 'nightly', controller: true });
    expect(first!.metadata?.annotations?.['batch.kubernetes.io/cronjob-scheduled-timestamp']).toBe(new Date(at).toISOString().replace('.000Z', 'Z'));
    const status = (await batch().readNamespacedCronJob({ name: 'nightly', namespace: ns })).status;
    expect(status?.lastScheduleTime?.getTime()).toBeGreaterThanOrEqual(at);
    expect(status?.active?.map((r) => r.name)).toContain(`nightly-${at / 60_000}`);
    expect(await eventsOf('CronJob', 'nightly')).toContainEqual({ reason: 'SuccessfulCreate', message: `Created job nightly-${at / 60_000}`, type: 'Normal', component: 'cronjob-controller' });
    // The Job runs its pod.
    expect((await env.c.core.listNamespacedPod({ namespace: ns, labelSelector: `job-name=nightly-${at / 60_000}` })).items).toHaveLength(1);
  });

  it('creates nothing while suspended', async () => {
    const cj = await createCronJob('paused', { suspend: true });
    env.cluster.advance(2 * 3_600_000);
    await env.cluster.settle();
    expect(await jobsOf('paused')).toHaveLength(0);
    const status = (await batch().readNamespacedCronJob({ name: 'paused', namespace: ns })).status;
    expect(status?.lastScheduleTime).toBeUndefined();
    expect(cj.spec?.suspend).toBe(true);
  });

  it('does not start a Job while the previous one runs under concurrencyPolicy Forbid', async () => {
    const cj = await createCronJob('exclusive', { concurrencyPolicy: 'Forbid' });
    const created = cj.metadata!.creationTimestamp!.getTime();
    const at = Math.floor(created / 1_800_000) * 1_800_000 + 1_800_000;
    env.cluster.advance(at - created + 1000);
    await env.cluster.settle();
    expect(await jobsOf('exclusive')).toHaveLength(1);
    // Its pod never finishes: the next half hour is skipped.
    env.cluster.advance(1_800_000);
    await env.cluster.settle();
    expect(await jobsOf('exclusive')).toHaveLength(1);
    expect(await eventsOf('CronJob', 'exclusive')).toContainEqual({
      reason: 'JobAlreadyActive',
      message: 'Not starting job because prior execution is running and concurrency policy is Forbid',
      type: 'Normal',
      component: 'cronjob-controller',
    });
  });

  it('sees its Job complete and records lastSuccessfulTime', async () => {
    const cj = await createCronJob('hourly');
    const created = cj.metadata!.creationTimestamp!.getTime();
    const at = Math.floor(created / 1_800_000) * 1_800_000 + 1_800_000;
    env.cluster.advance(at - created + 1000);
    await env.cluster.settle();
    const name = `hourly-${at / 60_000}`;
    const pod = (await env.c.core.listNamespacedPod({ namespace: ns, labelSelector: `job-name=${name}` })).items[0]!;
    await finishPod(pod, 'Succeeded');
    const status = (await batch().readNamespacedCronJob({ name: 'hourly', namespace: ns })).status;
    expect(status?.active).toBeUndefined();
    expect(status?.lastSuccessfulTime).toBeDefined();
    expect(await eventsOf('CronJob', 'hourly')).toContainEqual({ reason: 'SawCompletedJob', message: `Saw completed job: ${name}, condition: Complete`, type: 'Normal', component: 'cronjob-controller' });
  });
});

describe('sandbox cron schedules', () => {
  const next = (schedule: string, after: string) => new Date(parseCron(schedule).next(Date.parse(after))).toISOString();

  it('reads steps, ranges, names and macros in UTC', () => {
    expect(next('*/15 * * * *', '2026-03-01T10:07:00Z')).toBe('2026-03-01T10:15:00.000Z');
    expect(next('0 9-17/4 * * mon-fri', '2026-03-06T18:00:00Z')).toBe('2026-03-09T09:00:00.000Z');
    expect(next('@monthly', '2026-03-01T00:00:00Z')).toBe('2026-04-01T00:00:00.000Z');
    expect(next('TZ=Europe/Paris 30 2 * jan *', '2026-03-01T00:00:00Z')).toBe('2027-01-01T02:30:00.000Z');
  });

  it('matches either day field when both are restricted, as cron does', () => {
    // The 13th, or any Friday.
    expect(next('0 0 13 * 5', '2026-03-01T00:00:00Z')).toBe('2026-03-06T00:00:00.000Z');
    expect(next('0 0 13 * 5', '2026-03-07T00:00:00Z')).toBe('2026-03-13T00:00:00.000Z');
  });

  it('rejects schedules without five fields', () => {
    expect(() => parseCron('* * *')).toThrow('expected exactly 5 fields, found 3: * * *');
  });
});
