import type { V1Service } from '@kubernetes/client-node';
import type { Analyzer, Evidence, Finding } from '../types.js';
import { inScope, isPodReady, livePods, makeFinding, namespaceOf, podLabels, podTemplate, selectsLabels } from './objects.js';

const name = 'service-endpoints';

/**
 * Services that belong to the subject, or all, namespace-wide: those whose selector matches its
 * pod template, and the one named like the workload (the Service in front of Deployment
 * `reviews` is usually `reviews`; when its selector has a typo it selects nothing, and that is
 * the cause an alert on the workload is after).
 */
export function servicesInScope(evidence: Evidence): V1Service[] {
  const labels = podTemplate(evidence)?.metadata?.labels;
  const workload = evidence.workload?.ref.name;
  return (evidence.objects?.services ?? []).filter((s) => {
    const selector = s.spec?.selector;
    if (!selector || Object.keys(selector).length === 0 || s.spec?.type === 'ExternalName') return false;
    const name = s.metadata?.name ?? '';
    return inScope(evidence, 'Service', name, selectsLabels(selector, labels) || (workload !== undefined && name === workload));
  });
}

/**
 * A Service with no ready endpoint: its selector matches no pod (the usual typo), or it matches
 * pods none of which is Ready. Read from the Service, the pods and the Endpoints object. The
 * fix is text: the catalog has no Service edit.
 */
export const analyzeServiceEndpoints: Analyzer = (evidence) => {
  const findings: Finding[] = [];
  const ns = namespaceOf(evidence);
  const pods = livePods(evidence);
  for (const svc of servicesInScope(evidence)) {
    const svcName = svc.metadata?.name ?? '?';
    const selector = svc.spec?.selector ?? {};
    const selected = pods.filter((p) => selectsLabels(selector, podLabels(p)));
    const ep = evidence.objects?.endpoints.find((e) => e.metadata?.name === svcName);
    const ready = (ep?.subsets ?? []).reduce((n, s) => n + (s.addresses ?? []).length, 0);
    const notReady = (ep?.subsets ?? []).reduce((n, s) => n + (s.notReadyAddresses ?? []).length, 0);
    const sel = Object.entries(selector).map(([k, v]) => `${k}=${v}`).join(',');
    const epLine = ep ? `Endpoints ${svcName}: ${ready} ready, ${notReady} not ready address(es)` : `Endpoints ${svcName}: none`;
    if (selected.length === 0) {
      // The subject's own labels first: the Service named like the workload meant its pods.
      const own = podTemplate(evidence)?.metadata?.labels;
      const near = nearMiss(selector, [...(own ? [own] : []), ...pods.map(podLabels)]);
      findings.push(
        makeFinding({
          analyzer: name,
          kind: 'service-selector-mismatch',
          object: `Service/${ns}/${svcName}`,
          title: `Service ${svcName} selects no pod`,
          summary: `Service ${svcName} selects ${sel}, which no pod in ${ns} carries: it has no endpoints and every connection to it fails.`,
          evidence: [`spec.selector: ${JSON.stringify(selector)}`, epLine, near ? `closest pods carry ${near}` : `pods in ${ns}: ${pods.length}`],
          fix: `Fix the selector to the pods' labels: kubectl -n ${ns} patch service ${svcName} -p '{"spec":{"selector":${JSON.stringify(near ? Object.fromEntries(near.split(',').map((kv) => kv.split('='))) : selector)}}}'`,
        }),
      );
      continue;
    }
    const readyPods = selected.filter(isPodReady);
    if (readyPods.length === 0 && ready === 0) {
      findings.push(
        makeFinding({
          analyzer: name,
          kind: 'service-no-endpoints',
          object: `Service/${ns}/${svcName}`,
          title: `Service ${svcName} has no ready endpoints`,
          summary: `Service ${svcName} selects ${selected.length} pod(s), none of them Ready: the Service has no endpoints to send traffic to. The pods' own findings say why they are not Ready.`,
          evidence: [`spec.selector: ${JSON.stringify(selector)}`, epLine, ...selected.slice(0, 4).map((p) => `pod ${p.metadata?.name ?? '?'}: phase ${p.status?.phase ?? '?'}, Ready=${isPodReady(p) ? 'True' : 'False'}`)],
          fix: `Make the selected pods Ready (see the other findings), then check: kubectl -n ${ns} get endpoints ${svcName}`,
          severity: 'warning',
        }),
      );
    }
  }
  return { findings, proposals: [] };
};

/** The label set of a pod that shares the most keys with the selector (a likely typo). */
function nearMiss(selector: Record<string, string>, labelSets: Record<string, string>[]): string | undefined {
  let best: Record<string, string> | undefined;
  let score = 0;
  for (const labels of labelSets) {
    const s = Object.keys(selector).filter((k) => labels[k] !== undefined).length;
    if (s > score) {
      score = s;
      best = labels;
    }
  }
  if (!best) return undefined;
  const b = best;
  return Object.keys(selector).filter((k) => b[k] !== undefined).map((k) => `${k}=${b[k] ?? ''}`).join(',');
}
