/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-unsafe-return, @typescript-eslint/no-explicit-any -- the simulated API handles Kubernetes wire JSON, whose shapes vary by kind */
import type { KubeObject } from '../types.js';
import { isControlledBy, ownerRef, type ClusterContext } from './context.js';
import { hashOfTemplate, templateKey, withHashLabel } from './templates.js';

export const revisionAnnotation = 'deployment.kubernetes.io/revision';

export function revisionOf(o: KubeObject): number {
  return Number(o.metadata.annotations?.[revisionAnnotation] ?? 0) || 0;
}

/** "25%" of n rounded up (surge) or down (unavailable), or an absolute number. */
function intOrPercent(value: unknown, total: number, roundUp: boolean): number {
  if (typeof value === 'number') return value;
  const m = /^(\d+)%$/.exec(typeof value === 'string' ? value : '25%');
  if (!m) return Number(value) || 0;
  const raw = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(raw) : Math.floor(raw);
}

export function surgeAndUnavailable(d: KubeObject): { surge: number; unavailable: number } {
  const replicas: number = d.spec.replicas ?? 1;
  const ru = d.spec.strategy?.rollingUpdate ?? {};
  if (d.spec.strategy?.type === 'Recreate') return { surge: 0, unavailable: replicas };
  const surge = intOrPercent(ru.maxSurge ?? '25%', replicas, true);
  let unavailable = intOrPercent(ru.maxUnavailable ?? '25%', replicas, false);
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return { surge, unavailable: Math.min(unavailable, replicas) };
}

const sum = (list: KubeObject[], f: (o: KubeObject) => number): number => list.reduce((n, o) => n + f(o), 0);

