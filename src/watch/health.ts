import type { TrimmedPod, TrimmedWorkload } from './trim.js';

export interface WorkloadHealth {
  healthy: boolean;
  /** One line: why it is unhealthy ("2/3 pods CrashLoopBackOff"). Empty when healthy. */
  reason: string;
  /** The failing pods (at most a few), for the alert's target and labels. */
  pods: string[];
}

const healthy: WorkloadHealth = { healthy: true, reason: '', pods: [] };

/**
 * Is a workload failing? A workload (not a single pod) is unhealthy when its controller
 * reports a failure (ProgressDeadlineExceeded, FailedCreate, a failed Job), when some of its
 * pods are stuck in a failing state (CrashLoopBackOff, image pulls, config errors,
 * Unschedulable…), or when, outside a rollout, fewer replicas are ready than desired. A pod
 * that fails once and comes back is not: detection also needs the failure to last (detector.ts).
 * Pure.
 */
export function evaluateWorkload(workload: TrimmedWorkload | undefined, pods: readonly TrimmedPod[]): WorkloadHealth {
  if (!workload) return healthy;
  const live = pods.filter((p) => !p.deleting);
  const failing = live.filter((p) => p.problem !== undefined);
  const podNames = failing.map((p) => p.name).sort().slice(0, 5);
  if (workload.kind === 'Job') {
    if (workload.problem) return { healthy: false, reason: `Job ${workload.problem}`, pods: podNames };
    if (workload.finished || failing.length === 0) return healthy;
    return { healthy: false, reason: describePods(failing, live.length), pods: podNames };
  }
  if (failing.length > 0) return { healthy: false, reason: describePods(failing, live.length), pods: podNames };
  if (workload.problem) return { healthy: false, reason: workload.problem, pods: podNames };
  if (workload.desired > 0 && workload.ready < workload.desired && !workload.rollingOut) {
    return { healthy: false, reason: `${workload.ready}/${workload.desired} ready`, pods: live.filter((p) => !p.ready).map((p) => p.name).sort().slice(0, 5) };
  }
  return healthy;
}

function describePods(failing: readonly TrimmedPod[], total: number): string {
  const counts = new Map<string, number>();
  for (const pod of failing) counts.set(pod.problem ?? '', (counts.get(pod.problem ?? '') ?? 0) + 1);
  const [top = ''] = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([problem]) => problem);
  return `${failing.length}/${total} pods ${top}`;
}
