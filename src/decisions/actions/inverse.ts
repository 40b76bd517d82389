import { Action, type ResourceList } from './catalog.js';
import type { TargetSnapshot } from './proposal.js';

/**
 * Keys of TargetSnapshot.current that the inverse reads: the values before the action ran.
 * `replicas` for scale; `limits.cpu`, `limits.memory`, `requests.cpu`, `requests.memory` of
 * the action's container for set_resources.
 */
export const snapshotKeys = {
  replicas: 'replicas',
  limitsCpu: 'limits.cpu',
  limitsMemory: 'limits.memory',
  requestsCpu: 'requests.cpu',
  requestsMemory: 'requests.memory',
} as const;

/**
 * The action that undoes `action`, given the target's state before it ran, or undefined when
 * there is none (a deleted pod cannot come back). The result is validated against the catalog,
 * so a malformed snapshot value yields no inverse rather than a bad action.
 */
export function inverseAction(action: Action, snapshot: TargetSnapshot | undefined): Action | undefined {
  const current = snapshot?.current ?? {};
  switch (action.type) {
    case 'restart_pod':
      return undefined;
    case 'cordon_node':
      return { type: 'uncordon_node', node: action.node };
    case 'uncordon_node':
      return { type: 'cordon_node', node: action.node };
    case 'rollout_undo':
      // Undoing an undo goes back to the revision that was current before it.
      return { type: 'rollout_undo', namespace: action.namespace, name: action.name };
    case 'rollout_restart':
      return action.kind === 'Deployment' ? { type: 'rollout_undo', namespace: action.namespace, name: action.name } : undefined;
    case 'scale': {
      const replicas = toInt(current[snapshotKeys.replicas]);
      if (replicas === undefined) return undefined;
      return validated({ ...action, replicas });
    }
    case 'set_resources': {
      const limits = previousList(action.limits, current, 'limits');
      const requests = previousList(action.requests, current, 'requests');
      const restore =
        limits !== null && requests !== null && (limits !== undefined || requests !== undefined)
          ? validated({
              type: 'set_resources',
              namespace: action.namespace,
              kind: action.kind,
              name: action.name,
              container: action.container,
              ...(limits ? { limits } : {}),
              ...(requests ? { requests } : {}),
            })
          : undefined;
      if (restore) return restore;
      return action.kind === 'Deployment' ? { type: 'rollout_undo', namespace: action.namespace, name: action.name } : undefined;
    }
  }
}

/**
 * The previous values of the fields the action changed: undefined when it changed none of this
 * list, null when a changed field's previous value is unknown (so no exact restore is possible).
 */
function previousList(
  changed: ResourceList | undefined,
  current: Record<string, string | number>,
  which: 'limits' | 'requests',
): ResourceList | undefined | null {
  if (!changed) return undefined;
  const out: { cpu?: string; memory?: string } = {};
  for (const field of ['cpu', 'memory'] as const) {
    if (changed[field] === undefined) continue;
    const previous = current[`${which}.${field}`];
    if (previous === undefined) return null;
    out[field] = String(previous);
  }
  return out;
}

function toInt(value: string | number | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = typeof value === 'number' ? value : Number(value);
  return Number.isInteger(n) ? n : undefined;
}

function validated(candidate: unknown): Action | undefined {
  const parsed = Action.safeParse(candidate);
  return parsed.success ? parsed.data : undefined;
}
