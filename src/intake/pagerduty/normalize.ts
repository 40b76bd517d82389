import type { ServiceMapping } from '../../core/config/file.js';
import type { Alert, IncidentStatus } from '../../core/incident.js';
import type { Severity } from '../../core/vocabulary.js';
import { titleOf } from '../title.js';
import type { HandledPagerDutyEvent, PagerDutyIncident } from './schema.js';

export interface NormalizePagerDutyInput {
  eventType: HandledPagerDutyEvent;
  eventId: string;
  occurredAt: string;
  incident: PagerDutyIncident;
  /** X-Webhook-Id when sent (repeated on every retry), else the event id. */
  deliveryId: string;
  /** deckhand.yaml `pagerduty.services`: where a service's incidents live. */
  services: Record<string, ServiceMapping>;
}

/** Turns one PagerDuty V3 incident event into Deckhand's Alert. Pure. */
export function normalizePagerDuty(input: NormalizePagerDutyInput): Alert {
  const { incident, eventType } = input;
  const mapping = input.services[incident.service.id] ?? {};
  const labels: Record<string, string> = {};
  if (incident.urgency) labels.urgency = incident.urgency;
  if (incident.priority?.summary) labels.priority = incident.priority.summary;
  // Reopened and unacknowledged both put the incident back to triggered, whatever else the payload says.
  const status: IncidentStatus = eventType === 'incident.reopened' || eventType === 'incident.unacknowledged' ? 'triggered' : incident.status;
  return {
    source: 'pagerduty',
    externalId: incident.id,
    deliveryId: input.deliveryId,
    eventType,
    title: titleOf(incident.title, [incident.service.summary, mapping.deployment ?? mapping.statefulset ?? mapping.daemonset], 'PagerDuty'),
    severity: severityOf(incident),
    status,
    retrigger: eventType === 'incident.reopened',
    labels,
    target: { ...mapping },
    service: { id: incident.service.id, name: incident.service.summary ?? incident.service.id },
    links: incident.html_url ? [{ title: `PagerDuty incident${incident.number === undefined ? '' : ` #${incident.number}`}`, url: incident.html_url }] : [],
    members: [],
    truncatedAlerts: 0,
    occurredAt: input.occurredAt,
  };
}

/** Priority wins when set (P1 critical … P4+ info); otherwise urgency (high → high, low → warning). */
function severityOf(incident: PagerDutyIncident): Severity {
  const priority = /^P(\d)/i.exec(incident.priority?.summary ?? '')?.[1];
  if (priority === '1') return 'critical';
  if (priority === '2') return 'high';
  if (priority === '3') return 'warning';
  if (priority !== undefined) return 'info';
  return incident.urgency === 'low' ? 'warning' : 'high';
}
