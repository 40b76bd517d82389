/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-return -- pods and events are wire JSON */
import { describe, expect, it } from 'vitest';
import { call } from './wire.js';
import { admin, createPod, deploy, eventsOf, main, program, readyCondition, useKubeletSandbox, waitForEvent, waitForPod } from './kubelet-helpers.js';

/**
 * The program annotations (`sandbox.deckhand.dev/…`) on workloads built through the API: the
 * kubelet shows what a real one shows for a program that exits, prints, eats memory, listens
 * (or not) and starts slowly.
 */
const ns = 'programs';
const sandbox = useKubeletSandbox(ns);
const c = () => sandbox.cluster();
const log = async (pod: string, query = '') => (await fetch(`${c().url}/api/v1/namespaces/${ns}/pods/${pod}/log${query}`, { headers: { authorization: `Bearer ${admin.token}` } })).text();
const http = (port: number, path: string, extra: Record<string, unknown> = {}) => ({ httpGet: { path, port, scheme: 'HTTP', ...extra }, initialDelaySeconds: 1, periodSeconds: 2, failureThreshold: 3 });

describe('exit-code, run-seconds and logs', () => {
  it('exits with the code after run-seconds, restarts with the kubelet back-off, and --previous (and the termination message) end with the last log line', async () => {
    await deploy(c(), ns, 'crasher', { annotations: program({ 'exit-code': '3', 'run-seconds': '1', logs: 'starting\nloading config\nFATAL: no database' }), container: { ports: [{ containerPort: 8080 }], terminationMessagePolicy: 'FallbackToLogsOnError' } });
    const pod = await waitForPod(c(), ns, 'crasher', (p) => main(p)?.restartCount >= 4 && main(p)?.state?.waiting?.reason === 'CrashLoopBackOff');
    const cs = main(pod);
    // FallbackToLogsOnError: the kubelet puts the log's tail in the termination message.
    expect(cs.lastState.terminated).toMatchObject({ exitCode: 3, reason: 'Error', message: 'starting\nloading config\nFATAL: no database\n' });
    // The n-th restart waits 10s·2^(n-2): restartCount 4 → 40s, and so on up to 5m.
    const wait = ['10s', '20s', '40s', '1m20s', '2m40s'][cs.restartCount - 1] ?? '5m0s';
    expect(cs.state.waiting.message).toBe(`back-off ${wait} restarting failed container=crasher pod=${pod.metadata.name}_${ns}(${pod.metadata.uid})`);
    expect(pod.status.phase).toBe('Running');
    expect(readyCondition(pod)).toMatchObject({ status: 'False', reason: 'ContainersNotReady', message: 'containers with unready status: [crasher]' });
    const previous = await log(pod.metadata.name, '?previous=true');
    expect(previous.trimEnd().split('\n')).toEqual(['starting', 'loading config', 'FATAL: no database']);
    const backOff = await waitForEvent(c(), ns, pod.metadata.name, 'BackOff');
    expect(backOff).toMatchObject({ type: 'Warning', message: `Back-off restarting failed container crasher in pod ${pod.metadata.name}_${ns}(${pod.metadata.uid})`, source: { component: 'kubelet' } });
    expect(backOff.count).toBeGreaterThan(1);
    const started = (await eventsOf(c(), ns, pod.metadata.name)).find((e) => e.reason === 'Started');
    expect(started.count).toBeGreaterThanOrEqual(cs.restartCount);
  });

  it('a bare pod that never restarts ends Succeeded on exit 0 and Failed otherwise', async () => {
    await createPod(c(), ns, 'once-ok', { annotations: program({ 'exit-code': '0' }), spec: { restartPolicy: 'Never' } });
    await createPod(c(), ns, 'once-bad', { annotations: program({ 'exit-code': '2' }), spec: { restartPolicy: 'Never' } });
    const ok = await waitForPod(c(), ns, 'once-ok', (p) => p.status?.phase === 'Succeeded');
    expect(main(ok).state.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
    expect(main(ok).restartCount).toBe(0);
    const bad = await waitForPod(c(), ns, 'once-bad', (p) => p.status?.phase === 'Failed');
    expect(main(bad).state.terminated).toMatchObject({ exitCode: 2, reason: 'Error' });
    // OnFailure restarts only a failed program.
    await createPod(c(), ns, 'retry-ok', { annotations: program({ 'exit-code': '0' }), spec: { restartPolicy: 'OnFailure' } });
    expect(main(await waitForPod(c(), ns, 'retry-ok', (p) => p.status?.phase === 'Succeeded')).restartCount).toBe(0);
  });

  it('without exit-code the program runs on and prints its logs', async () => {
    await deploy(c(), ns, 'steady', { annotations: program({ logs: 'hello\nserving' }) });
    const pod = await waitForPod(c(), ns, 'steady', (p) => main(p)?.ready === true);
    expect(main(pod).state.running).toBeDefined();
    expect(await log(pod.metadata.name)).toBe('hello\nserving\n');
  });
});

describe('memory and cpu', () => {
  it('a working set above the memory limit is OOMKilled (137); below it the pod runs and the metrics API shows it', async () => {
    await deploy(c(), ns, 'greedy', { annotations: program({ memory: '300Mi', 'run-seconds': '1' }), container: { resources: { limits: { memory: '256Mi' } } } });
    await deploy(c(), ns, 'fits', { annotations: program({ memory: '300Mi', cpu: '400m' }), container: { resources: { limits: { memory: '512Mi' } } } });
    const greedy = await waitForPod(c(), ns, 'greedy', (p) => main(p)?.lastState?.terminated?.reason === 'OOMKilled');
    expect(main(greedy).lastState.terminated.exitCode).toBe(137);
    const fits = await waitForPod(c(), ns, 'fits', (p) => main(p)?.ready === true);
    expect(main(fits).restartCount).toBe(0);
    const metrics = await call(c(), 'GET', `/apis/metrics.k8s.io/v1beta1/namespaces/${ns}/pods/${fits.metadata.name}`, undefined, admin);
    expect(metrics.body.containers).toEqual([{ name: 'fits', usage: { cpu: '400000000n', memory: '307200Ki' } }]);
    // CPU beyond limits.cpu is throttled: the usage sits at the limit.
    await deploy(c(), ns, 'throttled', { annotations: program({ cpu: '2' }), container: { resources: { requests: { cpu: '250m' }, limits: { cpu: '500m' } } } });
    const throttled = await waitForPod(c(), ns, 'throttled', (p) => main(p)?.ready === true);
    const usage = await call(c(), 'GET', `/apis/metrics.k8s.io/v1beta1/namespaces/${ns}/pods/${throttled.metadata.name}`, undefined, admin);
    expect(usage.body.containers[0].usage.cpu).toBe('500000000n');
  });
});

describe('listen, probes and start-seconds', () => {
  it('a readiness probe on a port nothing listens on is refused: Running, never Ready', async () => {
    await deploy(c(), ns, 'elsewhere', { annotations: program({ listen: '9090/TCP' }), container: { ports: [{ containerPort: 8080 }], readinessProbe: http(8080, '/ready') } });
    const pod = await waitForPod(c(), ns, 'elsewhere', (p) => Boolean(p.status?.podIP) && main(p)?.state?.running);
    const ip = pod.status.podIP as string;
    const unhealthy = await waitForEvent(c(), ns, pod.metadata.name, 'Unhealthy');
    expect(unhealthy).toMatchObject({ type: 'Warning', message: `Readiness probe failed: Get "http://${ip}:8080/ready": dial tcp ${ip}:8080: connect: connection refused` });
    const later = await waitForPod(c(), ns, 'elsewhere', (p) => main(p)?.started === true);
    expect(main(later).ready).toBe(false);
    expect(readyCondition(later).status).toBe('False');
    // The kubelet goes on probing every period (2s): a minute later the event has counted them.
    c().advance(60_000);
    expect((await waitForEvent(c(), ns, pod.metadata.name, 'Unhealthy')).count).toBeGreaterThanOrEqual(30);
  });

  it('by default the program listens on its containerPorts: the same probe passes', async () => {
    await deploy(c(), ns, 'listens', { container: { ports: [{ containerPort: 8080, name: 'http' }], readinessProbe: http(8080, '/ready'), livenessProbe: { tcpSocket: { port: 'http' }, periodSeconds: 2 } } });
    const pod = await waitForPod(c(), ns, 'listens', (p) => readyCondition(p)?.status === 'True');
    expect((await eventsOf(c(), ns, pod.metadata.name)).filter((e) => e.reason === 'Unhealthy')).toEqual([]);
  });

  it('a failing liveness probe kills the container ("will be restarted") and it restarts', async () => {
    await deploy(c(), ns, 'deaf', { annotations: program({ listen: '9090' }), container: { livenessProbe: http(8080, '/healthz') } });
    const pod = await waitForPod(c(), ns, 'deaf', (p) => main(p)?.restartCount >= 2);
    const ip = pod.status.podIP as string;
    const events = await eventsOf(c(), ns, pod.metadata.name);
    expect(events.find((e) => e.reason === 'Unhealthy')?.message).toBe(`Liveness probe failed: Get "http://${ip}:8080/healthz": dial tcp ${ip}:8080: connect: connection refused`);
    expect(events.find((e) => e.reason === 'Killing')).toMatchObject({ type: 'Normal', message: 'Container deaf failed liveness probe, will be restarted' });
    expect(main(pod).lastState.terminated).toMatchObject({ exitCode: 137, reason: 'Error' });
  });

  it('HTTPS against the plain listener: the server gave an HTTP response; a tcpSocket probe on a closed port is refused', async () => {
    await deploy(c(), ns, 'plain', { container: { ports: [{ containerPort: 8443 }], readinessProbe: http(8443, '/healthz', { scheme: 'HTTPS' }) } });
    await deploy(c(), ns, 'closed', { container: { ports: [{ containerPort: 8080 }], readinessProbe: { tcpSocket: { port: 5432 }, periodSeconds: 2 } } });
    const plain = await waitForPod(c(), ns, 'plain', (p) => Boolean(p.status?.podIP));
    const ip = plain.status.podIP as string;
    await waitForEvent(c(), ns, plain.metadata.name, 'Unhealthy', (m) => m === `Readiness probe failed: Get "https://${ip}:8443/healthz": http: server gave HTTP response to HTTPS client`);
    const closed = await waitForPod(c(), ns, 'closed', (p) => Boolean(p.status?.podIP));
    const closedIp = closed.status.podIP as string;
    await waitForEvent(c(), ns, closed.metadata.name, 'Unhealthy', (m) => m === `Readiness probe failed: dial tcp ${closedIp}:5432: connect: connection refused`);
    expect(main(await waitForPod(c(), ns, 'plain', (p) => main(p)?.started === true)).ready).toBe(false);
  });

  it('start-seconds beyond the liveness budget (delay + threshold × period) kills a slow starter in a loop; within it the pod gets Ready', async () => {
    const probe = { httpGet: { path: '/healthz', port: 8080 }, initialDelaySeconds: 5, periodSeconds: 5, failureThreshold: 3 };
    const spec = { container: { ports: [{ containerPort: 8080 }], livenessProbe: probe, readinessProbe: probe } };
    await deploy(c(), ns, 'slow', { annotations: program({ 'start-seconds': '60' }), ...spec });
    await deploy(c(), ns, 'quick', { annotations: program({ 'start-seconds': '12' }), ...spec });
    const slow = await waitForPod(c(), ns, 'slow', (p) => main(p)?.restartCount >= 2);
    expect(main(slow).ready).toBe(false);
    expect((await eventsOf(c(), ns, slow.metadata.name)).find((e) => e.reason === 'Killing')?.message).toBe('Container slow failed liveness probe, will be restarted');
    const quick = await waitForPod(c(), ns, 'quick', (p) => main(p)?.ready === true);
    expect(main(quick).restartCount).toBe(0);
    // It failed its probes while starting, then passed.
    expect((await eventsOf(c(), ns, quick.metadata.name)).find((e) => e.reason === 'Unhealthy')?.count).toBeGreaterThan(0);
  });
});

describe('startup probes', () => {
  it('a startup probe that never passes kills the container, which is never started nor Ready', async () => {
    await deploy(c(), ns, 'unstarted', { annotations: program({ listen: '9000' }), container: { ports: [{ containerPort: 8080 }], startupProbe: { tcpSocket: { port: 8080 }, periodSeconds: 2, failureThreshold: 2 }, readinessProbe: http(8080, '/ready') } });
    const pod = await waitForPod(c(), ns, 'unstarted', (p) => main(p)?.restartCount >= 1);
    const events = await eventsOf(c(), ns, pod.metadata.name);
    expect(events.find((e) => e.reason === 'Killing')?.message).toBe('Container unstarted failed startup probe, will be restarted');
    expect(events.find((e) => e.reason === 'Unhealthy')?.message).toBe(`Startup probe failed: dial tcp ${String(pod.status.podIP)}:8080: connect: connection refused`);
    // Readiness waits for the startup probe: it never probed.
    expect(events.some((e) => String(e.message).startsWith('Readiness'))).toBe(false);
    expect(main(pod).started).toBe(false);
  });
});

describe('several containers', () => {
  it('reports each container, and the pod is Ready only when all are', async () => {
    await deploy(c(), ns, 'duo', {
      container: { ports: [{ containerPort: 8080 }], readinessProbe: http(8080, '/ready') },
      sidecars: [{ name: 'proxy', image: 'docker.io/envoyproxy/envoy:v1.31.0', ports: [{ containerPort: 9901 }], readinessProbe: http(15021, '/healthz/ready') }],
    });
    const pod = await waitForPod(c(), ns, 'duo', (p) => p.status?.containerStatuses?.find((s: any) => s.name === 'duo')?.ready === true);
    const byName = Object.fromEntries(pod.status.containerStatuses.map((s: any) => [s.name, s]));
    expect(byName.proxy.state.running).toBeDefined();
    expect(byName.proxy.ready).toBe(false);
    expect(readyCondition(pod)).toMatchObject({ status: 'False', message: 'containers with unready status: [proxy]' });
    const row = (await call(c(), 'GET', `/api/v1/namespaces/${ns}/pods/${pod.metadata.name}`, undefined, { ...admin, accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' })).body.rows[0].cells;
    expect(row.slice(1, 3)).toEqual(['1/2', 'Running']);
  });
});
