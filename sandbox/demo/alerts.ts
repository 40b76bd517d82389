import { createHash, createHmac, randomUUID } from 'node:crypto';
import * as z from 'zod';
import { AppError } from '../shared/product.js';
import { demoClusterName, demoPagerDutyService } from './workspace.js';

/**
 * The sample alerts, in the order they are sent: checkout (PagerDuty) and frontend go to
 * #incidents (approval), cart to #platform (yolo), search to #capacity (plan).
 */
export const demoAlertNames = ['checkout', 'frontend', 'cart', 'search'] as const;
export type DemoAlertName = (typeof demoAlertNames)[number];

export interface DemoAlertSecrets {
  pagerduty: string;
  alertmanager: string;
}

export interface SendDemoAlertsOptions {
  /** The bot's base URL, e.g. http://127.0.0.1:3000. */
  botUrl: string;
  /** The sandbox cluster's API URL: alerts name the pods that really run there. */
  clusterUrl: string;
  secrets: DemoAlertSecrets;
  /** Which alerts; default all, in demoAlertNames order. */
  only?: readonly DemoAlertName[];
  now?: () => Date;
  fetch?: typeof fetch;
}

export interface SentAlert {
  name: DemoAlertName;
  source: 'pagerduty' | 'alertmanager';
  status: number;
}

/**
 * Fires the sample alerts at the bot the way PagerDuty (V3 webhook, `X-PagerDuty-Signature`)
 * and Alertmanager (webhook v4, bearer token) would. Throws when the bot refuses one.
 */
export async function sendDemoAlerts(options: SendDemoAlertsOptions): Promise<SentAlert[]> {
  const doFetch = options.fetch ?? fetch;
  const now = options.now ?? (() => new Date());
  const sent: SentAlert[] = [];
  for (const name of options.only ?? demoAlertNames) {
    const request = await buildDemoAlert(name, { clusterUrl: options.clusterUrl, now: now(), fetch: doFetch });
    const body = JSON.stringify(request.payload);
    const headers: Record<string, string> =
      request.source === 'pagerduty'
        ? {
            'content-type': 'application/json',
            'user-agent': 'PagerDuty-Webhook/V3.0',
            'x-webhook-id': randomUUID(),
            'x-pagerduty-signature': `v1=${createHmac('sha256', options.secrets.pagerduty).update(body).digest('hex')}`,
          }
        : { 'content-type': 'application/json', 'user-agent': 'Alertmanager/0.28.1', authorization: `Bearer ${options.secrets.alertmanager}` };
    const res = await doFetch(`${options.botUrl}/webhooks/${request.source}`, { method: 'POST', headers, body });
    const text = await res.text();
    if (!res.ok) throw new AppError('upstream', `the bot refused the ${name} alert (${request.source}): HTTP ${res.status} ${text.slice(0, 300)}`, { retryable: false });
    sent.push({ name, source: request.source, status: res.status });
  }
  return sent;
}

export interface DemoAlertRequest {
  source: 'pagerduty' | 'alertmanager';
  payload: unknown;
}

/** One sample alert's webhook payload; Alertmanager ones name the sandbox pods that are failing. */
export async function buildDemoAlert(name: DemoAlertName, ctx: { clusterUrl: string; now: Date; fetch: typeof fetch }): Promise<DemoAlertRequest> {
  const pods = (app: string) => listPodNames(ctx.clusterUrl, 'shop', app, ctx.fetch);
  switch (name) {
    case 'checkout':
      return { source: 'pagerduty', payload: buildPagerDutyTriggered({ title: 'checkout: high 5xx rate on /api/orders', now: ctx.now }) };
    case 'frontend':
      return {
        source: 'alertmanager',
        payload: buildAlertmanagerGroup({
          alertname: 'KubeContainerWaiting',
          labels: { namespace: 'shop', deployment: 'frontend', container: 'frontend', severity: 'warning', team: 'shop' },
          summary: 'Pod container waiting longer than 1 hour',
          describe: (pod) => `pod/${pod} in namespace shop on container frontend has been in waiting state (reason: "ImagePullBackOff").`,
          pods: await pods('frontend'),
          now: ctx.now,
        }),
      };
    case 'cart':
      return {
        source: 'alertmanager',
        payload: buildAlertmanagerGroup({
          alertname: 'KubeContainerOOMKilled',
          labels: { namespace: 'shop', deployment: 'cart', container: 'cart', severity: 'critical', team: 'platform' },
          summary: 'Container was OOMKilled and keeps restarting',
          describe: (pod) => `Container cart in pod shop/${pod} was terminated with reason OOMKilled (exit code 137).`,
          pods: await pods('cart'),
          now: ctx.now,
        }),
      };
    case 'search':
      return {
        source: 'alertmanager',
        payload: buildAlertmanagerGroup({
          alertname: 'KubePodNotScheduled',
          labels: { namespace: 'shop', deployment: 'search', severity: 'warning', team: 'capacity' },
          summary: 'Pod has been pending and unschedulable for more than 15 minutes',
          describe: (pod) => `Pod shop/${pod} cannot be scheduled: FailedScheduling.`,
          pods: await pods('search'),
          now: ctx.now,
        }),
      };
  }
}

