import { deploymentWorkload, memoryOf, mi, podTemplate } from './builders.js';
import type { Scenario } from './types.js';

/** OOMKilled: the limit is 128Mi and the cart cache needs ~200Mi; cured by limits.memory >= 256Mi. */
export const cartScenario: Scenario = {
  name: 'cart-oomkilled',
  summary: 'shop/cart OOMKilled: memory limit 128Mi, the app needs ~200Mi',
  namespaces: ['shop'],
  workloads: [
    deploymentWorkload(
      'shop',
      'cart',
      2,
      [{ template: podTemplate('cart', { image: 'registry.example.com/shop/cart:2.0.1', requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '128Mi' }, readinessPath: '/healthz' }), replicas: 2, ageMinutes: 45 }],
      {
        faults: [
          {
            description: 'memory limit below 256Mi (the cache needs ~200Mi)',
            when: (t) => (memoryOf(t, 'limits') ?? Infinity) < 256 * mi,
            fault: {
              type: 'crash',
              reason: 'OOMKilled',
              exitCode: 137,
              runSeconds: 8,
              logs: [
                'level=info msg="starting cart" version=2.0.1',
                'level=info msg="warming cart cache" entries=1200000',
                'level=info msg="cache warm-up progress" rss_mb=96',
                'level=info msg="cache warm-up progress" rss_mb=121',
              ],
            },
          },
        ],
        logs: ['level=info msg="starting cart" version=2.0.1', 'level=info msg="warming cart cache" entries=1200000', 'level=info msg="cache ready" rss_mb=201', 'level=info msg="listening on :8080"'],
      },
    ),
  ],
};
