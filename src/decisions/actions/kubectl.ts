import type { Action, ResourceList } from './catalog.js';

/**
 * The exact kubectl command equivalent to a catalog action (contract: "Action catalog").
 * Shown to humans only; Deckhand never runs it. Every name and quantity in an Action is
 * validated by the catalog schema (RFC 1123 names, quantity regexes), so no value can hold
 * a space, a quote or a shell metacharacter and no quoting is ever needed.
 */
export function renderKubectl(action: Action, options: { context?: string } = {}): string {
  const parts = ['kubectl', ...argsOf(action)];
  if (options.context !== undefined) parts.push(`--context=${quoteIfNeeded(options.context)}`);
  return parts.join(' ');
}

function argsOf(action: Action): string[] {
  switch (action.type) {
    case 'restart_pod':
      return ['delete', 'pod', action.pod, '-n', action.namespace];
    case 'rollout_restart':
      return ['rollout', 'restart', `${action.kind.toLowerCase()}/${action.name}`, '-n', action.namespace];
    case 'scale':
      return ['scale', `${action.kind.toLowerCase()}/${action.name}`, `--replicas=${action.replicas}`, '-n', action.namespace];
    case 'rollout_undo':
      return [
        'rollout',
        'undo',
        `deployment/${action.name}`,
        ...(action.toRevision === undefined ? [] : [`--to-revision=${action.toRevision}`]),
        '-n',
        action.namespace,
      ];
    case 'set_resources':
      return [
        'set',
        'resources',
        `${action.kind.toLowerCase()}/${action.name}`,
        '-c',
        action.container,
        ...(action.limits ? [`--limits=${resourceArg(action.limits)}`] : []),
        ...(action.requests ? [`--requests=${resourceArg(action.requests)}`] : []),
        '-n',
        action.namespace,
      ];
    case 'cordon_node':
      return ['cordon', action.node];
    case 'uncordon_node':
      return ['uncordon', action.node];
  }
}

function resourceArg(list: ResourceList): string {
  const parts: string[] = [];
  if (list.cpu !== undefined) parts.push(`cpu=${list.cpu}`);
  if (list.memory !== undefined) parts.push(`memory=${list.memory}`);
  return parts.join(',');
}

/** Context names come from deckhand.yaml, not the catalog, so they are quoted when unusual. */
function quoteIfNeeded(value: string): string {
  return /^[A-Za-z0-9._@:/-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}
