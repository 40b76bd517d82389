import type { ServiceMapping } from '../core/config/file.js';
import type { Incident } from '../core/incident.js';
import type { GatherTarget } from './gather.js';

/** Words of an alert title that are never workload names. */
const stopWords = new Set(
  'the and for with from high low rate error errors errored failing failed failure down is are pod pods node nodes service services alert firing critical warning latency too many crash crashing loop restarts restarting memory cpu usage ready not unavailable deployment replicas'.split(' '),
);

/**
 * Works out what an incident is about: alert labels first (AlertTarget, plus the
 * `horizontalpodautoscaler` label), then the PagerDuty-service mapping of deckhand.yaml,
 * then names in the title to search for.
 */
export function targetOfIncident(incident: Incident, services: Record<string, ServiceMapping> = {}): { cluster?: string; target: GatherTarget } {
  const t = incident.target;
  const mapping = incident.service ? services[incident.service.id] : undefined;
  const target: GatherTarget = {
    namespace: t.namespace ?? mapping?.namespace,
    pod: t.pod,
    deployment: t.deployment ?? mapping?.deployment,
    statefulset: t.statefulset ?? mapping?.statefulset,
    daemonset: t.daemonset ?? mapping?.daemonset,
    node: t.node,
    hpa: incident.labels.horizontalpodautoscaler,
  };
  const named = [target.pod, target.deployment, target.statefulset, target.daemonset, target.node, target.hpa].some((x) => x !== undefined);
  if (!named) target.names = namesInTitle(incident.title);
  const cluster = t.cluster ?? mapping?.cluster;
  return cluster === undefined ? { target } : { cluster, target };
}

export function namesInTitle(title: string): string[] {
  const words = title.toLowerCase().split(/[^a-z0-9-]+/);
  return [...new Set(words.filter((w) => w.length >= 3 && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(w) && !stopWords.has(w) && !/^\d+$/.test(w)))];
}
