import type { V2HorizontalPodAutoscaler } from '@kubernetes/client-node';
import type { Analyzer, Finding } from '../types.js';

const name = 'hpa-at-max';

/**
 * An HPA at its maximum replicas while a metric is above target: the workload wants more
 * capacity than allowed. Reported only; raising maxReplicas is not a catalog action, and
 * scaling by hand would be undone by the HPA.
 */
export const analyzeHpaAtMax: Analyzer = (evidence) => {
  const findings: Finding[] = [];
  for (const hpa of evidence.hpas) {
    const max = hpa.spec?.maxReplicas;
    const current = hpa.status?.currentReplicas ?? 0;
    if (max === undefined || current < max) continue;
    const metrics = describeMetrics(hpa);
    const limited = hpa.status?.conditions?.find((c) => c.type === 'ScalingLimited' && c.status === 'True');
    const hpaName = hpa.metadata?.name ?? '?';
    findings.push({
      analyzer: name,
      kind: 'hpa-at-max',
      object: `HorizontalPodAutoscaler/${hpa.metadata?.namespace ?? '?'}/${hpaName}`,
      fix: `Raise maxReplicas: kubectl -n ${hpa.metadata?.namespace ?? '?'} patch hpa ${hpaName} -p '{"spec":{"maxReplicas":${max * 2}}}' (the cluster must have room), or reduce the load.`,
      title: `HPA ${hpaName} is at its maximum (${current}/${max} replicas)`,
      severity: 'warning',
      summary:
        `HPA ${hpaName} runs ${current} replicas, its maximum (min ${hpa.spec?.minReplicas ?? 1}), ${metrics.length > 0 ? `with ${metrics.join(', ')}` : 'so it cannot add capacity'}. ` +
        'Raise maxReplicas or reduce load; scaling by hand would be undone by the HPA.',
      evidence: [
        `target ${hpa.spec?.scaleTargetRef.kind ?? '?'}/${hpa.spec?.scaleTargetRef.name ?? '?'}, replicas ${current} (min ${hpa.spec?.minReplicas ?? 1}, max ${max})`,
        ...metrics,
        ...(limited ? [`ScalingLimited: ${limited.reason ?? ''} ${limited.message ?? ''}`.trim()] : []),
      ],
    });
  }
  return { findings, proposals: [] };
};

function describeMetrics(hpa: V2HorizontalPodAutoscaler): string[] {
  const out: string[] = [];
  const current = hpa.status?.currentMetrics ?? [];
  for (const [i, m] of (hpa.spec?.metrics ?? []).entries()) {
    if (m.type !== 'Resource' || !m.resource) continue;
    const target = m.resource.target.averageUtilization;
    const now = current[i]?.resource?.current.averageUtilization ?? current.find((c) => c.resource?.name === m.resource?.name)?.resource?.current.averageUtilization;
    if (target !== undefined) out.push(`${m.resource.name} ${now ?? '?'}% of requests vs target ${target}%`);
  }
  return out;
}
