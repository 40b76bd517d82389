import * as z from 'zod';
import { AlertSource, NamespaceName, RiskLevel, Severity } from '../vocabulary.js';

/**
 * The schema of deckhand.yaml. deckhand.example.yaml documents every key; keep them in step.
 */

export const ClusterConfig = z
  .strictObject({
    /** Context in the kubeconfig (KUBECONFIG or `kubeconfig`). */
    context: z.string().optional(),
    /** Path of a kubeconfig file for this cluster; default: KUBECONFIG / ~/.kube/config. */
    kubeconfig: z.string().optional(),
    /** Use the pod's service account (in-cluster). */
    inCluster: z.boolean().optional(),
    /** Direct connection: API server URL plus a bearer token and CA. */
    server: z.url().optional(),
    /** Name of an environment variable holding the bearer token (never the token itself). */
    tokenEnv: z.string().optional(),
    tokenFile: z.string().optional(),
    caFile: z.string().optional(),
    caData: z.string().optional(),
    skipTLSVerify: z.boolean().optional(),
    /** Namespaces on this cluster where any action is at least high risk. */
    protectedNamespaces: z.array(NamespaceName).default([]),
  })
  .refine((c) => [c.context !== undefined || c.kubeconfig !== undefined, c.inCluster === true, c.server !== undefined].filter(Boolean).length <= 1, {
    error: 'choose one of: context/kubeconfig, inCluster, server',
  });
export type ClusterConfig = z.infer<typeof ClusterConfig>;

export const channelModes = ['plan', 'approval', 'yolo'] as const;
export const ChannelMode = z.enum(channelModes);
export type ChannelMode = z.infer<typeof ChannelMode>;

export const YoloPolicy = z.strictObject({
  /** Highest risk that may run by itself. `high` also needs allowHigh. */
  maxRisk: RiskLevel.exclude(['forbidden']).default('medium'),
  minConfidence: z.number().min(0).max(1).default(0.8),
  /** High-risk actions may run by themselves only when this is true (and confidence ≥ 0.9). */
  allowHigh: z.boolean().default(false),
});
export type YoloPolicy = z.infer<typeof YoloPolicy>;

export const DenyRule = z.strictObject({
  type: z.string().optional(),
  namespace: z.string().optional(),
  name: z.string().optional(),
  node: z.string().optional(),
});
export type DenyRule = z.infer<typeof DenyRule>;

export const ChannelConfig = z.strictObject({
  /** Human name, only for messages and logs. */
  name: z.string().optional(),
  mode: ChannelMode.default('approval'),
  cluster: z.string(),
  /** Namespaces this channel may touch; `*` allows all. */
  namespaces: z.array(z.union([NamespaceName, z.literal('*')])).min(1),
  approvers: z
    .strictObject({
      users: z.array(z.string().regex(/^[UW][A-Z0-9]+$/, { error: 'Slack user ids look like U0123ABCD' })).default([]),
      groups: z.array(z.string().regex(/^S[A-Z0-9]+$/, { error: 'Slack user-group ids look like S0123ABCD' })).default([]),
    })
    .default({ users: [], groups: [] }),
  yolo: YoloPolicy.prefault({}),
  /** Extra protected namespaces for this channel. */
  protectedNamespaces: z.array(NamespaceName).default([]),
  deny: z.array(DenyRule).default([]),
});
export type ChannelConfig = z.infer<typeof ChannelConfig>;

export const RouteMatch = z.strictObject({
  source: AlertSource.optional(),
  /** Every label given must equal the alert's (cluster, namespace, severity, alertname…). */
  labels: z.record(z.string(), z.string()).default({}),
  severity: z.array(Severity).optional(),
  /** PagerDuty service id (PXXXXXX). */
  pagerdutyService: z.string().optional(),
});
export type RouteMatch = z.infer<typeof RouteMatch>;

export const Route = z.strictObject({
  match: RouteMatch.prefault({}),
  channel: z.string().regex(/^[CG][A-Z0-9]+$/, { error: 'Slack channel ids look like C0123ABCD' }),
});
export type Route = z.infer<typeof Route>;

/** Where a PagerDuty service's incidents live, since PagerDuty payloads carry no labels. */
export const ServiceMapping = z.strictObject({
  cluster: z.string().optional(),
  namespace: NamespaceName.optional(),
  deployment: z.string().optional(),
  statefulset: z.string().optional(),
  daemonset: z.string().optional(),
});
export type ServiceMapping = z.infer<typeof ServiceMapping>;

