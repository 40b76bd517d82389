import { describe, expect, it } from 'vitest';
import { analyzeConfigError } from '../../../src/analysis/analyzers/config-error.js';
import { analyzeCrashLoop } from '../../../src/analysis/analyzers/crash-loop.js';
import { analyzeFailingProbes } from '../../../src/analysis/analyzers/failing-probes.js';
import { analyzeOomKilled } from '../../../src/analysis/analyzers/oom-killed.js';
import { analyzeFailedMount } from '../../../src/analysis/analyzers/failed-mount.js';
import { analyzeImagePull } from '../../../src/analysis/analyzers/image-pull.js';
import { analyzeMissingPullSecret } from '../../../src/analysis/analyzers/missing-pull-secret.js';
import { analyzeProbePort } from '../../../src/analysis/analyzers/probe-port.js';
import { analyzeProbeTiming } from '../../../src/analysis/analyzers/probe-timing.js';
import { runAnalyzers } from '../../../src/analysis/run-analyzers.js';
import { verdictOf } from '../../../src/analysis/sweep/verdict.js';
import { ev, evidenceOf, podOf, workloadRef } from './evidence.js';

const now = Date.parse('2026-11-21T12:00:00Z');
const waiting = (reason: string, message: string) => ({ phase: 'Pending', containerStatuses: [{ name: 'web', image: 'x', imageID: '', ready: false, restartCount: 0, state: { waiting: { reason, message } } }] });

describe('image-pull', () => {
  const pull = (image: string, message: string) => {
    const pod = podOf('web', 'a', { name: 'web', image }, waiting('ErrImagePull', message));
    return analyzeImagePull(evidenceOf({ pods: [pod], workload: workloadRef('web') }), now);
  };

  it('tells a missing tag from the runtime message and gives the fix as text', () => {
    const r = pull('registry.example.com/shop/web:9.9.9', 'rpc error: code = NotFound desc = failed to pull and unpack image "registry.example.com/shop/web:9.9.9": failed to resolve reference "registry.example.com/shop/web:9.9.9": registry.example.com/shop/web:9.9.9: not found');
    expect(r.findings[0]).toMatchObject({ kind: 'image-not-found', object: 'Deployment/shop/web' });
    expect(r.findings[0]?.fix).toContain('registry.example.com/shop/web:<existing tag>');
    expect(r.proposals).toEqual([]);
  });

  it('finds the runtime’s reason in the pull events while the container waits in back-off', () => {
    const pod = podOf('web', 'a', { name: 'web', image: 'registry.example.com/shop/web:9.9.9' }, waiting('ImagePullBackOff', 'Back-off pulling image "registry.example.com/shop/web:9.9.9"'));
    const events = [
      ev('Pod', pod.metadata!.name!, 'Warning', 'Failed', 'Error: ImagePullBackOff'),
      ev('Pod', pod.metadata!.name!, 'Warning', 'Failed', 'Error: ErrImagePull'),
      ev('Pod', pod.metadata!.name!, 'Warning', 'Failed', 'Failed to pull image "registry.example.com/shop/web:9.9.9": rpc error: code = NotFound desc = registry.example.com/shop/web:9.9.9: not found'),
    ];
    const r = analyzeImagePull(evidenceOf({ pods: [pod], podEvents: { [pod.metadata!.name!]: events }, workload: workloadRef('web') }), now);
    expect(r.findings[0]).toMatchObject({ kind: 'image-not-found' });
    expect(r.findings[0]?.evidence.join('\n')).toContain('not found');
  });

  it('tells a registry DNS failure', () => {
    const r = pull('registry.shop.invalid/web:1.0', 'failed to do request: Head "https://registry.shop.invalid/v2/web/manifests/1.0": dial tcp: lookup registry.shop.invalid on 10.96.0.10:53: no such host');
    expect(r.findings[0]).toMatchObject({ kind: 'registry-dns' });
    expect(r.findings[0]?.summary).toContain('registry.shop.invalid does not resolve');
  });

  it('tells an access refusal', () => {
    const r = pull('ghcr.io/acme/private:1', 'pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed');
    expect(r.findings[0]).toMatchObject({ kind: 'image-pull-auth' });
  });
});

describe('missing-pull-secret', () => {
  it("names the Secret from the kubelet's FailedToRetrieveImagePullSecret event", () => {
    const pod = podOf('web', 'a', {}, {}, { imagePullSecrets: [{ name: 'regcred' }] });
    const e = ev('Pod', 'web-7d9f-a', 'Warning', 'FailedToRetrieveImagePullSecret', 'Unable to retrieve some image pull secrets (regcred); attempting to pull the image may not succeed.');
    const r = analyzeMissingPullSecret(evidenceOf({ pods: [pod], podEvents: { 'web-7d9f-a': [e] } }), now);
    expect(r.findings[0]).toMatchObject({ kind: 'missing-image-pull-secret', object: 'Secret/shop/regcred' });
    expect(r.findings[0]?.fix).toContain('create secret docker-registry regcred');
  });
});

