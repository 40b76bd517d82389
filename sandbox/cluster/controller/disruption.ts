/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-explicit-any -- PDBs and pods are wire JSON */
import { selectorFromSpec } from '../api/selectors.js';
import type { KubeObject } from '../types.js';
import type { ClusterContext } from './context.js';
import { isPodReady } from './replicas.js';

/** The pods a PDB selects (an empty selector selects every pod of its namespace, as in policy/v1). */
export function podsOfBudget(ctx: ClusterContext, pdb: KubeObject): KubeObject[] {
  const selector = pdb.spec?.selector;
  const matches = selector ? selectorFromSpec(selector) : () => false;
  return ctx.store.scan('pods', pdb.metadata.namespace).filter((p) => matches(p));
}

/** The scale of the controller owning a pod (a ReplicaSet's Deployment, a StatefulSet…), keyed by the controller's uid. */
function controllerScale(ctx: ClusterContext, pod: KubeObject): [string, number] | undefined {
  const ref = pod.metadata.ownerReferences?.find((r) => r.controller);
  if (!ref) return undefined;
  const ns = pod.metadata.namespace;
  if (ref.kind === 'ReplicaSet') {
    const rs = ctx.store.scan('replicasets', ns).find((r) => r.metadata.uid === ref.uid);
    const dref = rs?.metadata.ownerReferences?.find((r) => r.controller && r.kind === 'Deployment');
    const d = dref ? ctx.store.scan('deployments', ns).find((x) => x.metadata.uid === dref.uid) : undefined;
    if (d) return [d.metadata.uid, d.spec?.replicas ?? 1];
    return rs ? [rs.metadata.uid, rs.spec?.replicas ?? 1] : undefined;
  }
  const table = ({ StatefulSet: 'statefulsets', ReplicationController: 'replicationcontrollers' } as Record<string, string>)[ref.kind];
  const owner = table ? ctx.store.scan(table, ns).find((x) => x.metadata.uid === ref.uid) : undefined;
  return owner ? [owner.metadata.uid, owner.spec?.replicas ?? 1] : undefined;
}

const percent = (v: unknown): number | undefined => (typeof v === 'string' && v.endsWith('%') ? Number(v.slice(0, -1)) / 100 : undefined);

/** The disruption controller's arithmetic: expected pods, desired and current healthy, disruptions allowed. */
export function budgetStatus(ctx: ClusterContext, pdb: KubeObject): { expectedPods: number; desiredHealthy: number; currentHealthy: number; disruptionsAllowed: number } {
  const pods = podsOfBudget(ctx, pdb);
  const currentHealthy = pods.filter((p) => !p.metadata.deletionTimestamp && isPodReady(p)).length;
  const { minAvailable, maxUnavailable } = pdb.spec ?? {};
  let expectedPods: number;
  let desiredHealthy: number;
  if (minAvailable !== undefined && percent(minAvailable) === undefined) {
    expectedPods = pods.length;
    desiredHealthy = Number(minAvailable);
  } else {
    // Percentages and maxUnavailable count against the controllers' scale.
    const scales = new Map(pods.map((p) => controllerScale(ctx, p)).filter((s): s is [string, number] => s !== undefined));
    expectedPods = [...scales.values()].reduce((n, s) => n + s, 0);
    if (minAvailable !== undefined) desiredHealthy = Math.ceil((percent(minAvailable) ?? 0) * expectedPods);
    else if (maxUnavailable !== undefined) {
      const pct = percent(maxUnavailable);
      desiredHealthy = Math.max(0, expectedPods - (pct === undefined ? Number(maxUnavailable) : Math.ceil(pct * expectedPods)));
    } else desiredHealthy = expectedPods;
  }
  return { expectedPods, desiredHealthy, currentHealthy, disruptionsAllowed: Math.max(0, currentHealthy - desiredHealthy) };
}

/** The disruption controller: keeps every PodDisruptionBudget's status and DisruptionAllowed condition current. */
export function syncDisruptionBudgets(ctx: ClusterContext): boolean {
  let changed = false;
  for (const stored of ctx.store.scan('poddisruptionbudgets')) {
    const numbers = budgetStatus(ctx, stored);
    // An evicted pod stays in disruptedPods until its deletion shows.
    const live = new Set(ctx.store.scan('pods', stored.metadata.namespace).filter((p) => !p.metadata.deletionTimestamp).map((p) => p.metadata.name));
    const disrupted = Object.fromEntries(Object.entries<string>(stored.status?.disruptedPods ?? {}).filter(([name]) => live.has(name)));
    const allowed = Object.keys(disrupted).length ? Math.max(0, numbers.disruptionsAllowed - Object.keys(disrupted).length) : numbers.disruptionsAllowed;
    const ok = allowed > 0;
    const previous = (stored.status?.conditions ?? []).find((c: any) => c.type === 'DisruptionAllowed');
    const condition = {
      type: 'DisruptionAllowed',
      status: ok ? 'True' : 'False',
      reason: ok ? 'SufficientPods' : 'InsufficientPods',
      message: '',
      observedGeneration: stored.metadata.generation,
      lastTransitionTime: previous && previous.status === (ok ? 'True' : 'False') ? previous.lastTransitionTime : ctx.clock.iso(),
    };
    const status = {
      observedGeneration: stored.metadata.generation,
      ...(Object.keys(disrupted).length ? { disruptedPods: disrupted } : {}),
      disruptionsAllowed: allowed,
      currentHealthy: numbers.currentHealthy,
      desiredHealthy: numbers.desiredHealthy,
      expectedPods: numbers.expectedPods,
      conditions: [condition],
    };
    if (JSON.stringify(status) === JSON.stringify(stored.status)) continue;
    ctx.store.update('poddisruptionbudgets', { ...stored, status });
    changed = true;
  }
  return changed;
}
