import type { V2HorizontalPodAutoscaler, V2MetricSpec, V2MetricStatus } from '@kubernetes/client-node';
import { boundHead, clip, defaultMaxChars, type BoundOptions } from './bound.js';

function targetOf(spec: V2MetricSpec): string {
  const t = spec.resource?.target ?? spec.pods?.target ?? spec.object?.target ?? spec.external?.target ?? spec.containerResource?.target;
  if (!t) return '?';
  if (t.averageUtilization !== undefined) return `${t.averageUtilization}%`;
  return String(t.averageValue ?? t.value ?? '?');
}

function currentOf(status: V2MetricStatus | undefined): string {
  const c = status?.resource?.current ?? status?.pods?.current ?? status?.object?.current ?? status?.external?.current ?? status?.containerResource?.current;
  if (!c) return '<unknown>';
  if (c.averageUtilization !== undefined) return `${c.averageUtilization}%`;
  return String(c.averageValue ?? c.value ?? '<unknown>');
}

function metricName(spec: { type: string; resource?: { name: string }; pods?: { metric: { name: string } }; object?: { metric: { name: string } }; external?: { metric: { name: string } }; containerResource?: { name: string; container: string } }): string {
  if (spec.resource) return `resource ${spec.resource.name}`;
  if (spec.containerResource) return `container ${spec.containerResource.container} ${spec.containerResource.name}`;
  if (spec.pods) return `pods metric ${spec.pods.metric.name}`;
  if (spec.object) return `object metric ${spec.object.metric.name}`;
  if (spec.external) return `external metric ${spec.external.metric.name}`;
  return spec.type;
}

/**
 * HPA status: min/max/current/desired replicas, each metric against its target, the
 * conditions, and "at its maximum" when it wants at least max replicas and already has them.
 */
export function formatHpa(hpa: V2HorizontalPodAutoscaler, options: BoundOptions = {}): string {
  const spec = hpa.spec;
  const status = hpa.status;
  const min = spec?.minReplicas ?? 1;
  const max = spec?.maxReplicas ?? 0;
  const current = status?.currentReplicas ?? 0;
  const desired = status?.desiredReplicas ?? 0;
  const target = spec?.scaleTargetRef ? `${spec.scaleTargetRef.kind}/${spec.scaleTargetRef.name}` : '?';
  const atMax = max > 0 && current === max && desired >= max;
  const lines = [
    `hpa ${hpa.metadata?.namespace ?? '?'}/${hpa.metadata?.name ?? '?'} → ${target}: min ${min}, max ${max}, current ${current}, desired ${desired}${atMax ? ' — at its maximum: it cannot add replicas' : ''}`,
  ];
  const statuses = status?.currentMetrics ?? [];
  for (const m of spec?.metrics ?? []) {
    const name = metricName(m);
    const match = statuses.find((s) => metricName(s) === name);
    lines.push(`  metric ${name}: current ${currentOf(match)} vs target ${targetOf(m)}`);
  }
  for (const c of status?.conditions ?? []) {
    lines.push(`  condition ${c.type}=${c.status}${c.reason ? ` ${c.reason}` : ''}${c.message ? `: ${clip(c.message, 200)}` : ''}`);
  }
  return boundHead(lines.join('\n'), options.maxChars ?? defaultMaxChars);
}