/** `60s`, `2m`, `1500ms`, `1h` (or a number of seconds) → milliseconds. */
export const Duration = z.union([
  z.number().min(0).transform((s) => Math.round(s * 1000)),
  z
    .string()
    .regex(/^\d+(\.\d+)?(ms|s|m|h)$/, { error: 'a duration such as 60s, 2m or 1500ms' })
    .transform((text) => {
      const [, amount = '0', unit = 's'] = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(text) ?? [];
      return Math.round(Number(amount) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[unit as 'ms' | 's' | 'm' | 'h']);
    }),
]);

/** Watching clusters for failing workloads (incidents without an alert); src/watch. */
export const DetectionConfig = z.strictObject({
  enabled: z.boolean().default(false),
  /** A failure must persist this long before an incident opens. */
  for: Duration.default(60_000),
  /** Healthy this long: the incident is marked recovered. */
  recoverAfter: Duration.default(120_000),
  /** Namespaces to watch (`*` = all); default: the namespaces some channel may touch. */
  namespaces: z.array(z.union([NamespaceName, z.literal('*')])).optional(),
  /** Namespace of the coordination.k8s.io Lease that elects one watcher per cluster. */
  leaseNamespace: NamespaceName.default('deckhand'),
});
export type DetectionConfig = z.infer<typeof DetectionConfig>;

/** A Kubernetes identity an action may run as (Impersonate-User / Impersonate-Group). */
export const KubeIdentity = z.strictObject({
  user: z.string().min(1),
  groups: z.array(z.string().min(1)).default([]),
});
export type KubeIdentity = z.infer<typeof KubeIdentity>;

/**
 * Slack people → Kubernetes identities. A person's identity is their `users` entry (user and
 * groups) plus the groups of every mapped Slack user group they belong to; someone mapped only
 * through a group acts as the Kubernetes user `slack:<their Slack user id>`.
 */
export const Identities = z.strictObject({
  users: z.record(z.string().regex(/^[UW][A-Z0-9]+$/, { error: 'identities.users keys are Slack user ids (U0123ABCD)' }), KubeIdentity).default({}),
  groups: z
    .record(z.string().regex(/^S[A-Z0-9]+$/, { error: 'identities.groups keys are Slack user-group ids (S0123ABCD)' }), z.strictObject({ groups: z.array(z.string().min(1)).min(1) }))
    .default({}),
});
export type Identities = z.infer<typeof Identities>;

export const runAsModes = ['approver', 'bot'] as const;
export const RunAs = z.enum(runAsModes);
export type RunAs = z.infer<typeof RunAs>;

export const FileConfig = z.strictObject({
  clusters: z.record(z.string(), ClusterConfig).default({}),
  channels: z.record(z.string().regex(/^[CG][A-Z0-9]+$/, { error: 'channel keys are Slack channel ids (C0123ABCD)' }), ChannelConfig).default({}),
  routes: z.array(Route).default([]),
  pagerduty: z.strictObject({ services: z.record(z.string(), ServiceMapping).default({}) }).prefault({}),
  identities: Identities.prefault({}),
  execution: z
    .strictObject({
      /** `approver`: approved actions impersonate the approver whose click completed the approval; `bot`: Deckhand's own identity. */
      runAs: RunAs.default('bot'),
    })
    .prefault({}),
  policy: z
    .strictObject({
      /** Minutes before an undecided proposal expires. */
      proposalTtlMinutes: z.int().min(1).default(30),
      /** Namespaces protected on every cluster, added to kube-system, kube-public, kube-node-lease. */
      protectedNamespaces: z.array(NamespaceName).default([]),
      deny: z.array(DenyRule).default([]),
    })
    .prefault({}),
  audit: z
    .strictObject({
      /** Entries kept in the audit stream (older ones trimmed). */
      maxEntries: z.int().min(100).default(100_000),
      retentionDays: z.int().min(1).default(90),
    })
    .prefault({}),
  detection: DetectionConfig.prefault({}),
  analysis: z
    .strictObject({
      maxSteps: z.int().min(1).max(50).default(8),
      maxToolBytes: z.int().min(256).default(16_384),
      maxIncidentToolBytes: z.int().min(1024).default(65_536),
      maxIncidentTokens: z.int().min(1000).default(60_000),
    })
    .prefault({}),
});
export type FileConfig = z.infer<typeof FileConfig>;
