import type { Action, RolloutKind } from './catalog.js';
import type { ResourcePermission } from '../../kube/impersonation.js';

const plural: Record<RolloutKind, string> = { Deployment: 'deployments', StatefulSet: 'statefulsets', DaemonSet: 'daemonsets' };

/**
 * The Kubernetes permissions an action needs: reading its target (the snapshot) and the
 * requests src/decisions/execute sends — a test runs the snapshot and the dry run of every
 * action as someone the sandbox grants exactly these.
 */
export function permissionsFor(action: Action): ResourcePermission[] {
  switch (action.type) {
    case 'restart_pod':
      return [
        { verb: 'get', group: '', resource: 'pods', namespace: action.namespace, name: action.pod },
        // The snapshot counts the pod's Ready siblings (the low-risk rule).
        { verb: 'list', group: '', resource: 'pods', namespace: action.namespace },
        { verb: 'delete', group: '', resource: 'pods', namespace: action.namespace, name: action.pod },
      ];
    case 'rollout_restart':
    case 'set_resources':
      return [
        { verb: 'get', group: 'apps', resource: plural[action.kind], namespace: action.namespace, name: action.name },
        { verb: 'patch', group: 'apps', resource: plural[action.kind], namespace: action.namespace, name: action.name },
      ];
    case 'scale':
      return [
        { verb: 'get', group: 'apps', resource: plural[action.kind], namespace: action.namespace, name: action.name },
        { verb: 'get', group: 'apps', resource: plural[action.kind], subresource: 'scale', namespace: action.namespace, name: action.name },
        { verb: 'patch', group: 'apps', resource: plural[action.kind], subresource: 'scale', namespace: action.namespace, name: action.name },
      ];
    case 'rollout_undo':
      return [
        { verb: 'get', group: 'apps', resource: 'deployments', namespace: action.namespace, name: action.name },
        { verb: 'list', group: 'apps', resource: 'replicasets', namespace: action.namespace },
        { verb: 'patch', group: 'apps', resource: 'deployments', namespace: action.namespace, name: action.name },
      ];
    case 'cordon_node':
    case 'uncordon_node':
      return [
        { verb: 'get', group: '', resource: 'nodes', name: action.node },
        { verb: 'patch', group: '', resource: 'nodes', name: action.node },
      ];
  }
}

/**
 * What an approver's SubjectAccessReview asks: the writes the action makes (delete pods/x,
 * patch deployments/y…). Deckhand reads the target for its own checks as itself; the reads
 * the executor makes on the way (above) come with any role that grants the writes in practice.
 */
export function writePermissionsFor(action: Action): ResourcePermission[] {
  return permissionsFor(action).filter((p) => p.verb !== 'get' && p.verb !== 'list');
}
