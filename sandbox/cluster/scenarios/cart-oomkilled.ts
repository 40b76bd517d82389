import { deploymentWorkload, podTemplate } from './builders.js';
import type { Scenario } from './types.js';

/**
 * OOMKilled: the cart cache needs ~210Mi (`memory`) and the limit is 128Mi, so the kernel kills
 * it 8s into its warm-up, before it listens; any limit above 210Mi (256Mi, 512Mi) cures it.
 */
export const cartScenario: Scenario = {
  name: 'cart-oomkilled',
  summary: 'shop/cart OOMKilled: memory limit 128Mi, the app needs ~200Mi',
  namespaces: ['shop'],
  workloads: [
    deploymentWorkload('shop', 'cart', 2, [
      {
        template: podTemplate('cart', {
          image: 'registry.example.com/shop/cart:2.0.1',
          requests: { cpu: '100m', memory: '128Mi' },
          limits: { memory: '128Mi' },
          readinessPath: '/healthz',
          program: {
            memory: '210Mi',
            runSeconds: 8,
            startSeconds: 10,
            logs: [
              'level=info msg="starting cart" version=2.0.1',
              'level=info msg="warming cart cache" entries=1200000',
              'level=info msg="cache warm-up progress" rss_mb=96',
              'level=info msg="cache warm-up progress" rss_mb=121',
            ],
          },
        }),
        replicas: 2,
        ageMinutes: 45,
      },
    ]),
  ],
};
