import type { V1LabelSelector, V1OwnerReference } from '@kubernetes/client-node';

/**
 * Renders a LabelSelector as the query-string form the API server accepts
 * (`app=web,tier in (a,b),!legacy`). An empty selector matches everything, as in Kubernetes.
 */
export function labelSelectorOf(selector: V1LabelSelector | undefined): string {
  if (!selector) return '';
  const terms: string[] = [];
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) terms.push(`${key}=${value}`);
  for (const expr of selector.matchExpressions ?? []) {
    const values = (expr.values ?? []).join(',');
    if (expr.operator === 'In') terms.push(`${expr.key} in (${values})`);
    else if (expr.operator === 'NotIn') terms.push(`${expr.key} notin (${values})`);
    else if (expr.operator === 'Exists') terms.push(expr.key);
    else if (expr.operator === 'DoesNotExist') terms.push(`!${expr.key}`);
  }
  return terms.join(',');
}

/** The controller owner reference of an object, if any. */
export function controllerOf(metadata: { ownerReferences?: V1OwnerReference[] } | undefined): V1OwnerReference | undefined {
  const refs = metadata?.ownerReferences ?? [];
  return refs.find((r) => r.controller === true) ?? refs[0];
}

export const revisionAnnotation = 'deployment.kubernetes.io/revision';

/** The `deployment.kubernetes.io/revision` of an object, or 0 when absent or not a number. */
export function revisionOf(metadata: { annotations?: Record<string, string> } | undefined): number {
  const raw = metadata?.annotations?.[revisionAnnotation];
  const value = raw === undefined ? Number.NaN : Number.parseInt(raw, 10);
  return Number.isFinite(value) ? value : 0;
}