/** The deployment controller: new-or-reused ReplicaSet, revisions, rolling update, status. Returns whether it wrote. */
export function syncDeployment(ctx: ClusterContext, d: KubeObject): boolean {
  const { store, clock, events } = ctx;
  const ns = d.metadata.namespace ?? 'default';
  let changed = false;
  const owned = store.scan('replicasets', ns).filter((rs) => isControlledBy(rs, d)).map((rs): KubeObject => ({ ...rs, metadata: { ...rs.metadata }, spec: { ...rs.spec } }));
  const key = templateKey(d.spec.template);
  let newRS = owned.find((rs) => templateKey(rs.spec.template) === key);
  const maxRevision = Math.max(0, ...owned.map(revisionOf));
  const replicas: number = d.spec.replicas ?? 1;
  const { surge, unavailable } = surgeAndUnavailable(d);
  let progressNote: { reason: string; message: string } | undefined;

  const writeRS = (rs: KubeObject): KubeObject => {
    const before = store.get('replicasets', ns, rs.metadata.name)?.metadata.resourceVersion;
    const after = store.update('replicasets', rs);
    if (after.metadata.resourceVersion !== before) changed = true;
    return after;
  };
  const scaleRS = (rs: KubeObject, to: number): KubeObject => {
    const from: number = rs.spec.replicas ?? 0;
    if (from === to) return rs;
    rs.spec.replicas = to;
    rs.metadata.annotations = { ...rs.metadata.annotations, 'deployment.kubernetes.io/desired-replicas': String(replicas), 'deployment.kubernetes.io/max-replicas': String(replicas + surge) };
    const verb = to > from ? 'up' : 'down';
    events.record({ involved: d, reason: 'ScalingReplicaSet', message: `Scaled ${verb} replica set ${rs.metadata.name} to ${to} from ${from}`, type: 'Normal', component: 'deployment-controller', key: `${rs.metadata.name}/${clock.now()}` });
    return writeRS(rs);
  };

  if (!d.spec.paused) {
    if (!newRS) {
      const hash = hashOfTemplate(d.spec.template);
      const template = withHashLabel(d.spec.template, hash);
      const oldPods = sum(owned, (rs) => rs.spec.replicas ?? 0);
      const rs: KubeObject = {
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        metadata: {
          name: `${d.metadata.name}-${hash}`,
          namespace: ns,
          uid: '',
          resourceVersion: '',
          creationTimestamp: '',
          labels: { ...template.metadata.labels },
          annotations: { [revisionAnnotation]: String(maxRevision + 1), 'deployment.kubernetes.io/desired-replicas': String(replicas), 'deployment.kubernetes.io/max-replicas': String(replicas + surge) },
          ownerReferences: [ownerRef(d)],
        },
        spec: { replicas: 0, minReadySeconds: d.spec.minReadySeconds ?? 0, selector: { matchLabels: { ...(d.spec.selector?.matchLabels ?? {}), 'pod-template-hash': hash } }, template },
        status: { replicas: 0 },
      };
      newRS = store.create('replicasets', rs);
      changed = true;
      progressNote = { reason: 'NewReplicaSetCreated', message: `Created new replica set "${rs.metadata.name}"` };
      if (oldPods === 0) newRS = scaleRS(newRS, replicas);
    } else if (revisionOf(newRS) < maxRevision) {
      // A rollback: the old ReplicaSet is reused and takes the next revision number.
      const old = String(revisionOf(newRS));
      const history = newRS.metadata.annotations?.['deployment.kubernetes.io/revision-history'];
      newRS.metadata.annotations = { ...newRS.metadata.annotations, [revisionAnnotation]: String(maxRevision + 1), 'deployment.kubernetes.io/revision-history': history ? `${history},${old}` : old };
      newRS = writeRS(newRS);
      events.record({ involved: d, reason: 'DeploymentRollback', message: `Rolled back deployment "${d.metadata.name}" to revision ${old}`, type: 'Normal', component: 'deployment-controller', key: `rollback/${clock.now()}` });
    }
    const current = newRS;
    const oldRSs = owned.filter((rs) => rs.metadata.uid !== current.metadata.uid).sort((a, b) => revisionOf(a) - revisionOf(b));
    newRS = rollingUpdate(current, oldRSs, replicas, surge, unavailable, scaleRS);
  }

  const all = store.scan('replicasets', ns).filter((rs) => isControlledBy(rs, d));
  const currentNew = newRS ? all.find((rs) => rs.metadata.uid === newRS?.metadata.uid) : undefined;
  if (currentNew) {
    d.metadata.annotations = { ...d.metadata.annotations, [revisionAnnotation]: String(revisionOf(currentNew)) };
  }
  d.status = deploymentStatus(ctx, d, all, currentNew, unavailable, progressNote);
  const before = d.metadata.resourceVersion;
  const written = store.update('deployments', d);
  return changed || written.metadata.resourceVersion !== before;
}

function rollingUpdate(newRS: KubeObject, oldRSs: KubeObject[], replicas: number, surge: number, unavailable: number, scaleRS: (rs: KubeObject, to: number) => KubeObject): KubeObject {
  let rs = newRS;
  const newReplicas: number = rs.spec.replicas ?? 0;
  if (newReplicas > replicas) rs = scaleRS(rs, replicas);
  else if (newReplicas < replicas) {
    const current = newReplicas + sum(oldRSs, (o) => o.spec.replicas ?? 0);
    const room = replicas + surge - current;
    if (room > 0) rs = scaleRS(rs, newReplicas + Math.min(room, replicas - newReplicas));
  }
  const allPods = (rs.status?.replicas ?? 0) + sum(oldRSs, (o) => o.status?.replicas ?? 0);
  const minAvailable = replicas - unavailable;
  const newUnavailable = (rs.spec.replicas ?? 0) - (rs.status?.availableReplicas ?? 0);
  const maxScaledDown = allPods - minAvailable - newUnavailable;
  if (maxScaledDown <= 0) return rs;
  // First the old pods that are not available anyway, then available ones down to minAvailable.
  let cleaned = 0;
  for (const old of oldRSs) {
    const unhealthy = (old.spec.replicas ?? 0) - (old.status?.availableReplicas ?? 0);
    const n = Math.min(unhealthy, maxScaledDown - cleaned);
    if (n > 0) {
      Object.assign(old, scaleRS(old, (old.spec.replicas ?? 0) - n));
      cleaned += n;
    }
  }
  const available = (rs.status?.availableReplicas ?? 0) + sum(oldRSs, (o) => o.status?.availableReplicas ?? 0);
  let budget = Math.min(available - minAvailable, maxScaledDown - cleaned);
  for (const old of oldRSs) {
    if (budget <= 0) break;
    const n = Math.min(old.spec.replicas ?? 0, budget);
    if (n > 0) {
      Object.assign(old, scaleRS(old, (old.spec.replicas ?? 0) - n));
      budget -= n;
    }
  }
  return rs;
}

