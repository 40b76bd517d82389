import { createHmac, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { BenchService } from './bot.js';

/** One signed PagerDuty V3 webhook delivery, ready to send as is (again, for a redelivery). */
export interface Delivery {
  path: string;
  body: string;
  headers: Record<string, string>;
}

export interface BenchIncident {
  /** PagerDuty incident id (distinct per incident). */
  id: string;
  /** Unique text in the title, so the thread root can be found in Slack. */
  title: string;
  service: Pick<BenchService, 'id' | 'name'>;
  number: number;
}

// A real V3 payload (test/fixtures): the bench sends the same shape PagerDuty does.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- wire JSON, re-serialised as is
const template: any = JSON.parse(readFileSync(new URL('../../test/fixtures/pagerduty/incident-triggered.json', import.meta.url), 'utf8'));

/** A fresh incident of a service, with a title nobody else has. */
export function newIncident(service: BenchIncident['service'], tag: string, n: number): BenchIncident {
  return { id: `Q${tag.toUpperCase()}${String(n).padStart(5, '0')}`, title: `${service.name}: bench ${tag}-${n} high 5xx rate`, service, number: n };
}

/**
 * A signed `incident.triggered` delivery: X-Webhook-Id names the delivery (a redelivery
 * repeats it), the event id and occurred_at name the event.
 */
export function buildDelivery(secret: string, incident: BenchIncident, options: { webhookId?: string; occurredAt?: Date } = {}): Delivery {
  const payload = structuredClone(template);
  const event = payload.event;
  event.id = randomUUID();
  event.occurred_at = (options.occurredAt ?? new Date()).toISOString();
  event.data.id = incident.id;
  event.data.number = incident.number;
  event.data.title = incident.title;
  event.data.html_url = `https://acme.pagerduty.com/incidents/${incident.id}`;
  event.data.self = `https://api.pagerduty.com/incidents/${incident.id}`;
  event.data.incident_key = incident.id.toLowerCase();
  event.data.service = { ...event.data.service, id: incident.service.id, summary: incident.service.name };
  const body = JSON.stringify(payload);
  return {
    path: '/webhooks/pagerduty',
    body,
    headers: {
      'content-type': 'application/json',
      'user-agent': 'PagerDuty-Webhook/V3.0',
      'x-webhook-id': options.webhookId ?? randomUUID(),
      'x-pagerduty-signature': `v1=${createHmac('sha256', secret).update(body).digest('hex')}`,
    },
  };
}