describe('config-error', () => {
  const run = (message: string, configMaps = [{ name: 'app-config', keys: ['level'] }]) =>
    analyzeConfigError(evidenceOf({ pods: [podOf('web', 'a', { name: 'web' }, waiting('CreateContainerConfigError', message))], workload: workloadRef('web') }, { configMaps }), now);

  it('a missing ConfigMap is the root cause object', () => {
    expect(run('configmap "app-config" not found').findings[0]).toMatchObject({ kind: 'missing-configmap', object: 'ConfigMap/shop/app-config' });
  });

  it('a missing Secret is named, never read', () => {
    const f = run('secret "db-credentials" not found').findings[0];
    expect(f).toMatchObject({ kind: 'missing-secret', object: 'Secret/shop/db-credentials' });
    expect(f?.fix).toContain('create secret generic db-credentials');
  });

  it('a missing key lists the keys the ConfigMap has', () => {
    const f = run("couldn't find key mode in ConfigMap shop/app-config").findings[0];
    expect(f).toMatchObject({ kind: 'missing-key', object: 'ConfigMap/shop/app-config' });
    expect(f?.title).toContain('it has: level');
    expect(f?.fix).toContain(`"data":{"mode":"<value>"}`);
  });
});

describe('failed-mount', () => {
  it("names the volume's missing ConfigMap from the FailedMount event", () => {
    const pod = podOf('proxy', 'a', {}, { phase: 'Pending' }, { volumes: [{ name: 'config', configMap: { name: 'nginx-conf' } }] });
    const e = ev('Pod', 'proxy-7d9f-a', 'Warning', 'FailedMount', 'MountVolume.SetUp failed for volume "config" : configmap "nginx-conf" not found');
    const r = analyzeFailedMount(evidenceOf({ pods: [pod], podEvents: { 'proxy-7d9f-a': [e] } }), now);
    expect(r.findings[0]).toMatchObject({ kind: 'failed-mount', object: 'ConfigMap/shop/nginx-conf' });
  });
});

