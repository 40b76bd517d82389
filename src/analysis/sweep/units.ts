import type { V1Job, V1ObjectMeta, V1Pod } from '@kubernetes/client-node';
import type { WorkloadInventory } from '../../kube/reader.js';
import { controllerOf } from '../../kube/selectors.js';
import type { SweepKind, SweepUnit } from './types.js';

const key = (kind: string, namespace: string, name: string) => `${kind}/${namespace}/${name}`;
const nsOf = (meta: V1ObjectMeta | undefined) => meta?.namespace ?? 'default';
const nameOf = (meta: V1ObjectMeta | undefined) => meta?.name ?? '?';

/**
 * Groups an inventory into the units a sweep judges: each Deployment, StatefulSet, DaemonSet,
 * CronJob (with its Jobs), Job not run by a CronJob, bare pod, Service and PVC, with the pods
 * that are its own (by controller owner reference, a Deployment's through its ReplicaSets'
 * `<name>-<pod-template-hash>` names). Pure.
 */
export function unitsOf(inventory: WorkloadInventory): SweepUnit[] {
  const podsByOwner = new Map<string, V1Pod[]>();
  const bare: V1Pod[] = [];
  for (const pod of inventory.pods) {
    const owner = ownerKey(pod);
    if (owner === undefined) bare.push(pod);
    else podsByOwner.set(owner, [...(podsByOwner.get(owner) ?? []), pod]);
  }
  const claimed = new Set<string>();
  const take = (kind: string, meta: V1ObjectMeta | undefined): V1Pod[] => {
    const k = key(kind, nsOf(meta), nameOf(meta));
    claimed.add(k);
    return podsByOwner.get(k) ?? [];
  };
  const ref = (kind: SweepKind, meta: V1ObjectMeta | undefined) => ({ kind, namespace: nsOf(meta), name: nameOf(meta) });

  const units: SweepUnit[] = [];
  for (const object of inventory.deployments) units.push({ kind: 'Deployment', object, ref: ref('Deployment', object.metadata), pods: take('Deployment', object.metadata) });
  for (const object of inventory.statefulSets) units.push({ kind: 'StatefulSet', object, ref: ref('StatefulSet', object.metadata), pods: take('StatefulSet', object.metadata) });
  for (const object of inventory.daemonSets) units.push({ kind: 'DaemonSet', object, ref: ref('DaemonSet', object.metadata), pods: take('DaemonSet', object.metadata) });

  const jobsByCronJob = new Map<string, V1Job[]>();
  const loneJobs: V1Job[] = [];
  for (const job of inventory.jobs) {
    const owner = controllerOf(job.metadata);
    if (owner?.kind === 'CronJob') {
      const k = key('CronJob', nsOf(job.metadata), owner.name);
      jobsByCronJob.set(k, [...(jobsByCronJob.get(k) ?? []), job]);
    } else loneJobs.push(job);
  }
  for (const object of inventory.cronJobs) {
    const jobs = jobsByCronJob.get(key('CronJob', nsOf(object.metadata), nameOf(object.metadata))) ?? [];
    jobsByCronJob.delete(key('CronJob', nsOf(object.metadata), nameOf(object.metadata)));
    units.push({ kind: 'CronJob', object, jobs, ref: ref('CronJob', object.metadata), pods: jobs.flatMap((j) => take('Job', j.metadata)) });
  }
  // Jobs whose CronJob was not listed are judged on their own.
  for (const object of [...loneJobs, ...[...jobsByCronJob.values()].flat()]) units.push({ kind: 'Job', object, ref: ref('Job', object.metadata), pods: take('Job', object.metadata) });

  // Pods no listed workload claims (bare pods, or owned by something the sweep does not list).
  for (const [owner, pods] of podsByOwner) if (!claimed.has(owner)) bare.push(...pods);
  for (const object of bare) units.push({ kind: 'Pod', object, ref: ref('Pod', object.metadata), pods: [object] });

  for (const object of inventory.services) {
    const selector = object.spec?.selector ?? {};
    const selected = Object.keys(selector).length === 0 ? [] : inventory.pods.filter((p) => nsOf(p.metadata) === nsOf(object.metadata) && matches(selector, p.metadata?.labels));
    units.push({ kind: 'Service', object, ref: ref('Service', object.metadata), pods: selected });
  }
  for (const object of inventory.persistentVolumeClaims) units.push({ kind: 'PersistentVolumeClaim', object, ref: ref('PersistentVolumeClaim', object.metadata), pods: [] });
  return units;
}

/** The unit key of a pod's owner: a Deployment for a ReplicaSet named `<deployment>-<hash>`. */
function ownerKey(pod: V1Pod): string | undefined {
  const owner = controllerOf(pod.metadata);
  if (!owner) return undefined;
  const ns = nsOf(pod.metadata);
  if (owner.kind === 'ReplicaSet') {
    const hash = pod.metadata?.labels?.['pod-template-hash'];
    if (hash && owner.name.endsWith(`-${hash}`)) return key('Deployment', ns, owner.name.slice(0, -hash.length - 1));
    return key('ReplicaSet', ns, owner.name);
  }
  return key(owner.kind, ns, owner.name);
}

function matches(selector: Record<string, string>, labels: Record<string, string> | undefined): boolean {
  return Object.entries(selector).every(([k, v]) => labels?.[k] === v);
}
