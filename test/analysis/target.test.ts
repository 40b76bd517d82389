import { describe, expect, it } from 'vitest';
import { gatherEvidence } from '../../src/analysis/gather.js';
import { runAnalyzers } from '../../src/analysis/run-analyzers.js';
import { targetOfIncident } from '../../src/analysis/target.js';
import type { Incident } from '../../src/core/incident.js';
import { targetFromLabels } from '../../src/intake/target.js';
import { emptyWorld, fakeReader, now } from './fixtures.js';
import { apiWorld, cartWorld } from './scenario-worlds.js';

/** An incident as intake makes it from an Alertmanager alert's labels. */
const alerted = (labels: Record<string, string>) => ({ title: `${labels.alertname ?? 'alert'}: firing`, labels, target: targetFromLabels(labels) }) as unknown as Incident;

/** What kube-state-metrics' own scrape target adds to a series (kube-prometheus keeps job and container). */
const ksm = { job: 'kube-state-metrics', instance: '10.0.3.7:8443', container: 'kube-rbac-proxy-main' };

describe('targetOfIncident reads the object labels kube-state-metrics alerts carry', () => {
  it('job_name is the Job (job is the scrape job), cronjob the CronJob, persistentvolumeclaim the claim, poddisruptionbudget the budget', () => {
    expect(targetOfIncident(alerted({ alertname: 'KubeJobFailed', namespace: 'shop', job_name: 'migrate', condition: 'Failed', ...ksm })).target).toMatchObject({ namespace: 'shop', job: 'migrate' });
    expect(targetOfIncident(alerted({ alertname: 'KubeCronJobSuspended', namespace: 'shop', cronjob: 'report' })).target).toMatchObject({ cronjob: 'report' });
    expect(targetOfIncident(alerted({ alertname: 'KubePersistentVolumeClaimPending', namespace: 'shop', persistentvolumeclaim: 'data', ...ksm })).target).toMatchObject({ pvc: 'data' });
    expect(targetOfIncident(alerted({ alertname: 'PdbAtLimit', namespace: 'shop', poddisruptionbudget: 'checkout' })).target).toMatchObject({ pdb: 'checkout' });
    expect(targetOfIncident(alerted({ alertname: 'KubeJobFailed', namespace: 'shop', job_name: 'migrate', ...ksm })).target.names).toBeUndefined();
  });

  it('service names the Service only when no more precise object is named', () => {
    expect(targetOfIncident(alerted({ alertname: 'ServiceDown', namespace: 'shop', service: 'frontend' })).target).toMatchObject({ service: 'frontend' });
    // kube-prometheus-stack keeps the scrape target's own pod and service on every series.
    const stack = { job: 'kube-state-metrics', pod: 'kube-prometheus-stack-kube-state-metrics-7d9c8b6f5-abcde', service: 'kube-prometheus-stack-kube-state-metrics' };
    const deployment = targetOfIncident(alerted({ alertname: 'KubeDeploymentReplicasMismatch', namespace: 'shop', deployment: 'worker', ...stack })).target;
    expect(deployment).toMatchObject({ deployment: 'worker' });
    expect(deployment.service).toBeUndefined();
    const job = targetOfIncident(alerted({ alertname: 'KubeJobFailed', namespace: 'shop', job_name: 'migrate', ...stack })).target;
    expect(job).toMatchObject({ job: 'migrate' });
    expect(job.service).toBeUndefined();
  });
});

describe('gathering what those labels name', () => {
  it('a Service brings the workload its selector picks, so the pods\u2019 own failures are found', async () => {
    const w = cartWorld();
    w.services.push({ metadata: { name: 'cart', namespace: 'shop' }, spec: { selector: { app: 'cart' }, ports: [{ port: 80 }] } });
    const evidence = await gatherEvidence(fakeReader(w), targetOfIncident(alerted({ alertname: 'ServiceDown', namespace: 'shop', service: 'cart' })).target);
    expect(evidence.focus).toEqual({ kind: 'Service', name: 'cart' });
    expect(evidence.workload?.ref).toEqual({ kind: 'Deployment', namespace: 'shop', name: 'cart' });
    expect(runAnalyzers(evidence, now).findings.map((f) => f.analyzer)).toContain('oom-killed');
  });

  it('a PodDisruptionBudget brings its workload, so the extra replica that cures it is proposed', async () => {
    const w = apiWorld();
    for (const p of w.pods) p.status = { ...p.status, conditions: [{ type: 'Ready', status: 'True' }] };
    w.pdbs.push({ metadata: { name: 'api', namespace: 'shop' }, spec: { minAvailable: 2, selector: { matchLabels: { app: 'api' } } } });
    const evidence = await gatherEvidence(fakeReader(w), targetOfIncident(alerted({ alertname: 'PdbAtLimit', namespace: 'shop', poddisruptionbudget: 'api' })).target);
    const r = runAnalyzers(evidence, now);
    expect(r.findings.map((f) => f.object)).toContain('PodDisruptionBudget/shop/api');
    expect(r.proposals.map((p) => p.action)).toContainEqual({ type: 'scale', namespace: 'shop', kind: 'Deployment', name: 'api', replicas: 3 });
  });

  it('a CronJob run whose Job is gone (history limit) is looked at through its CronJob', async () => {
    const w = emptyWorld();
    w.cronJobs.push({ metadata: { name: 'report', namespace: 'shop' }, spec: { schedule: '* * * * *', jobTemplate: { spec: { template: { spec: { containers: [] } } } } }, status: {} });
    w.jobs.push({
      metadata: { name: 'report-29000002', namespace: 'shop', creationTimestamp: new Date(now - 60_000), ownerReferences: [{ apiVersion: 'batch/v1', kind: 'CronJob', name: 'report', uid: 'c', controller: true }] },
      status: { failed: 1, conditions: [{ type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' }] },
    });
    const evidence = await gatherEvidence(fakeReader(w), targetOfIncident(alerted({ alertname: 'KubeJobFailed', namespace: 'shop', job_name: 'report-29000001' })).target);
    expect(evidence.focus).toEqual({ kind: 'CronJob', name: 'report' });
    expect(evidence.notes).toContain('Job report-29000001 not found in shop; looking at CronJob report, whose run it was');
    expect(runAnalyzers(evidence, now).findings[0]).toMatchObject({ kind: 'cronjob-job-failed', object: 'CronJob/shop/report' });
  });

  it("a scrape target's pod label that names no pod here does not hide the HPA", async () => {
    const labels = { alertname: 'KubeHpaMaxedOut', namespace: 'shop', horizontalpodautoscaler: 'api', pod: 'kube-prometheus-stack-kube-state-metrics-7d9c8b6f5-abcde' };
    const evidence = await gatherEvidence(fakeReader(apiWorld()), targetOfIncident(alerted(labels)).target);
    expect(evidence.workload?.ref.name).toBe('api');
    expect(runAnalyzers(evidence, now).findings.map((f) => f.analyzer)).toContain('hpa-at-max');
  });
});
