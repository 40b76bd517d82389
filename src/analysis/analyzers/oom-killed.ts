import type { V1Container } from '@kubernetes/client-node';
import { formatMemory, parseQuantity } from '../../decisions/actions/risk.js';
import type { Analyzer, Evidence, Finding, ProposedAction } from '../types.js';
import { containerProblems, describeEvent, eventsWhere, unique, workloadLabel } from './helpers.js';
import { subjectId } from './objects.js';

const name = 'oom-killed';
const mi = 2 ** 20;

/**
 * Containers killed for exceeding their memory limit. Proposes set_resources with a new
 * memory limit of about twice the current one, rounded up to a tidy value but never beyond
 * 2x (so the change stays within the medium-risk rule).
 */
export const analyzeOomKilled: Analyzer = (evidence) => {
  const killed = containerProblems(evidence).filter((p) => p.lastReason === 'OOMKilled');
  const [first] = killed;
  if (!first) return { findings: [], proposals: [] };
  const container = first.status.name;
  const spec = templateContainer(evidence, container) ?? first.pod.spec?.containers.find((c) => c.name === container);
  const limit = spec?.resources?.limits?.memory;
  const request = spec?.resources?.requests?.memory;
  const lines = [
    `${killed.length} container(s) OOMKilled (exit code ${first.lastExitCode ?? 137}); restarts: ${killed.map((p) => `${p.podName} ×${p.status.restartCount}`).join(', ')}`,
    `container ${container}: memory limit ${limit ?? 'none'}, request ${request ?? 'none'}`,
    ...eventsWhere(evidence, (e) => e.reason === 'BackOff' || e.reason === 'OOMKilling', 1).map(describeEvent),
  ];
  const proposals: ProposedAction[] = [];
  const current = limit === undefined ? undefined : parseQuantity(limit);
  const ref = evidence.workload?.ref;
  const biggestNode = Math.max(0, ...evidence.nodes.map((n) => parseQuantity(n.status?.allocatable?.memory ?? '') ?? 0));
  const next = current === undefined ? undefined : nextMemoryLimit(current);
  const fitsNode = next !== undefined && (biggestNode === 0 || (parseQuantity(next) ?? 0) <= biggestNode);
  if (current !== undefined && current > 0 && ref && next !== undefined && fitsNode) {
    proposals.push({
      action: { type: 'set_resources', namespace: ref.namespace, kind: ref.kind, name: ref.name, container, limits: { memory: next } },
      confidence: 0.85,
      rationale: `Container ${container} is killed for using more than its ${limit} memory limit. Raising the limit to ${next} gives it room; if usage keeps growing, look for a leak.`,
      origin: `analyzer:${name}`,
    });
  } else {
    lines.push(limit === undefined ? 'no memory limit is set: the node ran out of memory, not the container' : !fitsNode ? `a limit of ${next ?? '?'} would not fit any node: no change proposed` : 'the workload could not be resolved: no change proposed');
  }
  const finding: Finding = {
    analyzer: name,
    kind: 'oom-killed',
    object: subjectId(evidence) ?? '?',
    ...(proposals.length > 0 ? {} : { fix: `Raise the memory limit of ${container} above its real peak use (kubectl set resources … --limits=memory=…), or find the leak.` }),
    title: `${workloadLabel(evidence)} is OOMKilled`,
    severity: 'critical',
    summary: `Container ${container} in ${unique(killed.map((k) => k.podName)).length} pod(s) was killed for running out of memory (limit ${limit ?? 'none'}).`,
    evidence: lines,
  };
  return { findings: [finding], proposals };
};

/** About 2x, rounded up to a multiple of 64Mi (or 256Mi above 1Gi), capped at exactly 2x. */
export function nextMemoryLimit(currentBytes: number): string {
  const doubled = currentBytes * 2;
  const step = doubled > 1024 * mi ? 256 * mi : 64 * mi;
  const nice = Math.ceil(doubled / step) * step;
  return formatMemory(nice <= doubled ? nice : Math.floor(doubled / mi) * mi);
}

export function templateContainer(evidence: Evidence, container: string): V1Container | undefined {
  const w = evidence.workload;
  const template = w?.deployment?.spec?.template ?? w?.statefulSet?.spec?.template ?? w?.daemonSet?.spec?.template;
  return template?.spec?.containers.find((c) => c.name === container);
}
