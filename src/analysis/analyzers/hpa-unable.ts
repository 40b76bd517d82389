import type { Analyzer, Finding } from '../types.js';
import { describeEvent, eventsOf, makeFinding, namespaceOf } from './objects.js';

const name = 'hpa-unable';

/**
 * An HPA that cannot scale: `ScalingActive=False` (FailedGetResourceMetric: no metrics, or
 * "missing request for cpu") or `AbleToScale=False` (FailedGetScale). Fix as text: requests on
 * the containers, or a working metrics API.
 */
export const analyzeHpaUnable: Analyzer = (evidence) => {
  const findings: Finding[] = [];
  const ns = namespaceOf(evidence);
  for (const hpa of evidence.hpas) {
    const hpaName = hpa.metadata?.name ?? '?';
    const bad = (hpa.status?.conditions ?? []).find((c) => (c.type === 'ScalingActive' || c.type === 'AbleToScale') && c.status === 'False');
    if (!bad) continue;
    const message = bad.message ?? '';
    // Older controllers print the container bare, newer ones quoted: `in container "web" of Pod "…"`.
    const missing = /missing request for (\w+)(?: in container "?([^\s"]+)"?)?/.exec(message);
    const noMetrics = /unable to get metrics|no metrics returned|unable to fetch metrics/.test(message);
    const target = `${hpa.spec?.scaleTargetRef.kind ?? '?'}/${hpa.spec?.scaleTargetRef.name ?? '?'}`;
    findings.push(
      makeFinding({
        analyzer: name,
        kind: 'hpa-unable-to-scale',
        object: missing ? `${hpa.spec?.scaleTargetRef.kind ?? 'Deployment'}/${ns}/${hpa.spec?.scaleTargetRef.name ?? '?'}` : `HorizontalPodAutoscaler/${ns}/${hpaName}`,
        title: `HPA ${hpaName} cannot scale ${target}`,
        summary: `${bad.type}=False (${bad.reason ?? ''}): ${message}`,
        evidence: [`${bad.type}=False ${bad.reason ?? ''}: ${message}`, ...eventsOf(evidence, 'HorizontalPodAutoscaler', hpaName, /^Failed/).slice(0, 2).map(describeEvent), `replicas ${hpa.status?.currentReplicas ?? 0} (min ${hpa.spec?.minReplicas ?? 1}, max ${hpa.spec?.maxReplicas ?? '?'})`],
        fix: missing
          ? `Set a ${missing[1] ?? 'cpu'} request on ${missing[2] ? `container ${missing[2]}` : 'every container'} of ${target} (kubectl set resources ${target.toLowerCase()} -n ${ns} --requests=${missing[1] ?? 'cpu'}=<value>): utilization is measured against requests.`
          : noMetrics
            ? 'The metrics API returns nothing for these pods: check metrics-server (kubectl get apiservice v1beta1.metrics.k8s.io; kubectl top pods).'
            : `Fix what the condition says (kubectl -n ${ns} describe hpa ${hpaName}).`,
        severity: 'warning',
      }),
    );
  }
  return { findings, proposals: [] };
};
