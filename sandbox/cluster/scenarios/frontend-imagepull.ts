import { deploymentWorkload, podTemplate } from './builders.js';
import type { Scenario } from './types.js';

// The registry has 2.2.9 and 2.3.0 of this repository (controller/images.ts): 2.3.1-typo does not exist.
const repo = 'registry.example.com/shop/frontend';
const template = (tag: string) =>
  podTemplate('frontend', {
    image: `${repo}:${tag}`,
    requests: { cpu: '50m', memory: '64Mi' },
    limits: { memory: '128Mi' },
    readinessPath: '/',
    program: { logs: ['nginx: [notice] start worker processes', '10.244.1.1 - - "GET / HTTP/1.1" 200 612'] },
  });

/** ImagePullBackOff after a bad image tag; cured by rollout undo. */
export const frontendScenario: Scenario = {
  name: 'frontend-imagepull',
  summary: 'shop/frontend ImagePullBackOff: revision 2 uses the missing tag 2.3.1-typo',
  namespaces: ['shop'],
  workloads: [
    deploymentWorkload('shop', 'frontend', 2, [
      { template: template('2.3.0'), replicas: 2, ageMinutes: 60 * 24 * 2 },
      { template: template('2.3.1-typo'), replicas: 1, ageMinutes: 15 },
    ]),
  ],
};
