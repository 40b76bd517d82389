import type { V1Node, V1Pod } from '@kubernetes/client-node';
import type { ResourceList } from '../../actions/catalog.js';
import { formatMemory, parseQuantity } from '../../actions/risk.js';
import { redactText } from '../../shared/redact.js';
import type { Analyzer, Finding, ProposedAction } from '../types.js';
import { describeEvent, eventsWhere, unique, workloadLabel } from './helpers.js';
import { templateContainer } from './oom-killed.js';

const name = 'unschedulable';

/**
 * Pending pods the scheduler cannot place. Insufficient resources and taints are reported;
 * when a container requests more than the biggest usable node can ever offer, a
 * set_resources lowering the request to that node's allocatable is proposed with low
 * confidence (it fits on paper; the app may need the memory it asked for).
 */
export const analyzeUnschedulable: Analyzer = (evidence) => {
  const pending = evidence.pods.filter(isUnschedulable);
  const [pod] = pending;
  if (!pod) return { findings: [], proposals: [] };
  const message = redactText(scheduledCondition(pod)?.message ?? '');
  const insufficient = unique([...message.matchAll(/Insufficient ([a-z0-9./-]+)/g)].map((m) => (m[1] ?? '').replace(/\.$/, '')));
  const taints = unique([...message.matchAll(/untolerated taint[s]? \{([^}]*)\}/g)].map((m) => (m[1] ?? '').trim()));
  const usable = evidence.nodes.filter(isUsable);
  const lines = [
    `${pending.length} pod(s) Pending: ${message || 'Unschedulable'}`,
    ...eventsWhere(evidence, (e) => e.reason === 'FailedScheduling', 1).map(describeEvent),
  ];
  if (usable.length > 0) lines.push(`usable nodes: ${usable.map((n) => `${n.metadata?.name ?? '?'} (${n.status?.allocatable?.cpu ?? '?'} CPU, ${n.status?.allocatable?.memory ?? '?'} memory)`).join(', ')}`);

  const proposals: ProposedAction[] = [];
  const ref = evidence.workload?.ref;
  for (const c of pod.spec?.containers ?? []) {
    const spec = templateContainer(evidence, c.name) ?? c;
    const requests = spec.resources?.requests ?? {};
    lines.push(`container ${c.name} requests ${requests.cpu ?? 'no'} CPU, ${requests.memory ?? 'no'} memory`);
    const fit: ResourceList = {};
    const maxMemory = Math.max(0, ...usable.map((n) => parseQuantity(n.status?.allocatable?.memory ?? '') ?? 0));
    const maxCpu = Math.max(0, ...usable.map((n) => parseQuantity(n.status?.allocatable?.cpu ?? '') ?? 0));
    const wantMemory = parseQuantity(requests.memory ?? '');
    const wantCpu = parseQuantity(requests.cpu ?? '');
    if (insufficient.includes('memory') && wantMemory !== undefined && maxMemory > 0 && wantMemory > maxMemory) fit.memory = formatMemory(Math.floor(maxMemory / 2 ** 20) * 2 ** 20);
    if (insufficient.includes('cpu') && wantCpu !== undefined && maxCpu > 0 && wantCpu > maxCpu) fit.cpu = `${Math.floor(maxCpu * 1000)}m`;
    if (ref && (fit.memory !== undefined || fit.cpu !== undefined)) {
      proposals.push({
        action: { type: 'set_resources', namespace: ref.namespace, kind: ref.kind, name: ref.name, container: c.name, requests: fit },
        confidence: 0.5,
        rationale: `Container ${c.name} requests more than any schedulable node can offer (${[requests.memory, requests.cpu].filter(Boolean).join(', ')}). Lowering the request to ${[fit.memory, fit.cpu].filter(Boolean).join(', ')} lets it fit the biggest node; check the app really runs with that.`,
        origin: `analyzer:${name}`,
      });
    }
  }
  const causes = [
    ...(insufficient.length > 0 ? [`not enough ${insufficient.join(' and ')} on any node`] : []),
    ...(taints.length > 0 ? [`taints the pod does not tolerate (${taints.join(', ')})`] : []),
  ];
  const finding: Finding = {
    analyzer: name,
    title: `${workloadLabel(evidence)} cannot be scheduled`,
    severity: 'critical',
    summary: `${pending.length} pod(s) stay Pending: ${causes.length > 0 ? causes.join('; ') : message || 'the scheduler gives no reason'}.`,
    evidence: lines,
  };
  return { findings: [finding], proposals };
};

function scheduledCondition(pod: V1Pod) {
  return pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
}

export function isUnschedulable(pod: V1Pod): boolean {
  const c = scheduledCondition(pod);
  return pod.status?.phase === 'Pending' && c?.status === 'False' && c.reason === 'Unschedulable';
}

function isUsable(node: V1Node): boolean {
  const ready = node.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True';
  const blocked = node.spec?.unschedulable === true || (node.spec?.taints ?? []).some((t) => t.effect === 'NoSchedule' || t.effect === 'NoExecute');
  return ready && !blocked;
}
