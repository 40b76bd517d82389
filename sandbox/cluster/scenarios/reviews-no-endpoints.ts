import { deploymentWorkload, podTemplate } from './builders.js';
import type { Scenario } from './types.js';

/**
 * A Service failure: the reviews pods are healthy and labelled app=reviews, but the Service
 * selects app=review, so it has no endpoints. Cured by fixing the Service's selector.
 */
export const reviewsScenario: Scenario = {
  name: 'reviews-no-endpoints',
  summary: 'shop/reviews Service selects app=review, its pods are app=reviews: no endpoints',
  namespaces: ['shop'],
  workloads: [
    deploymentWorkload('shop', 'reviews', 2, [
      {
        template: podTemplate('reviews', {
          image: 'registry.example.com/shop/reviews:0.9.2',
          requests: { cpu: '50m', memory: '64Mi' },
          limits: { memory: '128Mi' },
          readinessPath: '/healthz',
          program: { logs: ['level=info msg="starting reviews" version=0.9.2', 'level=info msg="listening on :8080"'] },
        }),
        replicas: 2,
        ageMinutes: 60 * 24,
      },
    ]),
  ],
  objects: [
    {
      resource: 'services',
      object: {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'reviews', namespace: 'shop', labels: { app: 'reviews' } },
        spec: { selector: { app: 'review' }, ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }] },
      },
    },
  ],
};
