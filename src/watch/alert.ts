import type { Alert, AlertTarget } from '../core/incident.js';
import type { Detection } from './cluster-watch.js';

const targetField = { Deployment: 'deployment', StatefulSet: 'statefulset', DaemonSet: 'daemonset' } as const;

/**
 * The alert the watch raises for a workload failing for `for`: it enters intake like an
 * Alertmanager alert, so the incident gets the same routing, root, analysis, proposals and
 * buttons. Its key is the workload (`watch:cluster/ns/Kind/name`): the same workload failing
 * again re-opens the same thread; each failure episode is one delivery. Pure.
 */
export function alertOfDetection(detection: Detection, at: number): Alert {
  const { cluster, namespace, kind, name } = detection;
  const target: AlertTarget = { cluster, namespace };
  const labels: Record<string, string> = { alertname: 'DeckhandWatch', cluster, namespace, reason: detection.reason };
  if (kind === 'Job') {
    labels.job_name = name;
    if (detection.pods[0]) target.pod = detection.pods[0];
  } else {
    target[targetField[kind]] = name;
    labels[targetField[kind]] = name;
  }
  return {
    source: 'watch',
    externalId: detection.workloadKey,
    deliveryId: `${detection.workloadKey}@${detection.since}`,
    eventType: 'watch.unhealthy',
    title: `${kind} ${namespace}/${name}: ${detection.reason}`,
    severity: 'high',
    status: 'triggered',
    retrigger: false,
    labels,
    target,
    links: [],
    members: [],
    truncatedAlerts: 0,
    occurredAt: new Date(at).toISOString(),
  };
}
