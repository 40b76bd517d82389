import type { Analyzer, Finding } from '../types.js';
import { describeEvent, eventsWhere, unique, workloadLabel } from './helpers.js';
import { analyzeProbePort } from './probe-port.js';
import { analyzeProbeTiming } from './probe-timing.js';

const name = 'failing-probes';

/**
 * Readiness / liveness / startup probe failures reported by the kubelet, when no specific
 * probe analyzer (wrong port or scheme, slow start) already explains them. Reported only.
 */
export const analyzeFailingProbes: Analyzer = (evidence, now) => {
  if (analyzeProbePort(evidence, now).findings.length > 0 || analyzeProbeTiming(evidence, now).findings.length > 0) return { findings: [], proposals: [] };
  const events = eventsWhere(evidence, (e) => e.reason === 'Unhealthy' && /probe failed/i.test(e.message ?? ''), 3);
  if (events.length === 0) return { findings: [], proposals: [] };
  const kinds = unique(events.map((e) => /^(\w+) probe/i.exec(e.message ?? '')?.[1]?.toLowerCase() ?? 'a'));
  const finding: Finding = {
    analyzer: name,
    kind: 'probe-failing',
    ...(evidence.workload ? { object: `${evidence.workload.ref.kind}/${evidence.workload.ref.namespace}/${evidence.workload.ref.name}` } : {}),
    title: `${workloadLabel(evidence)}: ${kinds.join('/')} probe failing`,
    severity: 'warning',
    summary: kinds.includes('liveness')
      ? 'The liveness probe fails, so the kubelet keeps restarting the container.'
      : 'The readiness probe fails, so the pods receive no traffic.',
    evidence: events.map(describeEvent),
  };
  return { findings: [finding], proposals: [] };
};