describe('probe-port and probe-timing', () => {
  const probeEvent = (message: string) => ev('Pod', 'web-7d9f-a', 'Warning', 'Unhealthy', message, { involvedObject: { kind: 'Pod', name: 'web-7d9f-a', namespace: 'shop', fieldPath: 'spec.containers{web}' } });

  it('a probe on a port the container does not declare: the declared port is the fix', () => {
    const pod = podOf('web', 'a', { name: 'web', ports: [{ containerPort: 8080 }], livenessProbe: { httpGet: { path: '/healthz', port: 8081 } } });
    const e = probeEvent('Liveness probe failed: Get "http://10.244.1.5:8081/healthz": dial tcp 10.244.1.5:8081: connect: connection refused');
    const r = analyzeProbePort(evidenceOf({ pods: [pod], podEvents: { 'web-7d9f-a': [e] } }), now);
    expect(r.findings[0]).toMatchObject({ kind: 'probe-wrong-port', object: 'Pod/shop/web-7d9f-a' });
    expect(r.findings[0]?.fix).toContain('httpGet.port to 8080');
  });

  it('an HTTPS probe against a plain HTTP server: the scheme is the fix', () => {
    const pod = podOf('web', 'a', { name: 'web', ports: [{ containerPort: 8080 }], readinessProbe: { httpGet: { path: '/ready', port: 8080, scheme: 'HTTPS' } } });
    const e = probeEvent('Readiness probe failed: Get "https://10.244.1.5:8080/ready": http: server gave HTTP response to HTTPS client');
    const r = analyzeProbePort(evidenceOf({ pods: [pod], podEvents: { 'web-7d9f-a': [e] } }), now);
    expect(r.findings[0]).toMatchObject({ kind: 'probe-wrong-scheme' });
    expect(r.findings[0]?.fix).toContain('scheme to HTTP');
  });

  it('a probe on the declared port is no port error', () => {
    const pod = podOf('web', 'a', { name: 'web', ports: [{ containerPort: 8080 }], livenessProbe: { tcpSocket: { port: 8080 } } });
    const e = probeEvent('Liveness probe failed: dial tcp 10.244.1.5:8080: connect: connection refused');
    expect(analyzeProbePort(evidenceOf({ pods: [pod], podEvents: { 'web-7d9f-a': [e] } }), now).findings).toEqual([]);
  });

  it('a liveness probe that kills the container at its budget each time: a slow starter', () => {
    const terminated = { exitCode: 137, reason: 'Error', startedAt: new Date('2026-11-21T11:58:00Z'), finishedAt: new Date('2026-11-21T11:58:21Z') };
    const pod = podOf('web', 'a', { name: 'web', ports: [{ containerPort: 8080 }], livenessProbe: { tcpSocket: { port: 8080 }, initialDelaySeconds: 5, periodSeconds: 5, failureThreshold: 3 } }, {
      phase: 'Running',
      containerStatuses: [{ name: 'web', image: 'x', imageID: '', ready: false, restartCount: 4, state: { running: {} }, lastState: { terminated } }],
    });
    const events = [
      probeEvent('Liveness probe failed: dial tcp 10.244.1.5:8080: connect: connection refused'),
      ev('Pod', 'web-7d9f-a', 'Normal', 'Killing', 'Container web failed liveness probe, will be restarted'),
    ];
    const r = analyzeProbeTiming(evidenceOf({ pods: [pod], podEvents: { 'web-7d9f-a': events } }), now);
    expect(r.findings[0]).toMatchObject({ kind: 'probe-kills-slow-start' });
    expect(r.findings[0]?.summary).toContain('= 20s');
    expect(r.findings[0]?.fix).toContain('startupProbe');
    // A container that ran for an hour before failing is not a slow starter.
    pod.status!.containerStatuses![0]!.lastState!.terminated!.startedAt = new Date('2026-11-21T10:00:00Z');
    expect(analyzeProbeTiming(evidenceOf({ pods: [pod], podEvents: { 'web-7d9f-a': events } }), now).findings).toEqual([]);
  });

  it('counts the termination grace period a killed program takes to die, and gives the exact patch; a crash before the budget or a startupProbe is something else', () => {
    const probe = { tcpSocket: { port: 8080 }, initialDelaySeconds: 5, periodSeconds: 5, failureThreshold: 3 };
    const ran = (seconds: number, startup = false) =>
      podOf('search', 'a', { name: 'search', ports: [{ containerPort: 8080 }], livenessProbe: probe, ...(startup ? { startupProbe: probe } : {}) }, {
        phase: 'Running',
        containerStatuses: [
          {
            name: 'search',
            image: 'x',
            imageID: '',
            ready: false,
            restartCount: 6,
            state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 1m20s restarting failed container=search pod=search-7d9f-a_shop(uid)' } },
            lastState: { terminated: { exitCode: 137, reason: 'Error', startedAt: new Date('2026-11-21T11:58:00Z'), finishedAt: new Date(Date.parse('2026-11-21T11:58:00Z') + seconds * 1000) } },
          },
        ],
      });
    const events = [
      ev('Pod', 'search-7d9f-a', 'Warning', 'Unhealthy', 'Liveness probe failed: dial tcp 10.244.1.5:8080: connect: connection refused', { involvedObject: { kind: 'Pod', name: 'search-7d9f-a', namespace: 'shop', fieldPath: 'spec.containers{search}' } }),
      ev('Pod', 'search-7d9f-a', 'Normal', 'Killing', 'Container search failed liveness probe, will be restarted'),
    ];
    const look = (pod: ReturnType<typeof ran>) => analyzeProbeTiming(evidenceOf({ pods: [pod], podEvents: { 'search-7d9f-a': events }, workload: workloadRef('search') }), now).findings;
    // Killed at 15s, SIGKILLed 30s later (the pod's default grace period): 45s runs.
    const [f] = look(ran(45));
    expect(f).toMatchObject({ kind: 'probe-kills-slow-start', object: 'Deployment/shop/search', severity: 'critical' });
    expect(f?.evidence).toContain('container search startupProbe: none');
    expect(f?.fix).toContain(`kubectl -n shop patch deployment search -p '{"spec":{"template":{"spec":{"containers":[{"name":"search","startupProbe":{"tcpSocket":{"port":8080},"periodSeconds":5,"failureThreshold":30}}]}}}}'`);
    expect(f?.fix).toContain(`"livenessProbe":{"initialDelaySeconds":150}`);
    // As root cause it wins over the crash loop and the failing probe it explains.
    const evidence = evidenceOf({ pods: [ran(45)], podEvents: { 'search-7d9f-a': events }, workload: workloadRef('search') });
    const verdict = verdictOf({ kind: 'Deployment', namespace: 'shop', name: 'search' }, { health: 'failing', reason: '0/1 ready' }, runAnalyzers(evidence, now), true);
    // The crash loop it causes reads as the kubelet's kills, not as the program exiting.
    expect(verdict.findings.find((x) => x.analyzer === 'crash-loop')?.summary).toContain('Container search is killed by the kubelet when its liveness probe fails (exit code 137, Error)');
    expect(verdict.findings[0]?.analyzer).toBe('probe-timing');
    expect(verdict.cause).toContain('the liveness probe kills container search before it has started');
    // A program that dies 3s after each start crashes on its own; with a startupProbe the timing is that probe's.
    expect(look(ran(3))).toEqual([]);
    expect(look(ran(45, true))).toEqual([]);
  });
});

