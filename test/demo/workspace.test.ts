import { describe, expect, it } from 'vitest';
import { channelConfigOf, loadConfig } from '../../src/config/load.js';
import { buildDemoAlert, demoAlertNames, type DemoAlertName } from '../../sandbox/demo/alerts.js';
import { buildDemoConfigYaml, demoChannelIds, demoChannels, demoUsergroups, demoUsers } from '../../sandbox/demo/workspace.js';
import type { Alert } from '../../src/incidents/model.js';
import { routeAlert } from '../../src/incidents/routing.js';
import { normalizeAlertmanager } from '../../src/ingest/alertmanager/normalize.js';
import { AlertmanagerPayload } from '../../src/ingest/alertmanager/schema.js';
import { normalizePagerDuty } from '../../src/ingest/pagerduty/normalize.js';
import { PagerDutyEnvelope, PagerDutyIncident } from '../../src/ingest/pagerduty/schema.js';

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
