import * as z from 'zod';

/**
 * The words every part of Deckhand shares: Kubernetes names, risk levels, alert sources and
 * severities. Schemas here are the strict ones: text from the cluster or the model that does
 * not fit them never reaches a kubectl rendering, an API call or a policy.
 */

// RFC 1123 subdomain (pods, workloads, nodes) and label (namespaces, containers).
const subdomain = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;
const label = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

export const ObjectName = z.string().regex(subdomain, { error: 'must be a valid Kubernetes object name (RFC 1123 subdomain)' });
export const NamespaceName = z.string().regex(label, { error: 'must be a valid Kubernetes namespace name (RFC 1123 label)' });
export const ContainerName = z.string().regex(label, { error: 'must be a valid container name (RFC 1123 label)' });

export const riskLevels = ['low', 'medium', 'high', 'forbidden'] as const;
export const RiskLevel = z.enum(riskLevels);
export type RiskLevel = z.infer<typeof RiskLevel>;

/** Orders risk levels so policies can compare them (`low` < `medium` < `high` < `forbidden`). */
export function riskRank(risk: RiskLevel): number {
  return riskLevels.indexOf(risk);
}

/** `watch`: Deckhand's own cluster watch (src/watch) opened the incident, no alert did. */
export const alertSources = ['pagerduty', 'alertmanager', 'watch'] as const;
export const AlertSource = z.enum(alertSources);
export type AlertSource = z.infer<typeof AlertSource>;

export const Severity = z.enum(['critical', 'high', 'warning', 'info']);
export type Severity = z.infer<typeof Severity>;
