import type { DiagnosisCase } from './case.js';
import { ns } from './world.js';

/**
 * Diagnosis cases written against ../shared/sandbox-contract.md that do not pass in the sandbox
 * yet, each for its own reason (on the case): the HPA cases need the sandbox's HPA controller to
 * act on the metrics API. The analyzers are unit-tested in test/analysis/analyzers/.
 * diagnosis.test.ts does not import this file; move a case into cases.ts once it passes there
 * (and run `npm run diagnosis-table`).
 */
const a = (values: Record<string, string>) => Object.fromEntries(Object.entries(values).map(([k, v]) => [`sandbox.deckhand.dev/${k}`, v]));

export const pendingDiagnosisCases: DiagnosisCase[] = [
  {
    title: 'HPA at its maximum',
    evidence: 'current/max replicas, CPU utilization against target, `ScalingLimited`',
    remedy: 'manual: the `kubectl patch hpa` raising maxReplicas',
    build: async (w) => {
      const target = await w.deploy('api', 2, { resources: { requests: { cpu: '100m', memory: '128Mi' } }, annotations: a({ cpu: '300m' }) });
      await w.autoscaling.createNamespacedHorizontalPodAutoscaler({
        namespace: ns,
        body: { metadata: { name: 'api' }, spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api' }, minReplicas: 2, maxReplicas: 3, metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 60 } } }] } },
      });
      return target;
    },
    expect: { analyzer: 'hpa-at-max', kind: 'hpa-at-max', object: 'HorizontalPodAutoscaler/shop/api' },
  },
  {
    title: 'HPA unable to scale (no CPU request)',
    evidence: '`ScalingActive=False FailedGetResourceMetric: … missing request for cpu in container …`',
    remedy: 'manual: set a CPU request on the containers',
    build: async (w) => {
      const target = await w.deploy('worker', 1, { resources: { requests: { memory: '128Mi' } } });
      await w.autoscaling.createNamespacedHorizontalPodAutoscaler({
        namespace: ns,
        body: { metadata: { name: 'worker' }, spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'worker' }, minReplicas: 1, maxReplicas: 4, metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }] } },
      });
      return target;
    },
    expect: { analyzer: 'hpa-unable', kind: 'hpa-unable-to-scale', object: 'Deployment/shop/worker', says: 'missing request for cpu' },
  },
];
