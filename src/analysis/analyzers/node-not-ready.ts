import type { V1Node } from '@kubernetes/client-node';
import { redactText } from '../../shared/redact.js';
import type { Analyzer, Finding, ProposedAction } from '../types.js';

const name = 'node-not-ready';

/**
 * The alert's node (or a node hosting examined pods) is NotReady. Proposes cordon_node so
 * nothing new lands there, unless it is already cordoned.
 */
export const analyzeNodeNotReady: Analyzer = (evidence) => {
  const podNodes = new Set(evidence.pods.map((p) => p.spec?.nodeName).filter((n): n is string => n !== undefined));
  const candidates = evidence.nodes.filter((n) => n.metadata?.name === evidence.targetNode || podNodes.has(n.metadata?.name ?? ''));
  const findings: Finding[] = [];
  const proposals: ProposedAction[] = [];
  for (const node of candidates) {
    const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
    if (ready?.status === 'True') continue;
    const nodeName = node.metadata?.name ?? '?';
    const cordoned = node.spec?.unschedulable === true;
    const lines = [
      `Ready=${ready?.status ?? 'missing'}${ready?.reason ? ` (${ready.reason})` : ''}: ${redactText(ready?.message ?? 'no message')}`,
      ...(ready?.lastHeartbeatTime ? [`last heartbeat ${new Date(ready.lastHeartbeatTime).toISOString()}`] : []),
      `taints: ${(node.spec?.taints ?? []).map((t) => `${t.key}:${t.effect}`).join(', ') || 'none'}`,
      cordoned ? 'already cordoned' : 'not cordoned: the scheduler may still place pods that tolerate its taints',
      ...podsOn(evidence.pods.map((p) => p.spec?.nodeName), nodeName),
    ];
    findings.push({
      analyzer: name,
      kind: 'node-not-ready',
      object: `Node/${nodeName}`,
      ...(cordoned ? { fix: `Repair node ${nodeName}: its kubelet stopped reporting (check the machine, kubelet and container runtime), or drain and replace it.` } : {}),
      title: `Node ${nodeName} is NotReady`,
      severity: 'critical',
      summary: `Node ${nodeName} stopped reporting Ready (${ready?.reason ?? ready?.status ?? 'no Ready condition'}); its pods may be unreachable.`,
      evidence: lines,
    });
    if (!cordoned) proposals.push(cordon(node));
  }
  return { findings, proposals };
};

function cordon(node: V1Node): ProposedAction {
  const nodeName = node.metadata?.name ?? '';
  return {
    action: { type: 'cordon_node', node: nodeName },
    confidence: 0.8,
    rationale: `Node ${nodeName} is NotReady. Cordoning it keeps new pods off the node until it is repaired; running pods are not touched.`,
    origin: `analyzer:${name}`,
  };
}

function podsOn(nodeNames: (string | undefined)[], node: string): string[] {
  const n = nodeNames.filter((x) => x === node).length;
  return n > 0 ? [`${n} examined pod(s) run on it`] : [];
}
