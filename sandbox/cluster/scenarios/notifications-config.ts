import { deploymentWorkload, podTemplate } from './builders.js';
import type { Scenario } from './types.js';

/**
 * A config failure: notifications reads SMTP_HOST from key smtp_host of ConfigMap
 * notifications-config, which spells it smtp-host, so the kubelet cannot build the container's
 * environment (CreateContainerConfigError). Cured by adding the key (or pointing at smtp-host).
 */
export const notificationsScenario: Scenario = {
  name: 'notifications-config',
  summary: 'shop/notifications CreateContainerConfigError: key smtp_host missing from ConfigMap notifications-config',
  namespaces: ['shop'],
  workloads: [
    deploymentWorkload('shop', 'notifications', 1, [
      {
        template: podTemplate('notifications', {
          image: 'registry.example.com/shop/notifications:1.8.0',
          envEntries: [{ name: 'SMTP_HOST', valueFrom: { configMapKeyRef: { name: 'notifications-config', key: 'smtp_host' } } }],
          requests: { cpu: '50m', memory: '64Mi' },
          limits: { memory: '128Mi' },
          program: { logs: ['level=info msg="starting notifications" version=1.8.0', 'level=info msg="smtp relay configured"', 'level=info msg="listening on :8080"'] },
        }),
        replicas: 1,
        ageMinutes: 35,
      },
    ]),
  ],
  objects: [
    {
      resource: 'configmaps',
      object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'notifications-config', namespace: 'shop' }, data: { 'smtp-host': 'mail.shop.svc', 'smtp-port': '25' } },
    },
  ],
};
