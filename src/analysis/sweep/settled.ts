import type { V1DaemonSet, V1Deployment, V1Pod, V1StatefulSet } from '@kubernetes/client-node';
import type { Evidence } from '../types.js';
import type { SweepUnit } from './types.js';

type Controller = { kind: 'Deployment'; object: V1Deployment } | { kind: 'StatefulSet'; object: V1StatefulSet } | { kind: 'DaemonSet'; object: V1DaemonSet };

/**
 * Whether a controller's rollout is done as `kubectl rollout status` reads it (its status
 * viewers: the new generation observed, every desired replica updated and available, no old
 * replica left) and every desired replica is ready.
 */
export function rolloutDone(c: Controller): boolean {
  const generation = c.object.metadata?.generation;
  const observed = c.object.status?.observedGeneration ?? 0;
  if (generation !== undefined && observed < generation) return false;
  switch (c.kind) {
    case 'Deployment': {
      const s = c.object.status;
      const desired = c.object.spec?.replicas ?? 1;
      const progressing = s?.conditions?.find((x) => x.type === 'Progressing');
      if (progressing?.reason === 'ProgressDeadlineExceeded') return false;
      const updated = s?.updatedReplicas ?? 0;
      return updated >= desired && (s?.replicas ?? 0) <= updated && (s?.availableReplicas ?? 0) >= updated && (s?.readyReplicas ?? 0) >= desired;
    }
    case 'StatefulSet': {
      const s = c.object.status;
      const desired = c.object.spec?.replicas ?? 1;
      if (observed === 0 || (s?.readyReplicas ?? 0) < desired) return false;
      const partition = c.object.spec?.updateStrategy?.rollingUpdate?.partition ?? 0;
      if (partition > 0) return (s?.updatedReplicas ?? 0) >= desired - partition;
      return s?.updateRevision === undefined || s.updateRevision === s.currentRevision;
    }
    case 'DaemonSet': {
      const s = c.object.status;
      const desired = s?.desiredNumberScheduled ?? 0;
      return (s?.updatedNumberScheduled ?? 0) >= desired && (s?.numberAvailable ?? 0) >= desired && (s?.numberReady ?? 0) >= desired;
    }
  }
}

const leaving = (p: V1Pod) => Boolean(p.metadata?.deletionTimestamp);

/**
 * A workload unit without its pods on their way out (a `deletionTimestamp`) once its controller
 * has its desired replicas ready: right after a rollout undo the old crashed pods linger while
 * they terminate, and they say nothing about the workload any more. Until then they count (a
 * rollout that is not done may be failing because of them).
 */
export function settleUnit(unit: SweepUnit): SweepUnit {
  if (unit.kind !== 'Deployment' && unit.kind !== 'StatefulSet' && unit.kind !== 'DaemonSet') return unit;
  if (!unit.pods.some(leaving) || !rolloutDone(unit)) return unit;
  return { ...unit, pods: unit.pods.filter((p) => !leaving(p)) };
}

/** The same for gathered evidence: its terminating pods, their events and logs, once the workload's rollout is done. */
export function settleEvidence(evidence: Evidence): Evidence {
  const w = evidence.workload;
  const c: Controller | undefined = w?.deployment
    ? { kind: 'Deployment', object: w.deployment }
    : w?.statefulSet
      ? { kind: 'StatefulSet', object: w.statefulSet }
      : w?.daemonSet
        ? { kind: 'DaemonSet', object: w.daemonSet }
        : undefined;
  if (!c || !evidence.pods.some(leaving) || !rolloutDone(c)) return evidence;
  const gone = new Set(evidence.pods.filter(leaving).map((p) => p.metadata?.name));
  const pods = evidence.pods.filter((p) => !leaving(p));
  return {
    ...evidence,
    pods,
    totalPods: Math.max(pods.length, evidence.totalPods - gone.size),
    podEvents: Object.fromEntries(Object.entries(evidence.podEvents).filter(([pod]) => !gone.has(pod))),
    logs: evidence.logs.filter((l) => !gone.has(l.pod)),
  };
}
