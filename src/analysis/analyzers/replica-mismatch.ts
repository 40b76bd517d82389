import type { Analyzer, Finding } from '../types.js';
import { workloadLabel } from './helpers.js';

const name = 'replica-mismatch';

/** Fewer ready replicas than desired. Reported only: the other analyzers say why. */
export const analyzeReplicaMismatch: Analyzer = (evidence) => {
  const w = evidence.workload;
  if (!w) return { findings: [], proposals: [] };
  let desired: number | undefined;
  let ready = 0;
  if (w.deployment) {
    desired = w.deployment.spec?.replicas ?? 1;
    ready = w.deployment.status?.readyReplicas ?? 0;
  } else if (w.statefulSet) {
    desired = w.statefulSet.spec?.replicas ?? 1;
    ready = w.statefulSet.status?.readyReplicas ?? 0;
  } else if (w.daemonSet) {
    desired = w.daemonSet.status?.desiredNumberScheduled ?? 0;
    ready = w.daemonSet.status?.numberReady ?? 0;
  }
  if (desired === undefined || ready >= desired) return { findings: [], proposals: [] };
  const finding: Finding = {
    analyzer: name,
    kind: 'replicas-unavailable',
    object: `${w.ref.kind}/${w.ref.namespace}/${w.ref.name}`,
    title: `${workloadLabel(evidence)} has ${ready}/${desired} replicas ready`,
    severity: ready === 0 ? 'critical' : 'warning',
    summary: ready === 0 ? 'No replica is ready: the workload is down.' : `${desired - ready} of ${desired} replicas are not ready: capacity is reduced.`,
    evidence: [`desired ${desired}, ready ${ready}, pods seen ${evidence.totalPods}`],
  };
  return { findings: [finding], proposals: [] };
};
