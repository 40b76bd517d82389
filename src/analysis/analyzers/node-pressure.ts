import type { Analyzer, Finding } from '../types.js';
import { namespaceWide } from './objects.js';

const name = 'node-pressure';

const conditions: Record<string, { kind: string; fix: (node: string) => string }> = {
  MemoryPressure: { kind: 'node-memory-pressure', fix: (n) => `Free memory on ${n}: move or scale down the biggest consumers (kubectl top pods -A --sort-by=memory on that node), set memory requests to real use so the scheduler stops overcommitting it.` },
  DiskPressure: { kind: 'node-disk-pressure', fix: (n) => `Free disk on ${n}: remove unused images (crictl rmi --prune), large logs and emptyDir data; grow the node's disk.` },
  PIDPressure: { kind: 'node-pid-pressure', fix: (n) => `Find the pod forking processes on ${n} and set a pid limit (kubelet podPidsLimit).` },
  NetworkUnavailable: { kind: 'node-network-unavailable', fix: (n) => `Repair the network plugin (CNI) on ${n}: check its pod in kube-system.` },
};

/**
 * MemoryPressure / DiskPressure / PIDPressure / NetworkUnavailable on the alert's node, the
 * examined pods' nodes, or any node namespace-wide. The kubelet then evicts pods and taints
 * the node; fix as text.
 */
export const analyzeNodePressure: Analyzer = (evidence) => {
  const podNodes = new Set(evidence.pods.map((p) => p.spec?.nodeName));
  const findings: Finding[] = [];
  for (const node of evidence.nodes) {
    const n = node.metadata?.name ?? '?';
    if (!namespaceWide(evidence) && n !== evidence.targetNode && !podNodes.has(n)) continue;
    for (const c of node.status?.conditions ?? []) {
      const known = conditions[c.type];
      if (!known || c.status !== 'True') continue;
      findings.push({
        analyzer: name,
        kind: known.kind,
        object: `Node/${n}`,
        title: `Node ${n} has ${c.type}`,
        severity: 'warning',
        summary: `Node ${n} reports ${c.type}=True (${c.reason ?? ''}: ${c.message ?? ''}); the kubelet evicts pods and new pods avoid it.`,
        evidence: [
          `${c.type}=True ${c.reason ?? ''}: ${c.message ?? ''}${c.lastTransitionTime ? ` since ${new Date(c.lastTransitionTime).toISOString()}` : ''}`,
          `taints: ${(node.spec?.taints ?? []).map((t) => `${t.key}:${t.effect}`).join(', ') || 'none'}`,
          ...(c.type === 'MemoryPressure' ? [`memory: capacity ${node.status?.capacity?.memory ?? '?'}, allocatable ${node.status?.allocatable?.memory ?? '?'}`] : []),
        ],
        fix: known.fix(n),
      });
    }
  }
  return { findings, proposals: [] };
};