/** A PagerDuty V3 `incident.triggered` webhook for the checkout service (shape of test/fixtures/pagerduty). */
export function buildPagerDutyTriggered(input: { title: string; now: Date; incidentId?: string }): unknown {
  const id = input.incidentId ?? `Q${randomUUID().replace(/-/g, '').slice(0, 13).toUpperCase()}`;
  const service = { id: demoPagerDutyService.id, type: 'service_reference', summary: demoPagerDutyService.summary, html_url: `https://demo.pagerduty.invalid/services/${demoPagerDutyService.id}` };
  return {
    event: {
      id: randomUUID(),
      event_type: 'incident.triggered',
      resource_type: 'incident',
      occurred_at: input.now.toISOString(),
      agent: null,
      client: null,
      data: {
        id,
        type: 'incident',
        self: `https://api.pagerduty.invalid/incidents/${id}`,
        html_url: `https://demo.pagerduty.invalid/incidents/${id}`,
        number: 1042,
        status: 'triggered',
        incident_key: createHash('sha256').update(id).digest('hex').slice(0, 32),
        created_at: input.now.toISOString().replace(/\.\d+Z$/, 'Z'),
        title: input.title,
        service,
        assignees: [{ id: 'PALICE1', type: 'user_reference', summary: 'Alice Approver', html_url: 'https://demo.pagerduty.invalid/users/PALICE1' }],
        urgency: 'high',
        priority: { id: 'PPRIO01', type: 'priority_reference', summary: 'P1', html_url: null },
        conference_bridge: null,
        resolve_reason: null,
      },
    },
  };
}

export interface AlertmanagerGroupInput {
  alertname: string;
  /** Labels common to every alert of the group (`cluster` is added). */
  labels: Record<string, string>;
  summary: string;
  describe: (pod: string) => string;
  pods: string[];
  now: Date;
}

/** An Alertmanager webhook v4 notification: one alert per pod, grouped by alertname and namespace. */
export function buildAlertmanagerGroup(input: AlertmanagerGroupInput): unknown {
  const common: Record<string, string> = { alertname: input.alertname, cluster: demoClusterName, ...input.labels };
  const groupLabels = { alertname: input.alertname, namespace: common.namespace ?? '' };
  const startsAt = new Date(input.now.getTime() - 5 * 60_000).toISOString();
  const runbook = `https://runbooks.prometheus-operator.dev/runbooks/kubernetes/${input.alertname.toLowerCase()}`;
  const pods = input.pods.length > 0 ? input.pods : [`${common.deployment ?? 'workload'}-unknown`];
  return {
    version: '4',
    groupKey: `{}:{alertname="${groupLabels.alertname}", namespace="${groupLabels.namespace}", deployment="${common.deployment ?? ''}"}`,
    truncatedAlerts: 0,
    status: 'firing',
    receiver: 'deckhand',
    externalURL: 'http://alertmanager.monitoring.invalid:9093',
    groupLabels,
    commonLabels: common,
    commonAnnotations: { summary: input.summary, runbook_url: runbook },
    alerts: pods.map((pod) => ({
      status: 'firing',
      labels: { ...common, pod },
      annotations: { summary: input.summary, description: input.describe(pod), runbook_url: runbook },
      startsAt,
      endsAt: '0001-01-01T00:00:00Z',
      generatorURL: `http://prometheus.monitoring.invalid:9090/graph?g0.expr=${encodeURIComponent(`ALERTS{alertname="${input.alertname}"}`)}`,
      fingerprint: createHash('sha256').update(`${input.alertname}/${pod}`).digest('hex').slice(0, 16),
    })),
  };
}

const PodList = z.object({
  items: z.array(
    z.object({
      metadata: z.object({ name: z.string() }),
      status: z.object({ phase: z.string().optional(), containerStatuses: z.array(z.object({ ready: z.boolean() })).optional() }).optional(),
    }),
  ),
});

/**
 * Names of the unhealthy pods with label app=<app>, straight from the sandbox's API (all of
 * them when none looks unhealthy; empty when the API cannot say), so alerts name real pods.
 */
async function listPodNames(clusterUrl: string, namespace: string, app: string, doFetch: typeof fetch): Promise<string[]> {
  const res = await doFetch(`${clusterUrl}/api/v1/namespaces/${namespace}/pods?labelSelector=${encodeURIComponent(`app=${app}`)}`, {
    headers: { authorization: 'Bearer sandbox-token', accept: 'application/json' },
  });
  if (!res.ok) return [];
  const parsed = PodList.safeParse(await res.json());
  if (!parsed.success) return [];
  const unhealthy = parsed.data.items.filter((p) => p.status?.phase !== 'Running' || (p.status.containerStatuses ?? []).some((c) => !c.ready));
  return (unhealthy.length > 0 ? unhealthy : parsed.data.items).map((p) => p.metadata.name).sort();
}
