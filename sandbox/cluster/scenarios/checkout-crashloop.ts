import { deploymentWorkload, envOf, podTemplate } from './builders.js';
import type { PodTemplate, Scenario } from './types.js';

const image = 'registry.example.com/shop/checkout:1.4.2';
const template = (paymentUrl: string): PodTemplate =>
  podTemplate('checkout', { image, env: { PAYMENT_URL: paymentUrl, LOG_LEVEL: 'info' }, requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' }, readinessPath: '/ready' });

const isValidUrl = (value: string | undefined): boolean => /^https?:\/\/[^/\s]+/.test(value ?? '');

/** CrashLoopBackOff after a bad config change; cured by rollout undo (revision 1). */
export const checkoutScenario: Scenario = {
  name: 'checkout-crashloop',
  summary: 'shop/checkout CrashLoopBackOff: revision 2 set PAYMENT_URL to "htp://payments"',
  namespaces: ['shop'],
  workloads: [
    deploymentWorkload(
      'shop',
      'checkout',
      3,
      [
        { template: template('http://payments.shop.svc:8080'), replicas: 0, ageMinutes: 60 * 24 * 6 },
        { template: template('htp://payments'), replicas: 3, ageMinutes: 20 },
      ],
      {
        faults: [
          {
            description: 'PAYMENT_URL is not a valid http(s) URL',
            when: (t) => !isValidUrl(envOf(t, 'PAYMENT_URL')),
            fault: {
              type: 'crash',
              reason: 'Error',
              exitCode: 1,
              runSeconds: 3,
              logs: [
                'level=info msg="starting checkout" version=1.4.2',
                'level=info msg="loading config" file=/etc/checkout/config.yaml',
                'level=fatal msg="FATAL config: PAYMENT_URL \\"htp://payments\\" is not a valid URL"',
                'FATAL config: PAYMENT_URL "htp://payments" is not a valid URL',
              ],
            },
          },
        ],
        logs: ['level=info msg="starting checkout" version=1.4.2', 'level=info msg="loading config" file=/etc/checkout/config.yaml', 'level=info msg="payments client ready" url=http://payments.shop.svc:8080', 'level=info msg="listening on :8080"'],
      },
    ),
  ],
};
