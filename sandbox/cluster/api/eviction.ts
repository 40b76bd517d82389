/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-explicit-any -- Evictions, PDBs and pods are wire JSON */
import type { ClusterContext } from '../controller/context.js';
import { budgetStatus } from '../controller/disruption.js';
import { deletePodGracefully, isPodReady } from '../controller/replicas.js';
import { selectorFromSpec } from './selectors.js';
import { getObject, isDryRun, type Target } from './objects.js';
import { StatusError } from './status.js';

const success = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 };

/**
 * POST pods/<name>/eviction, as the API server's eviction REST handler answers it: a pod whose
 * PodDisruptionBudget allows no disruption is refused with 429 and the budget's numbers;
 * otherwise the budget is charged and the pod deleted gracefully. Finished and pending pods go
 * without a budget check; more than one budget is a 500, as on a real server.
 */
export function evictPod(ctx: ClusterContext, t: Target, name: string, body: any, query: URLSearchParams): unknown {
  const pod = getObject(ctx, { ...t, subresource: undefined }, name);
  const dryRun = isDryRun(query, body?.deleteOptions);
  const grace: number | undefined = body?.deleteOptions?.gracePeriodSeconds ?? undefined;
  const remove = () => {
    if (dryRun || pod.metadata.deletionTimestamp) return;
    const at = ctx.clock.iso();
    const conditions = [...(pod.status?.conditions ?? []).filter((c: any) => c.type !== 'DisruptionTarget'), { type: 'DisruptionTarget', status: 'True', lastProbeTime: null, lastTransitionTime: at, reason: 'EvictionByEvictionAPI', message: 'Eviction API: evicting' }];
    const updated = ctx.store.update('pods', { ...pod, status: { ...pod.status, conditions } });
    if (grace === 0) ctx.store.remove('pods', pod.metadata.namespace, name);
    else deletePodGracefully(ctx, updated, grace);
  };
  const phase = pod.status?.phase;
  if (pod.metadata.deletionTimestamp || phase === 'Succeeded' || phase === 'Failed' || phase === 'Pending') {
    remove();
    return success;
  }
  const budgets = ctx.store.scan('poddisruptionbudgets', pod.metadata.namespace).filter((pdb) => pdb.spec?.selector && selectorFromSpec(pdb.spec.selector)(pod));
  if (budgets.length > 1) throw new StatusError(500, 'InternalError', 'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.');
  const pdb = budgets[0];
  if (pdb) {
    const numbers = budgetStatus(ctx, pdb);
    const disrupted: Record<string, string> = pdb.status?.disruptedPods ?? {};
    const allowed = Math.max(0, numbers.disruptionsAllowed - Object.keys(disrupted).filter((n) => n !== name).length);
    // An unready pod may go while the budget is otherwise met (unhealthyPodEvictionPolicy IfHealthyBudget).
    const unreadyButHealthyBudget = !isPodReady(pod) && numbers.currentHealthy >= numbers.desiredHealthy;
    if (allowed <= 0 && !unreadyButHealthyBudget) {
      const refusal = new StatusError(429, 'TooManyRequests', "Cannot evict pod as it would violate the pod's disruption budget.", {
        causes: [{ reason: 'DisruptionBudget', message: `The disruption budget ${pdb.metadata.name} needs ${numbers.desiredHealthy} healthy pods and has ${numbers.currentHealthy} currently` }],
      });
      throw refusal;
    }
    if (!dryRun && isPodReady(pod)) {
      ctx.store.update('poddisruptionbudgets', { ...pdb, status: { ...pdb.status, disruptionsAllowed: allowed - 1, disruptedPods: { ...disrupted, [name]: ctx.clock.iso() } } });
    }
  }
  remove();
  return success;
}
