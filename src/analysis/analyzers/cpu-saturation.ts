import { parseQuantity } from '../../decisions/actions/risk.js';
import type { Analyzer, Finding, ProposedAction } from '../types.js';
import { parseUsage } from './insufficient-resources.js';
import { makeFinding, podSpec, subjectId } from './objects.js';
import { formatCpu } from './scheduling.js';

const name = 'cpu-saturation';
/** Use at or above this share of the limit means the CFS quota throttles the container. */
const saturated = 0.9;

/**
 * Containers whose CPU use (metrics API) sits at their CPU limit: they are throttled, so
 * requests slow down and probes time out. Proposes set_resources doubling the CPU limit when
 * the workload is known (the fix for throttling); the evidence quotes use against limit.
 */
export const analyzeCpuSaturation: Analyzer = (evidence) => {
  const usage = evidence.objects?.usage ?? [];
  const podNames = new Set(evidence.pods.map((p) => p.metadata?.name));
  const containers = podSpec(evidence)?.containers ?? [];
  const findings: Finding[] = [];
  const proposals: ProposedAction[] = [];
  for (const c of containers) {
    const limit = parseQuantity(c.resources?.limits?.cpu ?? '');
    if (limit === undefined || limit <= 0) continue;
    const uses = usage.filter((u) => podNames.has(u.name)).flatMap((u) => u.containers.filter((x) => x.name === c.name).map((x) => ({ pod: u.name, cpu: parseUsage(x.cpu) })));
    const hot = uses.filter((u) => u.cpu >= limit * saturated);
    if (hot.length === 0 || hot.length * 2 < uses.length) continue;
    const object = subjectId(evidence) ?? '?';
    const ref = evidence.workload?.ref;
    const next = formatCpu(limit * 2);
    if (ref) {
      proposals.push({
        action: { type: 'set_resources', namespace: ref.namespace, kind: ref.kind, name: ref.name, container: c.name, limits: { cpu: next } },
        confidence: 0.6,
        rationale: `Container ${c.name} uses ${hot.map((h) => formatCpu(Number(h.cpu.toFixed(3)))).join(', ')} CPU against its ${c.resources?.limits?.cpu ?? '?'} limit: it is throttled. A ${next} limit removes the throttling if the nodes have the CPU; if use keeps rising, scale out instead.`,
        origin: `analyzer:${name}`,
      });
    }
    findings.push(
      makeFinding({
        analyzer: name,
        kind: 'cpu-throttling',
        object,
        title: `${object}: container ${c.name} is CPU-throttled at its limit`,
        summary: `${hot.length} of ${uses.length} pod(s) use ≥ ${Math.round(saturated * 100)}% of the ${c.resources?.limits?.cpu ?? '?'} CPU limit of ${c.name}; the kernel throttles them, so latency rises and probes may time out.`,
        evidence: [...uses.map((u) => `pod ${u.pod}: ${formatCpu(Number(u.cpu.toFixed(3)))} CPU (metrics API) of limit ${c.resources?.limits?.cpu ?? '?'}`), `requests.cpu ${c.resources?.requests?.cpu ?? 'none'}`],
        ...(ref ? {} : { fix: `Raise the CPU limit of ${c.name} (kubectl set resources … --limits=cpu=${next}) or add replicas.` }),
        severity: 'warning',
      }),
    );
  }
  return { findings, proposals };
};
