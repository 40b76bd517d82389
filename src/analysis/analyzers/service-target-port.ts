import type { V1Container } from '@kubernetes/client-node';
import type { Analyzer, Finding } from '../types.js';
import { livePods, makeFinding, namespaceOf, podLabels, selectsLabels } from './objects.js';
import { servicesInScope } from './service-endpoints.js';

const name = 'service-target-port';

/**
 * A Service port whose targetPort no selected container exposes: a number not among the
 * containers' ports, or a name no container port has (the endpoints then lack that port).
 */
export const analyzeServiceTargetPort: Analyzer = (evidence) => {
  const findings: Finding[] = [];
  const ns = namespaceOf(evidence);
  const pods = livePods(evidence);
  for (const svc of servicesInScope(evidence)) {
    const svcName = svc.metadata?.name ?? '?';
    const selected = pods.filter((p) => selectsLabels(svc.spec?.selector, podLabels(p)));
    const [pod] = selected;
    if (!pod) continue;
    const containers: V1Container[] = pod.spec?.containers ?? [];
    const ports = containers.flatMap((c) => (c.ports ?? []).map((p) => ({ container: c.name, ...p })));
    if (ports.length === 0) continue;
    for (const sp of svc.spec?.ports ?? []) {
      const target = sp.targetPort ?? sp.port;
      const protocol = sp.protocol ?? 'TCP';
      const exposed = typeof target === 'number' || /^\d+$/.test(String(target))
        ? ports.some((p) => p.containerPort === Number(target) && (p.protocol ?? 'TCP') === protocol)
        : ports.some((p) => p.name === target && (p.protocol ?? 'TCP') === protocol);
      if (exposed) continue;
      const declared = ports.map((p) => `${p.container}: ${p.name ? `${p.name}=` : ''}${p.containerPort}/${p.protocol ?? 'TCP'}`).join(', ');
      const first = ports.find((p) => (p.protocol ?? 'TCP') === protocol) ?? ports[0];
      findings.push(
        makeFinding({
          analyzer: name,
          kind: 'service-target-port',
          object: `Service/${ns}/${svcName}`,
          title: `Service ${svcName} port ${sp.port} targets ${String(target)}/${protocol}, which its pods do not expose`,
          summary: `Service ${svcName} forwards port ${sp.port} to targetPort ${String(target)}/${protocol}, but the selected pods declare ${declared}: connections to the Service are refused or go nowhere.`,
          evidence: [`spec.ports: ${JSON.stringify(svc.spec?.ports ?? [])}`, `pod ${pod.metadata?.name ?? '?'} container ports: ${declared}`],
          fix: `Point the Service at the container's port: kubectl -n ${ns} patch service ${svcName} --type=json -p '[{"op":"replace","path":"/spec/ports/${(svc.spec?.ports ?? []).indexOf(sp)}/targetPort","value":${first?.name ? JSON.stringify(first.name) : String(first?.containerPort ?? '?')}}]'`,
          severity: 'warning',
        }),
      );
    }
  }
  return { findings, proposals: [] };
};