describe('oom-killed and crash-loop', () => {
  const killed = (limit: string) =>
    podOf('cart', 'a', { name: 'cart', resources: { limits: { memory: limit } } }, {
      phase: 'Running',
      containerStatuses: [{ name: 'cart', image: 'x', imageID: '', ready: false, restartCount: 5, state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { exitCode: 137, reason: 'OOMKilled' } } }],
    });
  const node = { metadata: { name: 'node-1' }, status: { allocatable: { cpu: '4', memory: '8Gi' } } };

  it('proposes a doubled limit only when a node can hold it', () => {
    const fits = analyzeOomKilled(evidenceOf({ pods: [killed('1Gi')], nodes: [node], workload: workloadRef('cart') }), now);
    expect(fits.proposals.map((p) => p.action)).toEqual([{ type: 'set_resources', namespace: 'shop', kind: 'Deployment', name: 'cart', container: 'cart', limits: { memory: '2Gi' } }]);
    const tooBig = analyzeOomKilled(evidenceOf({ pods: [killed('6Gi')], nodes: [node], workload: workloadRef('cart') }), now);
    expect(tooBig.proposals).toEqual([]);
    expect(tooBig.findings[0]).toMatchObject({ kind: 'oom-killed', object: 'Deployment/shop/cart' });
    expect(tooBig.findings[0]?.fix).toContain('Raise the memory limit');
  });

  it('a crash loop with no rollout to undo gives the log line as the fix', () => {
    const pod = podOf('api', 'a', { name: 'api' }, {
      phase: 'Running',
      containerStatuses: [{ name: 'api', image: 'x', imageID: '', ready: false, restartCount: 7, state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { exitCode: 1, reason: 'Error' } } }],
    });
    const logs = [{ pod: 'api-7d9f-a', container: 'api', previous: true, result: { ok: true as const, text: 'starting\nFATAL config: DATABASE_URL is not set\n', truncated: false } }];
    const r = analyzeCrashLoop(evidenceOf({ pods: [pod], logs, workload: workloadRef('api') }), now);
    expect(r.findings[0]).toMatchObject({ kind: 'crash-loop', object: 'Deployment/shop/api' });
    expect(r.findings[0]?.fix).toContain('FATAL config: DATABASE_URL is not set');
    expect(r.proposals).toEqual([]);
  });

  it('a crash loop read just after a restart (running between back-offs) is still one; an old crash is not', () => {
    const running = (finishedAgoMs: number, restartCount = 7) =>
      podOf('api', 'a', { name: 'api' }, {
        phase: 'Running',
        containerStatuses: [{ name: 'api', image: 'x', imageID: '', ready: true, restartCount, state: { running: { startedAt: new Date(now - finishedAgoMs + 1000) } }, lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: new Date(now - finishedAgoMs) } } }],
      });
    const r = analyzeCrashLoop(evidenceOf({ pods: [running(20_000)], workload: workloadRef('api') }), now);
    expect(r.findings[0]).toMatchObject({ kind: 'crash-loop', object: 'Deployment/shop/api' });
    expect(r.findings[0]?.evidence[0]).toContain('1 just restarted after crashing');
    expect(analyzeCrashLoop(evidenceOf({ pods: [running(3 * 3600_000)], workload: workloadRef('api') }), now).findings).toEqual([]);
    expect(analyzeCrashLoop(evidenceOf({ pods: [running(20_000, 1)], workload: workloadRef('api') }), now).findings).toEqual([]);
  });
});

describe('failing-probes', () => {
  it('stays silent when a specific probe analyzer explains the failure, speaks otherwise', () => {
    const pod = podOf('web', 'a', { name: 'web', ports: [{ containerPort: 8080 }], readinessProbe: { httpGet: { path: '/ready', port: 8081 } } });
    const at = (message: string) => ({ 'web-7d9f-a': [ev('Pod', 'web-7d9f-a', 'Warning', 'Unhealthy', message)] });
    const wrongPort = evidenceOf({ pods: [pod], podEvents: at('Readiness probe failed: Get "http://10.244.1.5:8081/ready": dial tcp 10.244.1.5:8081: connect: connection refused') });
    expect(analyzeFailingProbes(wrongPort, now).findings).toEqual([]);
    const status503 = evidenceOf({ pods: [pod], podEvents: at('Readiness probe failed: HTTP probe failed with statuscode: 503') });
    expect(analyzeFailingProbes(status503, now).findings[0]).toMatchObject({ kind: 'probe-failing' });
  });
});
