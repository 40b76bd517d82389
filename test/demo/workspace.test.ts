import { describe, expect, it } from 'vitest';
import { channelConfigOf, loadConfig } from '../../src/core/config/load.js';
import { buildDemoAlert, demoAlertNames, type DemoAlertName } from '../../sandbox/demo/alerts.js';
import type { Alert } from '../../src/core/incident.js';
import { routeAlert } from '../../src/intake/routing.js';
import { normalizeAlertmanager } from '../../src/intake/alertmanager/normalize.js';
import { AlertmanagerPayload } from '../../src/intake/alertmanager/schema.js';
import { normalizePagerDuty } from '../../src/intake/pagerduty/normalize.js';
import { PagerDutyEnvelope, PagerDutyIncident } from '../../src/intake/pagerduty/schema.js';
import { buildDemoConfigYaml, demoChannelIds, demoChannels, demoUsergroups, demoUsers } from '../../sandbox/demo/workspace.js';
import { startSandboxCluster } from '../../sandbox/cluster/index.js';
import { permissionsFor } from '../../src/decisions/actions/permissions.js';
import { createClusterConnection } from '../../src/kube/connection.js';
import { kubeConfigFromYaml } from '../helpers/sandbox-cluster.js';

const env = { SLACK_BOT_TOKEN: 'xoxb-x', SLACK_SIGNING_SECRET: 's', DECKHAND_CONFIG: '/demo/deckhand.yaml' };

describe('the demo deckhand.yaml', () => {
  const yaml = buildDemoConfigYaml('/demo/kubeconfig');
  const config = loadConfig(env, { cwd: '/demo', fileExists: () => true, readFile: () => yaml });

  it('loads with the product’s own loadConfig: the sandbox cluster through the kubeconfig, one channel per mode', () => {
    expect(config.file.clusters.sandbox).toMatchObject({ kubeconfig: '/demo/kubeconfig', context: 'sandbox' });
    expect(channelConfigOf(config, demoChannelIds.incidents)).toMatchObject({ mode: 'approval', configured: true, approvers: { users: ['UALICE'], groups: ['SONCALL'] } });
    expect(channelConfigOf(config, demoChannelIds.platform).mode).toBe('yolo');
    expect(channelConfigOf(config, demoChannelIds.capacity).mode).toBe('plan');
    expect(config.file.pagerduty.services.PCHKOUT).toEqual({ cluster: 'sandbox', namespace: 'shop', deployment: 'checkout' });
  });

  it('makes alice an approver and leaves bob out, and every configured channel exists in the sandbox', () => {
    const approvers = channelConfigOf(config, demoChannelIds.incidents).approvers.users;
    const idOf = (name: string) => demoUsers.find((u) => u.name === name)?.id;
    expect(idOf('alice')).toBe('UALICE');
    expect(idOf('bob')).toBe('UBOB');
    expect(approvers).toContain('UALICE');
    expect(approvers).not.toContain('UBOB');
    // Nor is bob an approver through a group: @oncall holds carol alone.
    expect(channelConfigOf(config, demoChannelIds.incidents).approvers.groups).toEqual(['SONCALL']);
    expect(demoUsergroups.find((g) => g.id === 'SONCALL')?.users).toEqual(['UCAROL']);
    for (const id of Object.keys(config.file.channels)) expect(demoChannels.map((c) => c.id)).toContain(id);
  });
});

describe('routing of the sample alerts', () => {
  const yaml = buildDemoConfigYaml('/demo/kubeconfig');
  const config = loadConfig(env, { cwd: '/demo', fileExists: () => true, readFile: () => yaml });
  const noPods: typeof fetch = () => Promise.resolve(new Response('{}', { status: 404 }));

  async function alertOf(name: DemoAlertName): Promise<Alert> {
    const request = await buildDemoAlert(name, { clusterUrl: 'http://sandbox.invalid', now: new Date(), fetch: noPods });
    if (request.source === 'alertmanager') return normalizeAlertmanager(AlertmanagerPayload.parse(request.payload), { deliveryId: 'd', now: new Date().toISOString() });
    const { event } = PagerDutyEnvelope.parse(request.payload);
    return normalizePagerDuty({ eventType: 'incident.triggered', eventId: event.id, occurredAt: event.occurred_at, incident: PagerDutyIncident.parse(event.data), deliveryId: 'd', services: config.file.pagerduty.services });
  }

  it('sends each alert to the channel whose mode the banner promises', async () => {
    const expected: Record<DemoAlertName, string> = { checkout: 'CINCIDENTS', frontend: 'CINCIDENTS', cart: 'CPLATFORM', search: 'CCAPACITY' };
    for (const name of demoAlertNames) {
      const alert = await alertOf(name);
      expect(routeAlert(alert, config.file.routes, undefined), name).toBe(expected[name]);
      expect(alert.target.cluster ?? config.file.pagerduty.services.PCHKOUT?.cluster).toBe('sandbox');
    }
  });
});

describe('the demo people in the cluster', () => {
  const yaml = buildDemoConfigYaml('/demo/kubeconfig');
  const config = loadConfig(env, { cwd: '/demo', fileExists: () => true, readFile: () => yaml });

  it('maps alice and carol to Kubernetes users the sandbox RBAC treats differently, so a refusal can be seen', async () => {
    expect(config.file.execution.runAs).toBe('approver');
    const alice = config.file.identities.users.UALICE;
    const carol = config.file.identities.users.UCAROL;
    if (!alice || !carol) throw new Error('alice and carol must be mapped');
    const cluster = await startSandboxCluster({ scenarios: ['checkout-crashloop', 'frontend-imagepull'] });
    try {
      const connection = createClusterConnection('sandbox', kubeConfigFromYaml(cluster.kubeconfigYaml()));
      const undo = (name: string) => permissionsFor({ type: 'rollout_undo', namespace: 'shop', name });
      // Both may roll back checkout (the walkthrough's two approvals)…
      expect(await connection.reviewAccess(alice, undo('checkout'))).toEqual({ allowed: true });
      expect(await connection.reviewAccess(carol, undo('checkout'))).toEqual({ allowed: true });
      // …but only alice frontend: carol's click there is refused by the cluster.
      expect(await connection.reviewAccess(alice, undo('frontend'))).toEqual({ allowed: true });
      expect(await connection.reviewAccess(carol, undo('frontend'))).toEqual({ allowed: false, missing: { verb: 'patch', group: 'apps', resource: 'deployments', namespace: 'shop', name: 'frontend' } });
    } finally {
      await cluster.close();
    }
  });
});
