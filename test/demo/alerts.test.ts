import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAlertmanagerGroup, buildPagerDutyTriggered, demoAlertNames, sendDemoAlerts } from '../../sandbox/demo/alerts.js';
import { AlertmanagerPayload } from '../../src/ingest/alertmanager/schema.js';
import { PagerDutyEnvelope, PagerDutyIncident } from '../../src/ingest/pagerduty/schema.js';
import { verifyPagerDutySignature } from '../../src/ingest/pagerduty/verify.js';
import { startSandboxCluster, type SandboxCluster } from '../../sandbox/cluster/index.js';

const now = new Date('2026-11-21T18:45:22.169Z');

describe('sample alert payloads', () => {
  it('PagerDuty incident.triggered parses with the intake schema and names the mapped service', () => {
    const envelope = PagerDutyEnvelope.parse(buildPagerDutyTriggered({ title: 'checkout: high 5xx rate', now }));
    expect(envelope.event.event_type).toBe('incident.triggered');
    const incident = PagerDutyIncident.parse(envelope.event.data);
    expect(incident).toMatchObject({ status: 'triggered', title: 'checkout: high 5xx rate', service: { id: 'PCHKOUT' } });
  });

  it('Alertmanager groups parse with the intake schema, one alert per pod, labelled for the sandbox cluster', () => {
    const payload = AlertmanagerPayload.parse(
      buildAlertmanagerGroup({ alertname: 'KubeContainerOOMKilled', labels: { namespace: 'shop', deployment: 'cart', team: 'platform' }, summary: 's', describe: (p) => p, pods: ['cart-a', 'cart-b'], now }),
    );
    expect(payload.commonLabels).toMatchObject({ cluster: 'sandbox', namespace: 'shop', deployment: 'cart', team: 'platform' });
    expect(payload.alerts.map((a) => a.labels.pod)).toEqual(['cart-a', 'cart-b']);
  });
});

describe('sendDemoAlerts', () => {
  let cluster: SandboxCluster;
  let server: ReturnType<typeof createServer>;
  let botUrl: string;
  const received: { path: string; headers: IncomingHttpHeaders; body: string }[] = [];

  beforeAll(async () => {
    cluster = await startSandboxCluster({ timeScale: 50 });
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({ path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        res.writeHead(req.url === '/webhooks/refuse' ? 401 : 202).end('{}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    botUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await cluster.close();
    await new Promise((resolve) => server.close(resolve));
  });

  it('signs PagerDuty with the webhook secret, sends Alertmanager its bearer token, and names pods that really run', async () => {
    const sent = await sendDemoAlerts({ botUrl, clusterUrl: cluster.url, secrets: { pagerduty: 'pd-secret', alertmanager: 'am-token' }, now: () => now });
    expect(sent.map((s) => s.name)).toEqual([...demoAlertNames]);
    const pd = received.find((r) => r.path === '/webhooks/pagerduty');
    expect(verifyPagerDutySignature(Buffer.from(pd?.body ?? ''), String(pd?.headers['x-pagerduty-signature']), ['pd-secret'])).toBe(true);
    expect(verifyPagerDutySignature(Buffer.from(pd?.body ?? ''), String(pd?.headers['x-pagerduty-signature']), ['other'])).toBe(false);
    const am = received.filter((r) => r.path === '/webhooks/alertmanager');
    expect(am).toHaveLength(3);
    for (const r of am) expect(r.headers.authorization).toBe('Bearer am-token');
    const cart = AlertmanagerPayload.parse(JSON.parse(am.find((r) => r.body.includes('OOMKilled'))?.body ?? '{}'));
    for (const alert of cart.alerts) expect(cluster.getObject('Pod', 'shop', alert.labels.pod ?? '')).toBeDefined();
  });

  it('fails with the bot’s answer when the bot refuses an alert', async () => {
    await expect(
      sendDemoAlerts({ botUrl: `${botUrl}/nowhere`, clusterUrl: cluster.url, secrets: { pagerduty: 'x', alertmanager: 'y' }, only: ['checkout'], fetch: (_url, init) => fetch(`${botUrl}/webhooks/refuse`, init) }),
    ).rejects.toThrow(/refused the checkout alert \(pagerduty\): HTTP 401/);
  });
});
