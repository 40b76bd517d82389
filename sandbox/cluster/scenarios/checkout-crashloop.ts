import { deploymentWorkload, podTemplate, type ProgramOptions } from './builders.js';
import type { PodTemplate, Scenario } from './types.js';

const image = 'registry.example.com/shop/checkout:1.4.2';
const template = (paymentUrl: string, program: ProgramOptions): PodTemplate =>
  podTemplate('checkout', { image, env: { PAYMENT_URL: paymentUrl, LOG_LEVEL: 'info' }, requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' }, readinessPath: '/ready', program });

const healthy: ProgramOptions = {
  logs: ['level=info msg="starting checkout" version=1.4.2', 'level=info msg="loading config" file=/etc/checkout/config.yaml', 'level=info msg="payments client ready" url=http://payments.shop.svc:8080', 'level=info msg="listening on :8080"'],
};
/** What checkout 1.4.2 does with PAYMENT_URL "htp://payments": it refuses the URL and exits 1 after 3s. */
const refusesUrl: ProgramOptions = {
  exitCode: 1,
  runSeconds: 3,
  logs: [
    'level=info msg="starting checkout" version=1.4.2',
    'level=info msg="loading config" file=/etc/checkout/config.yaml',
    'level=fatal msg="FATAL config: PAYMENT_URL \\"htp://payments\\" is not a valid URL"',
    'FATAL config: PAYMENT_URL "htp://payments" is not a valid URL',
  ],
};

/** CrashLoopBackOff after a bad config change; cured by rollout undo (revision 1). */
export const checkoutScenario: Scenario = {
  name: 'checkout-crashloop',
  summary: 'shop/checkout CrashLoopBackOff: revision 2 set PAYMENT_URL to "htp://payments"',
  namespaces: ['shop'],
  workloads: [
    deploymentWorkload('shop', 'checkout', 3, [
      { template: template('http://payments.shop.svc:8080', healthy), replicas: 0, ageMinutes: 60 * 24 * 6 },
      { template: template('htp://payments', refusesUrl), replicas: 3, ageMinutes: 20 },
    ]),
  ],
};
