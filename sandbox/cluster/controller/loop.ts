import { syncQuotas } from './admission.js';
import type { ClusterContext } from './context.js';
import { syncDeployment } from './deployments.js';
import { syncNodes, syncPods } from './pods.js';
import { syncCronJob } from './cronjobs.js';
import { syncDisruptionBudgets } from './disruption.js';
import { syncEndpoints } from './endpoints.js';
import { collectFinishedJobs, syncJob } from './jobs.js';
import { syncNodeLifecycle, syncTaintEviction } from './node-lifecycle.js';
import { syncNodePressure } from './node-pressure.js';
import { syncDaemonSet } from './daemonsets.js';
import { syncHorizontalPodAutoscalers } from './hpa.js';
import { deletePodGracefully, syncReplicaSet, syncStatefulSet } from './replicas.js';
import { syncVolumes } from './volumes.js';

export interface Controller {
  /** One reconcile pass over everything; returns true when nothing changed and nothing is in flight. */
  tick(): boolean;
  start(): void;
  stop(): void;
  settle(timeoutMs?: number): Promise<void>;
}

/** Owners whose objects were deleted: their dependents are collected (background propagation). */
function collectGarbage(ctx: ClusterContext): boolean {
  let changed = false;
  const tableOfKind: Record<string, string> = { Deployment: 'deployments', ReplicaSet: 'replicasets', StatefulSet: 'statefulsets', DaemonSet: 'daemonsets', Job: 'jobs', CronJob: 'cronjobs' };
  const uids = new Set(Object.values(tableOfKind).flatMap((r) => ctx.store.scan(r).map((o) => o.metadata.uid)));
  for (const resource of ['jobs', 'replicasets', 'pods']) {
    for (const o of ctx.store.scan(resource)) {
      const ref = o.metadata.ownerReferences?.find((r) => r.controller);
      const table = ref ? tableOfKind[ref.kind] : undefined;
      if (!ref || !table || uids.has(ref.uid)) continue;
      if (resource === 'pods') {
        if (!o.metadata.deletionTimestamp) deletePodGracefully(ctx, o);
      } else ctx.store.remove(resource, o.metadata.namespace, o.metadata.name);
      changed = true;
    }
  }
  return changed;
}

export function createController(ctx: ClusterContext, intervalMs = 20): Controller {
  let timer: NodeJS.Timeout | undefined;
  let quietTicks = 0;
  const tick = (): boolean => {
    // Kubelet and scheduler first, so each pass's workload statuses see fresh pods.
    let changed = syncNodes(ctx);
    changed = syncNodeLifecycle(ctx) || changed;
    // Claims bound before the scheduler looks, so a pod waiting on one is placed in the same pass.
    changed = syncVolumes(ctx) || changed;
    const pods = syncPods(ctx);
    changed = syncNodePressure(ctx) || changed;
    changed = syncTaintEviction(ctx) || changed;
    for (const rs of ctx.store.scan('replicasets')) {
      const owner = rs.metadata.ownerReferences?.find((r) => r.controller);
      const d = owner ? ctx.store.scan('deployments', rs.metadata.namespace).find((x) => x.metadata.uid === owner.uid) : undefined;
      if (owner && !d) continue;
      changed = syncReplicaSet(ctx, { ...rs }) || changed;
    }
    changed = syncQuotas(ctx) || changed;
    for (const sts of ctx.store.scan('statefulsets')) changed = syncStatefulSet(ctx, { ...sts }) || changed;
    for (const ds of ctx.store.scan('daemonsets')) changed = syncDaemonSet(ctx, { ...ds }) || changed;
    for (const cj of ctx.store.scan('cronjobs')) changed = syncCronJob(ctx, cj) || changed;
    for (const job of ctx.store.scan('jobs')) changed = syncJob(ctx, job) || changed;
    changed = collectFinishedJobs(ctx) || changed;
    // Shallow copies: the syncs replace top-level fields (status, annotations), never nested ones.
    for (const d of ctx.store.scan('deployments')) changed = syncDeployment(ctx, { ...d, metadata: { ...d.metadata } }) || changed;
    // After the workloads' statuses, as the HPA reads their scale; the replicas it sets are acted on next pass.
    changed = syncHorizontalPodAutoscalers(ctx) || changed;
    changed = syncEndpoints(ctx) || changed;
    changed = syncDisruptionBudgets(ctx) || changed;
    changed = collectGarbage(ctx) || changed;
    const quiet = !changed && !pods.changed && !pods.transient;
    quietTicks = quiet ? quietTicks + 1 : 0;
    return quiet;
  };
  const safeTick = (): void => {
    try {
      tick();
    } catch (err) {
      ctx.log.error({ err }, 'sandbox controller pass failed');
    }
  };
  return {
    tick,
    start() {
      if (!timer) timer = setInterval(safeTick, intervalMs);
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
    },
    async settle(timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      quietTicks = 0;
      // Two quiet passes: a workload's status lags its pods by one pass.
      while (quietTicks < 2) {
        if (Date.now() > deadline) throw new Error(`sandbox cluster did not settle within ${timeoutMs}ms`);
        await new Promise((r) => setTimeout(r, intervalMs));
      }
    },
  };
}
