import type * as k8s from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { waitFor } from '../../../sandbox/shared/wait.js';
import { deployer, freshClusterPerTest, ns } from './scheduler-helpers.js';

const env = freshClusterPerTest();

const deployWith = deployer(env);
/** A Deployment whose program uses `cpu` (the `sandbox.deckhand.dev/cpu` annotation) against the given requests. */
const deploy = (name: string, replicas: number, requests: Record<string, string>, cpu?: string): Promise<void> =>
  deployWith(name, replicas, {}, { requests }, cpu ? { 'sandbox.deckhand.dev/cpu': cpu } : undefined);

async function autoscale(name: string, min: number, max: number, metrics: k8s.V2MetricSpec[], target = name): Promise<void> {
  await env.c.autoscaling.createNamespacedHorizontalPodAutoscaler({
    namespace: ns,
    body: { metadata: { name }, spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: target }, minReplicas: min, maxReplicas: max, metrics } },
  });
}

const cpuAt = (averageUtilization: number): k8s.V2MetricSpec[] => [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization } } }];
const readHpa = (name: string) => env.c.autoscaling.readNamespacedHorizontalPodAutoscaler({ name, namespace: ns });
const condition = (hpa: k8s.V2HorizontalPodAutoscaler, type: string) => hpa.status?.conditions?.find((c) => c.type === type);
const replicasOf = async (name: string) => (await env.c.apps.readNamespacedDeployment({ name, namespace: ns })).spec?.replicas;
const eventsOf = async (name: string) =>
  (await env.c.core.listNamespacedEvent({ namespace: ns, fieldSelector: `involvedObject.name=${name},involvedObject.kind=HorizontalPodAutoscaler` })).items.map((e) => ({
    type: e.type,
    reason: e.reason,
    message: e.message,
    component: e.source?.component,
  }));