function setCondition(conditions: any[], next: any, now: string, touch: boolean): any[] {
  const current = conditions.find((c) => c.type === next.type);
  if (current && current.status === next.status && current.reason === next.reason && !touch) return conditions;
  const merged = {
    ...next,
    lastUpdateTime: now,
    lastTransitionTime: current && current.status === next.status ? current.lastTransitionTime : now,
  };
  return [...conditions.filter((c) => c.type !== next.type), merged].sort((a, b) => (a.type === 'Available' ? -1 : b.type === 'Available' ? 1 : 0));
}

function deploymentStatus(ctx: ClusterContext, d: KubeObject, all: KubeObject[], newRS: KubeObject | undefined, unavailable: number, note: { reason: string; message: string } | undefined) {
  const now = ctx.clock.iso();
  const replicas: number = d.spec.replicas ?? 1;
  const old = d.status ?? {};
  const available = sum(all, (rs) => rs.status?.availableReplicas ?? 0);
  const total = sum(all, (rs) => rs.spec.replicas ?? 0);
  const status: any = {
    observedGeneration: d.metadata.generation,
    replicas: sum(all, (rs) => rs.status?.replicas ?? 0),
    updatedReplicas: newRS?.status?.replicas ?? 0,
    readyReplicas: sum(all, (rs) => rs.status?.readyReplicas ?? 0),
    availableReplicas: available,
    unavailableReplicas: Math.max(0, total - available),
  };
  let conditions: any[] = old.conditions ?? [];
  conditions = setCondition(
    conditions,
    available >= replicas - unavailable
      ? { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' }
      : { type: 'Available', status: 'False', reason: 'MinimumReplicasUnavailable', message: 'Deployment does not have minimum availability.' },
    now,
    false,
  );
  const rsName = newRS?.metadata.name ?? d.metadata.name;
  const progressing = conditions.find((c) => c.type === 'Progressing');
  const complete = status.updatedReplicas === replicas && status.replicas === replicas && available === replicas;
  // The first status a deployment gets (seeded ones) is an observation, not progress.
  const progressed =
    old.replicas !== undefined &&
    (status.updatedReplicas > (old.updatedReplicas ?? 0) ||
    status.replicas - status.updatedReplicas < (old.replicas ?? 0) - (old.updatedReplicas ?? 0) ||
    status.readyReplicas > (old.readyReplicas ?? 0) ||
    available > (old.availableReplicas ?? 0));
  const deadlineMs = (d.spec.progressDeadlineSeconds ?? 600) * 1000;
  if (d.spec.paused) {
    conditions = setCondition(conditions, { type: 'Progressing', status: 'Unknown', reason: 'DeploymentPaused', message: 'Deployment is paused' }, now, false);
  } else if (note) {
    conditions = setCondition(conditions, { type: 'Progressing', status: 'True', ...note }, now, true);
  } else if (complete) {
    conditions = setCondition(conditions, { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable', message: `ReplicaSet "${rsName}" has successfully progressed.` }, now, false);
  } else if (progressed) {
    conditions = setCondition(conditions, { type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated', message: `ReplicaSet "${rsName}" is progressing.` }, now, true);
  } else if (progressing && progressing.reason !== 'ProgressDeadlineExceeded' && ctx.clock.now() - Date.parse(progressing.lastUpdateTime) > deadlineMs) {
    conditions = setCondition(conditions, { type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: `ReplicaSet "${rsName}" has timed out progressing.` }, now, false);
  }
  status.conditions = conditions;
  return status;
}
