import { deploymentWorkload, podTemplate } from './builders.js';
import type { Scenario } from './types.js';

/**
 * The healthy neighbours: web, api (with an HPA at its maximum) and the redis StatefulSet. api's
 * program uses 238m of its 250m CPU request (95%, the HPA wants 3 replicas at 70%, its maximum is
 * 2); the seeded HPA status is what the sandbox's HPA controller computes from that too.
 */
export const shopHealthyScenario: Scenario = {
  name: 'shop-healthy',
  summary: 'shop/web, shop/api (HPA at max), StatefulSet shop/redis: all healthy',
  namespaces: ['shop'],
  workloads: [
    deploymentWorkload('shop', 'web', 3, [
      { template: podTemplate('web', { image: 'registry.example.com/shop/web:3.2.1', requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' }, readinessPath: '/healthz' }), replicas: 3, ageMinutes: 60 * 24 * 5 },
    ]),
    deploymentWorkload('shop', 'api', 2, [
      { template: podTemplate('api', { image: 'registry.example.com/shop/api:7.0.3', requests: { cpu: '250m', memory: '256Mi' }, limits: { memory: '512Mi' }, readinessPath: '/healthz', program: { cpu: '238m' } }), replicas: 2, ageMinutes: 60 * 24 * 5 },
    ]),
    {
      kind: 'StatefulSet',
      namespace: 'shop',
      name: 'redis',
      replicas: 1,
      revisions: [
        {
          template: podTemplate('redis', { image: 'docker.io/library/redis:7.2.5', port: 6379, requests: { cpu: '100m', memory: '256Mi' }, program: { logs: ['1:M 21 Nov 2026 10:00:00.000 * Ready to accept connections tcp'] } }),
          replicas: 1,
          ageMinutes: 60 * 24 * 9,
        },
      ],
    },
  ],
  objects: [
    {
      resource: 'horizontalpodautoscalers',
      object: {
        apiVersion: 'autoscaling/v2',
        kind: 'HorizontalPodAutoscaler',
        metadata: { name: 'api', namespace: 'shop' },
        spec: {
          scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api' },
          minReplicas: 2,
          maxReplicas: 2,
          metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }],
        },
        status: {
          currentReplicas: 2,
          desiredReplicas: 2,
          currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 95, averageValue: '238m' } } }],
          conditions: [
            { type: 'AbleToScale', status: 'True', reason: 'ReadyForNewScale', message: 'recommended size matches current size' },
            { type: 'ScalingActive', status: 'True', reason: 'ValidMetricFound', message: 'the HPA was able to successfully calculate a replica count from cpu resource utilization (percentage of request)' },
            { type: 'ScalingLimited', status: 'True', reason: 'TooManyReplicas', message: 'the desired replica count is more than the maximum replica count' },
          ],
        },
      },
    },
  ],
};
