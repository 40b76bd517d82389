import { deploymentWorkload, imageOf, podTemplate } from './builders.js';
import type { Scenario } from './types.js';

const repo = 'registry.example.com/shop/frontend';
const publishedTags = new Set(['2.2.9', '2.3.0']);
const template = (tag: string) => podTemplate('frontend', { image: `${repo}:${tag}`, requests: { cpu: '50m', memory: '64Mi' }, limits: { memory: '128Mi' }, readinessPath: '/' });

/** ImagePullBackOff after a bad image tag; cured by rollout undo. */
export const frontendScenario: Scenario = {
  name: 'frontend-imagepull',
  summary: 'shop/frontend ImagePullBackOff: revision 2 uses the missing tag 2.3.1-typo',
  namespaces: ['shop'],
  workloads: [
    deploymentWorkload(
      'shop',
      'frontend',
      2,
      [
        { template: template('2.3.0'), replicas: 2, ageMinutes: 60 * 24 * 2 },
        { template: template('2.3.1-typo'), replicas: 1, ageMinutes: 15 },
      ],
      {
        faults: [
          {
            description: 'image tag not published in the registry',
            when: (t) => {
              const image = imageOf(t);
              return image.startsWith(`${repo}:`) && !publishedTags.has(image.slice(repo.length + 1));
            },
            fault: { type: 'image-pull' },
          },
        ],
        logs: ['nginx: [notice] start worker processes', '10.244.1.1 - - "GET / HTTP/1.1" 200 612'],
      },
    ),
  ],
};
