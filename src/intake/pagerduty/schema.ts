import * as z from 'zod';

/**
 * PagerDuty V3 webhook payloads (libraries.md §8). The envelope is parsed first, so that
 * event types Deckhand does not handle are acknowledged without demanding their data shape.
 */
export const PagerDutyEnvelope = z.object({
  event: z.object({
    id: z.string().min(1),
    event_type: z.string().min(1),
    resource_type: z.string(),
    occurred_at: z.string().min(1),
    data: z.unknown(),
  }),
});
export type PagerDutyEnvelope = z.infer<typeof PagerDutyEnvelope>;

export const PagerDutyReference = z.object({
  id: z.string().min(1),
  type: z.string().optional(),
  summary: z.string().optional(),
  html_url: z.string().nullish(),
});
export type PagerDutyReference = z.infer<typeof PagerDutyReference>;

export const PagerDutyIncident = z.object({
  id: z.string().min(1),
  type: z.literal('incident'),
  html_url: z.string().optional(),
  number: z.number().optional(),
  status: z.enum(['triggered', 'acknowledged', 'resolved']),
  incident_key: z.string().nullish(),
  title: z.string(),
  created_at: z.string().optional(),
  service: PagerDutyReference,
  urgency: z.enum(['high', 'low']).optional(),
  priority: PagerDutyReference.nullish(),
});
export type PagerDutyIncident = z.infer<typeof PagerDutyIncident>;

/** The event types that change an incident's thread; every other type is acknowledged and ignored. */
export const handledPagerDutyEvents = [
  'incident.triggered',
  'incident.acknowledged',
  'incident.resolved',
  'incident.reopened',
  'incident.escalated',
  // Back to triggered when the acknowledgement timed out (or was undone).
  'incident.unacknowledged',
  // Priority drives the shown severity.
  'incident.priority_updated',
] as const;
export type HandledPagerDutyEvent = (typeof handledPagerDutyEvents)[number];

export function isHandledPagerDutyEvent(type: string): type is HandledPagerDutyEvent {
  return (handledPagerDutyEvents as readonly string[]).includes(type);
}
