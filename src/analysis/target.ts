import type { ServiceMapping } from '../core/config/file.js';
import type { Incident } from '../core/incident.js';
import type { GatherTarget } from './gather.js';

/** Words of an alert title that are never workload names. */
const stopWords = new Set(
  'the and for with from high low rate error errors errored failing failed failure down is are pod pods node nodes service services alert firing critical warning latency too many crash crashing loop restarts restarting memory cpu usage ready not unavailable deployment replicas'.split(' '),
);

/**
 * Works out what an incident is about: alert labels first (AlertTarget, plus the object
 * labels kube-state-metrics puts on its series: `horizontalpodautoscaler`, `job_name`,
 * `cronjob`, `persistentvolumeclaim`, `poddisruptionbudget`, and `service` when no other
 * object is named), then the PagerDuty-service mapping of deckhand.yaml, then names in the
 * title to search for. (`job` is Prometheus' scrape job, never a Kubernetes Job.)
 */
export function targetOfIncident(incident: Incident, services: Record<string, ServiceMapping> = {}): { cluster?: string; target: GatherTarget } {
  const t = incident.target;
  const labels = incident.labels;
  const mapping = incident.service ? services[incident.service.id] : undefined;
  const label = (key: string) => (labels[key] === undefined || labels[key] === '' ? undefined : labels[key]);
  const target: GatherTarget = {
    namespace: t.namespace ?? mapping?.namespace,
    pod: t.pod,
    deployment: t.deployment ?? mapping?.deployment,
    statefulset: t.statefulset ?? mapping?.statefulset,
    daemonset: t.daemonset ?? mapping?.daemonset,
    node: t.node,
    hpa: label('horizontalpodautoscaler'),
    job: label('job_name'),
    cronjob: label('cronjob'),
    pvc: label('persistentvolumeclaim'),
    pdb: label('poddisruptionbudget'),
  };
  const objectNamed = [target.pod, target.deployment, target.statefulset, target.daemonset, target.node, target.hpa, target.job, target.cronjob, target.pvc, target.pdb].some((x) => x !== undefined);
  // Scrape targets add their own `service` label (kube-state-metrics' Service, an app's
  // ServiceMonitor): it names the alert's object only when nothing more precise does.
  if (!objectNamed) target.service = label('service');
  if (!objectNamed && target.service === undefined) target.names = namesInTitle(incident.title);
  // An explicit workload is more precise than the Job, claim or budget a label may also name.
  if (target.deployment !== undefined || target.statefulset !== undefined || target.daemonset !== undefined) {
    target.job = undefined;
    target.cronjob = undefined;
    target.pvc = undefined;
  }
  const cluster = t.cluster ?? mapping?.cluster;
  return cluster === undefined ? { target } : { cluster, target };
}

export function namesInTitle(title: string): string[] {
  const words = title.toLowerCase().split(/[^a-z0-9-]+/);
  return [...new Set(words.filter((w) => w.length >= 3 && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(w) && !stopWords.has(w) && !/^\d+$/.test(w)))];
}
