import type { V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { analyzeCpuSaturation } from '../../../src/analysis/analyzers/cpu-saturation.js';
import { analyzeCronJob } from '../../../src/analysis/analyzers/cronjob.js';
import { analyzeDaemonSetUnscheduled } from '../../../src/analysis/analyzers/daemonset-unscheduled.js';
import { analyzeEvictions } from '../../../src/analysis/analyzers/evictions.js';
import { analyzeHpaUnable } from '../../../src/analysis/analyzers/hpa-unable.js';
import { analyzeJobFailed } from '../../../src/analysis/analyzers/job-failed.js';
import { analyzeNodePressure } from '../../../src/analysis/analyzers/node-pressure.js';
import { analyzePdbBlocking } from '../../../src/analysis/analyzers/pdb-blocking.js';
import { analyzeServiceEndpoints } from '../../../src/analysis/analyzers/service-endpoints.js';
import { analyzeServiceTargetPort } from '../../../src/analysis/analyzers/service-target-port.js';
import { analyzeStatefulSetStuck } from '../../../src/analysis/analyzers/statefulset-stuck.js';
import { runAnalyzers } from '../../../src/analysis/run-analyzers.js';
import { ev, evidenceOf, podOf, workloadRef } from './evidence.js';

const now = Date.parse('2026-11-21T12:00:00Z');
const ready = (p: V1Pod, r: boolean) => ({ ...p, status: { phase: 'Running', conditions: [{ type: 'Ready', status: r ? 'True' : 'False' }] } });
const nsWide = { focus: { kind: 'Namespace' as const, name: 'shop' } };

describe('service-endpoints and service-target-port', () => {
  const web = ready(podOf('web', 'a', { ports: [{ name: 'http', containerPort: 8080 }] }), true);
  const svc = (selector: Record<string, string>, targetPort: number | string = 8080) => ({ metadata: { name: 'web', namespace: 'shop' }, spec: { selector, ports: [{ port: 80, targetPort, protocol: 'TCP' }] } });

  it('a selector that matches nothing, with the closest labels as the fix', () => {
    const r = analyzeServiceEndpoints(evidenceOf(nsWide, { pods: [web], services: [svc({ app: 'web-frontend' })] }), now);
    expect(r.findings[0]).toMatchObject({ kind: 'service-selector-mismatch', object: 'Service/shop/web' });
    expect(r.findings[0]?.fix).toContain('{"spec":{"selector":{"app":"web"}}}');
  });

  it('selected pods none Ready: no endpoints', () => {
    const r = analyzeServiceEndpoints(evidenceOf(nsWide, { pods: [ready(web, false)], services: [svc({ app: 'web' })], endpoints: [{ metadata: { name: 'web' }, subsets: [{ notReadyAddresses: [{ ip: '10.244.1.5' }] }] }] }), now);
    expect(r.findings[0]).toMatchObject({ kind: 'service-no-endpoints' });
    expect(r.findings[0]?.evidence).toContain('Endpoints web: 0 ready, 1 not ready address(es)');
  });

  it('a healthy Service and a named targetPort say nothing', () => {
    const e = evidenceOf(nsWide, { pods: [web], services: [svc({ app: 'web' }, 'http')], endpoints: [{ metadata: { name: 'web' }, subsets: [{ addresses: [{ ip: '10.244.1.5' }] }] }] });
    expect(analyzeServiceEndpoints(e, now).findings).toEqual([]);
    expect(analyzeServiceTargetPort(e, now).findings).toEqual([]);
  });

  it('a targetPort no container exposes', () => {
    const r = analyzeServiceTargetPort(evidenceOf(nsWide, { pods: [web], services: [svc({ app: 'web' }, 9090)] }), now);
    expect(r.findings[0]).toMatchObject({ kind: 'service-target-port', object: 'Service/shop/web' });
    expect(r.findings[0]?.fix).toContain('"value":"http"');
  });

  it('a workload incident only looks at the Services that select it', () => {
    const e = evidenceOf({ workload: workloadRef('other'), pods: [podOf('other', 'a', {})] }, { pods: [web], services: [svc({ app: 'web-frontend' })] });
    expect(analyzeServiceEndpoints(e, now).findings).toEqual([]);
  });

  it('a workload incident sees the Service named like the workload whose selector has a typo, and fixes it to the workload\'s labels', () => {
    const reviews = ready(podOf('reviews', 'a', {}), true);
    const named = { metadata: { name: 'reviews', namespace: 'shop' }, spec: { selector: { app: 'review' }, ports: [{ port: 80, targetPort: 8080 }] } };
    // Another app's pod comes first in the namespace: the fix must still name the workload's labels.
    const e = evidenceOf({ workload: workloadRef('reviews'), pods: [reviews] }, { pods: [web, reviews], services: [named, svc({ app: 'web-frontend' })] });
    const r = analyzeServiceEndpoints(e, now);
    expect(r.findings).toHaveLength(1);
    expect(r.findings[0]).toMatchObject({ kind: 'service-selector-mismatch', object: 'Service/shop/reviews' });
    expect(r.findings[0]?.evidence).toContain('closest pods carry app=reviews');
    expect(r.findings[0]?.fix).toContain('{"spec":{"selector":{"app":"reviews"}}}');
  });
});

describe('jobs and cron jobs', () => {
  const job = (name: string, reason: string, message: string, owner?: string) => ({
    metadata: { name, namespace: 'shop', creationTimestamp: new Date(now - 60_000), ...(owner ? { ownerReferences: [{ apiVersion: 'batch/v1', kind: 'CronJob', name: owner, uid: 'cj', controller: true }] } : {}) },
    spec: { backoffLimit: 1, template: { spec: { containers: [] } } },
    status: { failed: 2, conditions: [{ type: 'Failed', status: 'True', reason, message }] },
  });

  it('a Job past its backoff limit, with the failed pod’s log line', () => {
    const failedPod: V1Pod = { metadata: { name: 'migrate-x1', namespace: 'shop', labels: { 'job-name': 'migrate' } }, status: { phase: 'Failed' } };
    const e = evidenceOf(
      { focus: { kind: 'Job', name: 'migrate' }, pods: [failedPod], logs: [{ pod: 'migrate-x1', container: 'migrate', previous: false, result: { ok: true, text: 'migrating\nerror: relation "orders" does not exist\n', truncated: false } }] },
      { jobs: [job('migrate', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit')] },
    );
    const r = analyzeJobFailed(e, now);
    expect(r.findings[0]).toMatchObject({ kind: 'job-backoff-limit', object: 'Job/shop/migrate' });
    expect(r.findings[0]?.summary).toContain('Last error: error: relation "orders" does not exist');
  });

  it('a CronJob missing its starts, from the controller’s event', () => {
    const cj = { metadata: { name: 'report', namespace: 'shop' }, spec: { schedule: '*/5 * * * *', startingDeadlineSeconds: 10, jobTemplate: { spec: { template: { spec: { containers: [] } } } } }, status: {} };
    const e = evidenceOf({ focus: { kind: 'CronJob', name: 'report' } }, { cronJobs: [cj], events: [ev('CronJob', 'report', 'Warning', 'TooManyMissedTimes', 'too many missed start times: 101. Set or decrease .spec.startingDeadlineSeconds or check clock skew')] });
    expect(analyzeCronJob(e, now).findings[0]).toMatchObject({ kind: 'cronjob-missed-starts', object: 'CronJob/shop/report' });
  });

  it('a CronJob whose latest Job failed', () => {
    const cj = { metadata: { name: 'report', namespace: 'shop' }, spec: { schedule: '* * * * *', jobTemplate: { spec: { template: { spec: { containers: [] } } } } }, status: {} };
    const e = evidenceOf({ focus: { kind: 'CronJob', name: 'report' } }, { cronJobs: [cj], jobs: [job('report-29000001', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit', 'report')] });
    expect(analyzeCronJob(e, now).findings[0]).toMatchObject({ kind: 'cronjob-job-failed', object: 'CronJob/shop/report' });
  });

  it('a failed Job of a CronJob: the CronJob’s failing runs first, then the Job', () => {
    const cj = { metadata: { name: 'report', namespace: 'shop' }, spec: { schedule: '* * * * *', suspend: true, jobTemplate: { spec: { template: { spec: { containers: [] } } } } }, status: {} };
    const e = evidenceOf({ focus: { kind: 'Job', name: 'report-29000001' } }, { cronJobs: [cj], jobs: [job('report-29000001', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit', 'report')] });
    expect(runAnalyzers(e, now).findings.map((f) => [f.kind, f.object])).toEqual([
      ['cronjob-job-failed', 'CronJob/shop/report'],
      ['job-backoff-limit', 'Job/shop/report-29000001'],
    ]);
  });

  it('a CronJob whose latest finished Job failed while the next run is still going', () => {
    const cj = { metadata: { name: 'report', namespace: 'shop' }, spec: { schedule: '* * * * *', jobTemplate: { spec: { template: { spec: { containers: [] } } } } }, status: {} };
    const failed = { ...job('report-29000001', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit', 'report'), metadata: { ...job('report-29000001', '', '', 'report').metadata, creationTimestamp: new Date(now - 120_000) } };
    const running = { metadata: { name: 'report-29000002', namespace: 'shop', creationTimestamp: new Date(now - 30_000), ownerReferences: [{ apiVersion: 'batch/v1', kind: 'CronJob', name: 'report', uid: 'c', controller: true }] }, status: { active: 1 } };
    const e = evidenceOf({ focus: { kind: 'CronJob', name: 'report' } }, { cronJobs: [cj], jobs: [running, failed] });
    expect(analyzeCronJob(e, now).findings[0]).toMatchObject({ kind: 'cronjob-job-failed', title: 'CronJob report: its latest Job report-29000001 failed' });
  });
});

describe('workload controllers', () => {
  it('a DaemonSet kept off a node by a taint it does not tolerate; control-plane taints are intended', () => {
    const ds = { metadata: { name: 'agent', namespace: 'shop' }, spec: { selector: { matchLabels: { app: 'agent' } }, template: { spec: { containers: [] } } }, status: { desiredNumberScheduled: 1, currentNumberScheduled: 1, numberMisscheduled: 0, numberReady: 1 } };
    const pod: V1Pod = { metadata: { name: 'agent-x', namespace: 'shop', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'agent', uid: 'd', controller: true }] }, spec: { nodeName: 'node-1', containers: [] }, status: { phase: 'Running' } };
    const nodes = [
      { metadata: { name: 'node-1' } },
      { metadata: { name: 'gpu-1' }, spec: { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] } },
      { metadata: { name: 'cp-1' }, spec: { taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] } },
    ];
    const r = analyzeDaemonSetUnscheduled(evidenceOf({ workload: { ref: { kind: 'DaemonSet', namespace: 'shop', name: 'agent' }, daemonSet: ds, replicaSets: [], events: [] }, nodes }, { pods: [pod] }), now);
    expect(r.findings[0]).toMatchObject({ kind: 'daemonset-unscheduled', object: 'DaemonSet/shop/agent' });
    expect(r.findings[0]?.summary).toContain('Nodes gpu-1 carry taints');
    expect(r.findings[0]?.fix).toContain('{key: "dedicated", operator: "Exists", effect: "NoSchedule"}');
  });

  it('a StatefulSet stuck at the lowest pod that is not Ready', () => {
    const sts = { metadata: { name: 'db', namespace: 'shop' }, spec: { replicas: 3, serviceName: 'db', selector: {}, template: {} }, status: { replicas: 2, readyReplicas: 1, currentRevision: 'db-1', updateRevision: 'db-2' } };
    const owned = (n: number, isReady: boolean): V1Pod => ({ metadata: { name: `db-${n}`, namespace: 'shop', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'db', uid: 's', controller: true }] }, status: { phase: 'Running', conditions: [{ type: 'Ready', status: isReady ? 'True' : 'False' }] } });
    const r = analyzeStatefulSetStuck(evidenceOf({ workload: { ref: { kind: 'StatefulSet', namespace: 'shop', name: 'db' }, statefulSet: sts, replicaSets: [], events: [] } }, { pods: [owned(0, true), owned(1, false)] }), now);
    expect(r.findings[0]).toMatchObject({ kind: 'statefulset-stuck', object: 'Pod/shop/db-1' });
    expect(r.findings[0]?.summary).toContain('A rollout from db-1 to db-2 is stuck on it');
  });

  it('a StatefulSet stuck on a crash-looping first pod names it even while it is Ready between two crashes', () => {
    const sts = { metadata: { name: 'db', namespace: 'shop' }, spec: { replicas: 3, serviceName: 'db', selector: {}, template: {} }, status: { replicas: 1, readyReplicas: 0, currentRevision: 'db-1', updateRevision: 'db-1' } };
    const db0: V1Pod = {
      metadata: { name: 'db-0', namespace: 'shop', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'db', uid: 's', controller: true }] },
      status: {
        phase: 'Running',
        conditions: [{ type: 'Ready', status: 'True' }],
        containerStatuses: [{ name: 'db', image: 'db:1', imageID: '', ready: true, restartCount: 4, lastState: { terminated: { exitCode: 1, reason: 'Error' } }, state: { running: {} } }],
      },
    };
    const r = analyzeStatefulSetStuck(evidenceOf({ workload: { ref: { kind: 'StatefulSet', namespace: 'shop', name: 'db' }, statefulSet: sts, replicaSets: [], events: [] } }, { pods: [db0] }), now);
    expect(r.findings[0]).toMatchObject({ kind: 'statefulset-stuck', object: 'Pod/shop/db-0' });
    expect(r.findings[0]?.summary).toContain('does not stay Ready for long (container db restarted 4 times, last exit code 1 Error)');
  });

  it('a StatefulSet stuck on a pod that cannot be scheduled heads the findings and says why that pod waits', () => {
    const sts = { metadata: { name: 'db', namespace: 'shop' }, spec: { replicas: 3, serviceName: 'db', selector: {}, template: {} }, status: { replicas: 1, readyReplicas: 0 } };
    const message = '0/2 nodes are available: 2 Insufficient memory. preemption: 0/2 nodes are available: 2 No preemption victims found for incoming pod.';
    const db0: V1Pod = {
      metadata: { name: 'db-0', namespace: 'shop', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'db', uid: 's', controller: true }] },
      spec: { containers: [{ name: 'db', image: 'db:1', resources: { requests: { memory: '20Gi' } } }] },
      status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message }] },
    };
    const e = evidenceOf({ workload: { ref: { kind: 'StatefulSet', namespace: 'shop', name: 'db' }, statefulSet: sts, replicaSets: [], events: [] }, pods: [db0], totalPods: 1 }, { pods: [db0] });
    const { findings } = runAnalyzers(e, now);
    expect(findings[0]).toMatchObject({ kind: 'statefulset-stuck', object: 'Pod/shop/db-0' });
    expect(findings[0]?.summary).toContain(`Pod db-0 is not Ready (Pending: Unschedulable ${message})`);
  });

  it('a PDB whose status allows nothing; a maxUnavailable 1 budget is fine', () => {
    const pdb = (spec: object, status?: object) => ({ metadata: { name: 'web', namespace: 'shop' }, spec: { selector: { matchLabels: { app: 'web' } }, ...spec }, ...(status ? { status } : {}) });
    const pods = [ready(podOf('web', 'a', {}), true), ready(podOf('web', 'b', {}), true)];
    const e = (p: object) => evidenceOf({ workload: { ...workloadRef('web'), deployment: { spec: { replicas: 2, selector: {}, template: { metadata: { labels: { app: 'web' } } } } } }, pods }, { pods, pdbs: [p] });
    const blocked = analyzePdbBlocking(e(pdb({ minAvailable: 2 }, { observedGeneration: 1, expectedPods: 2, currentHealthy: 2, desiredHealthy: 2, disruptionsAllowed: 0 })), now);
    expect(blocked.findings[0]).toMatchObject({ kind: 'pdb-blocking', object: 'PodDisruptionBudget/shop/web' });
    expect(blocked.proposals.map((p) => p.action)).toEqual([{ type: 'scale', namespace: 'shop', kind: 'Deployment', name: 'web', replicas: 3 }]);
    expect(analyzePdbBlocking(e(pdb({ maxUnavailable: 1 })), now).findings).toEqual([]);
  });

  it('an HPA that cannot compute CPU utilization for lack of requests', () => {
    const hpa = {
      metadata: { name: 'worker', namespace: 'shop' },
      spec: { scaleTargetRef: { kind: 'Deployment', name: 'worker' }, maxReplicas: 4 },
      status: { desiredReplicas: 1, conditions: [{ type: 'ScalingActive', status: 'False', reason: 'FailedGetResourceMetric', message: 'the HPA was unable to compute the replica count: failed to get cpu utilization: missing request for cpu in container worker of Pod worker-7d9f-a' }] },
    };
    const r = analyzeHpaUnable(evidenceOf({ hpas: [hpa] }), now);
    expect(r.findings[0]).toMatchObject({ kind: 'hpa-unable-to-scale', object: 'Deployment/shop/worker' });
    expect(r.findings[0]?.fix).toContain('container worker of Deployment/worker');
    expect(r.findings[0]?.fix).toContain('--requests=cpu=<value>');
  });
});

describe('nodes, evictions and CPU', () => {
  it('node pressure from the kubelet’s condition', () => {
    const node = { metadata: { name: 'node-1' }, status: { conditions: [{ type: 'DiskPressure', status: 'True', reason: 'KubeletHasDiskPressure', message: 'kubelet has disk pressure' }] } };
    const r = analyzeNodePressure(evidenceOf({ nodes: [node], targetNode: 'node-1' }), now);
    expect(r.findings[0]).toMatchObject({ kind: 'node-disk-pressure', object: 'Node/node-1' });
  });

  it('evictions quote the kubelet’s message; a workload evicted for its own use above its request is the root cause', () => {
    const evicted: V1Pod = { ...podOf('web', 'z', {}), status: { phase: 'Failed', reason: 'Evicted', message: 'The node was low on resource: memory. Threshold quantity: 100Mi, available: 60Mi. Container web was using 600Mi, request is 128Mi, has larger consumption of memory. ' } };
    const other: V1Pod = { ...podOf('web', 'y', {}, {}, { nodeName: 'node-2' }), status: { ...evicted.status } };
    const r = analyzeEvictions(evidenceOf({ pods: [evicted, other], workload: workloadRef('web') }), now);
    expect(r.findings[0]).toMatchObject({ kind: 'pod-evicted', object: 'Deployment/shop/web', severity: 'critical', title: 'deployment/web in shop: 2 pod(s) evicted for using more memory than they request' });
    expect(r.findings[0]?.summary).toContain('The kubelet on node-1 and node-2 ran low on memory (threshold 100Mi, available 60Mi)');
    expect(r.findings[0]?.summary).toContain('Container web was using 600Mi, request is 128Mi');
    expect(r.findings[0]?.fix).toContain('kubectl -n shop set resources deployment/web -c web --requests=memory=600Mi');
    expect(r.proposals).toEqual([]);
  });

  it('pods evicted within their requests: the nodes ran out on their own', () => {
    const evicted: V1Pod = { ...podOf('web', 'z', {}), status: { phase: 'Failed', reason: 'Evicted', message: 'The node was low on resource: memory. Threshold quantity: 100Mi, available: 0. ' } };
    const r = analyzeEvictions(evidenceOf({ pods: [evicted], workload: workloadRef('web') }), now);
    expect(r.findings[0]).toMatchObject({ kind: 'pod-evicted', object: 'Node/node-1', severity: 'warning', title: '1 pod(s) evicted from node node-1 (low on memory)' });
    expect(r.findings[0]?.summary).toContain('stayed within their requests');
  });

  it('CPU at its limit is throttling; below 90% is not', () => {
    const pods = [podOf('api', 'a', { resources: { limits: { cpu: '500m' } } }), podOf('api', 'b', { resources: { limits: { cpu: '500m' } } })];
    const usage = (cpu: string) => pods.map((p) => ({ namespace: 'shop', name: p.metadata!.name!, containers: [{ name: 'api', cpu, memory: '100Mi' }] }));
    const hot = analyzeCpuSaturation(evidenceOf({ pods, workload: workloadRef('api') }, { usage: usage('498000000n') }), now);
    expect(hot.findings[0]).toMatchObject({ kind: 'cpu-throttling', object: 'Deployment/shop/api' });
    expect(hot.proposals.map((p) => p.action)).toEqual([{ type: 'set_resources', namespace: 'shop', kind: 'Deployment', name: 'api', container: 'api', limits: { cpu: '1' } }]);
    expect(analyzeCpuSaturation(evidenceOf({ pods, workload: workloadRef('api') }, { usage: usage('300m') }), now).findings).toEqual([]);
  });
});

describe('hpa-unable wording across versions', () => {
  it('reads the quoted container name of newer controllers', () => {
    const hpa = {
      metadata: { name: 'api', namespace: 'shop' },
      spec: { scaleTargetRef: { kind: 'Deployment', name: 'api' }, maxReplicas: 4 },
      status: { desiredReplicas: 1, conditions: [{ type: 'ScalingActive', status: 'False', reason: 'FailedGetResourceMetric', message: 'the HPA was unable to compute the replica count: failed to get cpu utilization: missing request for cpu in container "api" of Pod "api-7d9f-a"' }] },
    };
    expect(analyzeHpaUnable(evidenceOf({ hpas: [hpa] }), now).findings[0]?.fix).toContain('container api of Deployment/api');
  });
});
