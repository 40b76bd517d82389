import * as z from 'zod';

/** Prometheus Alertmanager webhook, version "4" (notify/webhook/webhook.go; libraries.md §9). */
export const AlertmanagerAlert = z.object({
  status: z.enum(['firing', 'resolved']),
  labels: z.record(z.string(), z.string()),
  annotations: z.record(z.string(), z.string()).default({}),
  startsAt: z.string().optional(),
  endsAt: z.string().optional(),
  generatorURL: z.string().optional(),
  fingerprint: z.string().optional(),
});
export type AlertmanagerAlert = z.infer<typeof AlertmanagerAlert>;

export const AlertmanagerPayload = z.object({
  version: z.literal('4', { error: 'only Alertmanager webhook version "4" is supported' }),
  groupKey: z.string().min(1),
  truncatedAlerts: z.int().min(0).default(0),
  status: z.enum(['firing', 'resolved']),
  receiver: z.string(),
  groupLabels: z.record(z.string(), z.string()).default({}),
  commonLabels: z.record(z.string(), z.string()).default({}),
  commonAnnotations: z.record(z.string(), z.string()).default({}),
  externalURL: z.string().default(''),
  alerts: z.array(AlertmanagerAlert).min(1),
});
export type AlertmanagerPayload = z.infer<typeof AlertmanagerPayload>;
