import * as z from 'zod';
import { AlertSource, Severity } from './vocabulary.js';

/**
 * The normalised alert: what every intake source (PagerDuty V3, Alertmanager v4) turns its
 * payload into. One Alert is one event about one incident; the incident key groups them.
 */
export const IncidentStatus = z.enum(['triggered', 'acknowledged', 'mitigated', 'resolved', 'recovered']);
export type IncidentStatus = z.infer<typeof IncidentStatus>;

/**
 * An incident's lifecycle (contract.md): `triggered` and `acknowledged` as the source says;
 * `mitigated` when a fix was verified while the source still fires; `resolved` when the
 * source resolved it; `recovered` when a watched failure healed. The last two close it.
 */
export function isClosedStatus(status: IncidentStatus): boolean {
  return status === 'resolved' || status === 'recovered';
}

/** How a status reads wherever it is shown (the thread root, /k8s status, the audit). */
export const incidentStatusLabels: Record<IncidentStatus, { icon: string; text: string }> = {
  triggered: { icon: ':rotating_light:', text: 'Triggered' },
  acknowledged: { icon: ':eyes:', text: 'Acknowledged' },
  mitigated: { icon: ':adhesive_bandage:', text: 'Mitigated' },
  resolved: { icon: ':white_check_mark:', text: 'Resolved' },
  recovered: { icon: ':large_green_circle:', text: 'Recovered' },
};

/** What the alert says it is about, as far as labels tell. Every field optional. */
export const AlertTarget = z.object({
  cluster: z.string().optional(),
  namespace: z.string().optional(),
  pod: z.string().optional(),
  deployment: z.string().optional(),
  statefulset: z.string().optional(),
  daemonset: z.string().optional(),
  node: z.string().optional(),
  container: z.string().optional(),
});
export type AlertTarget = z.infer<typeof AlertTarget>;

export const Link = z.object({ title: z.string(), url: z.string() });
export type Link = z.infer<typeof Link>;

/** One member alert of an Alertmanager group (shown as a list in the thread). */
export const MemberAlert = z.object({
  status: z.enum(['firing', 'resolved']),
  name: z.string(),
  summary: z.string().optional(),
  labels: z.record(z.string(), z.string()),
  startsAt: z.string().optional(),
  fingerprint: z.string().optional(),
});
export type MemberAlert = z.infer<typeof MemberAlert>;

export const Alert = z.object({
  source: AlertSource,
  /** Stable id of the incident at the source: PagerDuty incident id, Alertmanager groupKey. */
  externalId: z.string().min(1),
  /** Delivery id (X-Webhook-Id, or a hash of the body) for redelivery dedup. */
  deliveryId: z.string().min(1),
  /** Source event, e.g. incident.triggered or alertmanager.firing. */
  eventType: z.string(),
  title: z.string(),
  severity: Severity,
  status: IncidentStatus,
  /** True when this event re-opens a resolved incident (re-trigger, reopened). */
  retrigger: z.boolean().default(false),
  labels: z.record(z.string(), z.string()).default({}),
  target: AlertTarget.default({}),
  service: z.object({ id: z.string(), name: z.string() }).optional(),
  links: z.array(Link).default([]),
  members: z.array(MemberAlert).default([]),
  truncatedAlerts: z.int().min(0).default(0),
  occurredAt: z.string(),
});
export type Alert = z.infer<typeof Alert>;

/** Stable key of an incident across deliveries and processes. */
export function incidentKeyOf(alert: Pick<Alert, 'source' | 'externalId'>): string {
  return `${alert.source}:${alert.externalId}`;
}

export const Incident = z.object({
  id: z.string(),
  key: z.string(),
  source: AlertSource,
  externalId: z.string(),
  title: z.string(),
  severity: Severity,
  status: IncidentStatus,
  labels: z.record(z.string(), z.string()),
  target: AlertTarget,
  service: z.object({ id: z.string(), name: z.string() }).optional(),
  links: z.array(Link),
  members: z.array(MemberAlert),
  truncatedAlerts: z.int().min(0),
  /** Slack channel id and root message ts, once the thread exists. */
  channel: z.string().optional(),
  threadTs: z.string().optional(),
  /** How many times the incident was (re-)triggered; each trigger gets one analysis. */
  triggerCount: z.int().min(1).optional(),
  /** occurredAt of the newest event applied; older events arriving late change nothing. */
  lastEventAt: z.string().optional(),
  /** Highest trigger whose analysis job is queued; below triggerCount means one is still owed. */
  analysisQueuedFor: z.int().min(0).optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Incident = z.infer<typeof Incident>;
