import { deploymentWorkload, imageOf, podTemplate } from './builders.js';
import type { Scenario } from './types.js';

const template = (tag: string) => podTemplate('payments', { image: `registry.example.com/shop/payments:${tag}`, requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' }, readinessPath: '/ready' });

/** A failed rollout: 3.1.0 never gets ready, the deployment exceeds its progress deadline. */
export const paymentsScenario: Scenario = {
  name: 'payments-stuck-rollout',
  summary: 'shop/payments rollout to 3.1.0 stuck (readiness 503), ProgressDeadlineExceeded',
  namespaces: ['shop'],
  workloads: [
    deploymentWorkload(
      'shop',
      'payments',
      2,
      [
        { template: template('3.0.4'), replicas: 2, ageMinutes: 60 * 24 * 4 },
        { template: template('3.1.0'), replicas: 1, ageMinutes: 25 },
      ],
      {
        faults: [
          {
            description: 'payments 3.1.0 cannot reach its ledger database, /ready answers 503',
            when: (t) => imageOf(t).endsWith(':3.1.0'),
            fault: { type: 'unready', probeMessage: 'Readiness probe failed: HTTP probe failed with statuscode: 503' },
          },
        ],
        logs: ['level=info msg="starting payments"', 'level=info msg="ledger connected"', 'level=info msg="listening on :8080"'],
      },
    ),
  ],
};
