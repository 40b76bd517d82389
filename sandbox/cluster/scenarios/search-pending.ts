import { deploymentWorkload, podTemplate } from './builders.js';
import type { Scenario } from './types.js';

/** Pending: requests 16Gi of memory, more than any node has. The sandbox scheduler decides from the requests. */
export const searchScenario: Scenario = {
  name: 'search-pending',
  summary: 'shop/search Pending: requests memory 16Gi, nodes have 8Gi allocatable',
  namespaces: ['shop'],
  workloads: [
    deploymentWorkload('shop', 'search', 1, [
      {
        template: podTemplate('search', {
          image: 'registry.example.com/shop/search:5.2.0',
          requests: { cpu: '500m', memory: '16Gi' },
          limits: { memory: '16Gi' },
          program: { logs: ['level=info msg="starting search" version=5.2.0', 'level=info msg="index loaded" docs=120000', 'level=info msg="listening on :8080"'] },
        }),
        replicas: 1,
        ageMinutes: 12,
      },
    ]),
  ],
};