describe('sandbox horizontal pod autoscaler', () => {
  it('scales a Deployment up on CPU above target, then holds it at maxReplicas (ScalingLimited TooManyReplicas)', async () => {
    // 150m of a 100m request is 150% against 50%: 2 replicas want 6, the maximum is 4.
    await deploy('web', 2, { cpu: '100m', memory: '128Mi' }, '150m');
    await autoscale('web', 2, 4, cpuAt(50));
    await waitFor(async () => (await replicasOf('web')) === 4, { timeoutMs: 20_000, message: 'the HPA did not scale web to 4' });
    expect(await eventsOf('web')).toContainEqual({
      type: 'Normal',
      reason: 'SuccessfulRescale',
      message: 'New size: 4; reason: cpu resource utilization (percentage of request) above target',
      component: 'horizontal-pod-autoscaler',
    });
    const hpa = await waitFor(
      async () => {
        const h = await readHpa('web');
        return h.status?.currentReplicas === 4 && h.status.currentMetrics?.[0]?.resource?.current.averageUtilization === 150 ? h : undefined;
      },
      { timeoutMs: 20_000, message: 'the HPA did not report 4 replicas at 150%' },
    );
    expect(hpa.status).toMatchObject({ currentReplicas: 4, desiredReplicas: 4, currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 150, averageValue: '150m' } } }] });
    expect(hpa.status?.lastScaleTime).toBeDefined();
    expect(condition(hpa, 'AbleToScale')).toMatchObject({ status: 'True', reason: 'ReadyForNewScale', message: 'recommended size matches current size' });
    expect(condition(hpa, 'ScalingActive')).toMatchObject({ status: 'True', reason: 'ValidMetricFound', message: 'the HPA was able to successfully calculate a replica count from cpu resource utilization (percentage of request)' });
    expect(condition(hpa, 'ScalingLimited')).toMatchObject({ status: 'True', reason: 'TooManyReplicas', message: 'the desired replica count is more than the maximum replica count' });
    // kubectl get hpa reads the same status.
    expect(await replicasOf('web')).toBe(4);
  }, 60_000);

  it('leaves a workload within the 10% tolerance alone, and reports AverageValue targets', async () => {
    // 62% against 60%: within tolerance. Memory: half the 128Mi request (the default working set) against 64Mi.
    await deploy('api', 2, { cpu: '100m', memory: '128Mi' }, '62m');
    await autoscale('api', 1, 5, [...cpuAt(60), { type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '64Mi' } } }]);
    const hpa = await waitFor(async () => ((await readHpa('api')).status?.currentMetrics?.length ? readHpa('api') : undefined), { timeoutMs: 20_000, message: 'the HPA wrote no metrics' });
    expect(hpa.status?.currentMetrics).toEqual([
      { type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 62, averageValue: '62m' } } },
      { type: 'Resource', resource: { name: 'memory', current: { averageValue: '67108864' } } },
    ]);
    expect(hpa.status).toMatchObject({ currentReplicas: 2, desiredReplicas: 2 });
    expect(hpa.status?.lastScaleTime).toBeUndefined();
    expect(condition(hpa, 'ScalingLimited')).toMatchObject({ status: 'False', reason: 'DesiredWithinRange', message: 'the desired count is within the acceptable range' });
    expect(await replicasOf('api')).toBe(2);
  }, 60_000);

  it('cannot compute utilization without a CPU request: ScalingActive=False FailedGetResourceMetric, with its events', async () => {
    await deploy('worker', 1, { memory: '128Mi' });
    await autoscale('worker', 1, 4, cpuAt(70));
    const hpa = await waitFor(
      async () => {
        const h = await readHpa('worker');
        return condition(h, 'ScalingActive')?.message?.includes('missing request') ? h : undefined;
      },
      { timeoutMs: 20_000, message: 'the HPA did not report the missing request' },
    );
    const pod = (await env.c.core.listNamespacedPod({ namespace: ns, labelSelector: 'app=worker' })).items[0]!.metadata!.name!;
    const why = `failed to get cpu utilization: missing request for cpu in container worker of Pod ${pod}`;
    expect(condition(hpa, 'ScalingActive')).toMatchObject({ status: 'False', reason: 'FailedGetResourceMetric', message: `the HPA was unable to compute the replica count: ${why}` });
    expect(condition(hpa, 'AbleToScale')).toMatchObject({ status: 'True', reason: 'SucceededGetScale', message: "the HPA controller was able to get the target's current scale" });
    expect(hpa.status).toMatchObject({ currentReplicas: 1, desiredReplicas: 0, currentMetrics: [{ type: '' }] });
    const events = await eventsOf('worker');
    expect(events).toContainEqual({ type: 'Warning', reason: 'FailedGetResourceMetric', message: why, component: 'horizontal-pod-autoscaler' });
    expect(events).toContainEqual({
      type: 'Warning',
      reason: 'FailedComputeMetricsReplicas',
      message: `invalid metrics (1 invalid out of 1), first error is: failed to get cpu resource metric value: ${why}`,
      component: 'horizontal-pod-autoscaler',
    });
    expect(await replicasOf('worker')).toBe(1);
  }, 60_000);

  it('reports a scale target that does not exist: AbleToScale=False FailedGetScale', async () => {
    await autoscale('ghost', 1, 3, cpuAt(50));
    const hpa = await waitFor(async () => (condition(await readHpa('ghost'), 'AbleToScale') ? readHpa('ghost') : undefined), { timeoutMs: 20_000, message: 'the HPA wrote no condition' });
    expect(condition(hpa, 'AbleToScale')).toMatchObject({ status: 'False', reason: 'FailedGetScale', message: 'the HPA controller was unable to get the target\'s current scale: deployments.apps "ghost" not found' });
    expect(hpa.status?.conditions).toHaveLength(1);
    expect(await eventsOf('ghost')).toContainEqual({ type: 'Warning', reason: 'FailedGetScale', message: 'deployments.apps "ghost" not found', component: 'horizontal-pod-autoscaler' });
  }, 60_000);

  it('scales down only after the 5-minute stabilization window, to minReplicas at most', async () => {
    // 10m of 100m is 10% against 60%: 4 replicas want 1, the minimum is 2.
    await deploy('batch', 4, { cpu: '100m', memory: '128Mi' }, '10m');
    await autoscale('batch', 2, 6, cpuAt(60));
    const held = await waitFor(async () => (condition(await readHpa('batch'), 'AbleToScale')?.reason === 'ScaleDownStabilized' ? readHpa('batch') : undefined), {
      timeoutMs: 20_000,
      message: 'the HPA did not stabilize its scale-down',
    });
    expect(condition(held, 'AbleToScale')?.message).toBe('recent recommendations were higher than current one, applying the highest recent recommendation');
    expect(await replicasOf('batch')).toBe(4);
    await waitFor(async () => (await replicasOf('batch')) === 2, { timeoutMs: 30_000, message: 'the HPA did not scale batch down to 2' });
    expect(await eventsOf('batch')).toContainEqual({ type: 'Normal', reason: 'SuccessfulRescale', message: 'New size: 2; reason: All metrics below target', component: 'horizontal-pod-autoscaler' });
    const hpa = await waitFor(async () => ((await readHpa('batch')).status?.currentReplicas === 2 ? readHpa('batch') : undefined), { timeoutMs: 20_000 });
    expect(condition(hpa, 'ScalingLimited')).toMatchObject({ status: 'True', reason: 'TooFewReplicas', message: 'the desired replica count is less than the minimum replica count' });
  }, 60_000);

  it('fills in the API server defaults: minReplicas 1 and CPU at 80%', async () => {
    await env.c.autoscaling.createNamespacedHorizontalPodAutoscaler({ namespace: ns, body: { metadata: { name: 'plain' }, spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'plain' }, maxReplicas: 3 } } });
    expect((await readHpa('plain')).spec).toMatchObject({ minReplicas: 1, metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }] });
  });
});
