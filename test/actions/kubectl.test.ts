import { describe, expect, it } from 'vitest';
import { Action } from '../../src/decisions/actions/catalog.js';
import { renderKubectl } from '../../src/decisions/actions/kubectl.js';

describe('renderKubectl', () => {
  it.each<[Action, string]>([
    [{ type: 'restart_pod', namespace: 'shop', pod: 'web-1' }, 'kubectl delete pod web-1 -n shop'],
    [{ type: 'rollout_restart', namespace: 'shop', kind: 'Deployment', name: 'web' }, 'kubectl rollout restart deployment/web -n shop'],
    [{ type: 'rollout_restart', namespace: 'shop', kind: 'StatefulSet', name: 'redis' }, 'kubectl rollout restart statefulset/redis -n shop'],
    [{ type: 'scale', namespace: 'shop', kind: 'Deployment', name: 'web', replicas: 4 }, 'kubectl scale deployment/web --replicas=4 -n shop'],
    [{ type: 'rollout_undo', namespace: 'shop', name: 'checkout' }, 'kubectl rollout undo deployment/checkout -n shop'],
    [{ type: 'rollout_undo', namespace: 'shop', name: 'checkout', toRevision: 1 }, 'kubectl rollout undo deployment/checkout --to-revision=1 -n shop'],
    [
      { type: 'set_resources', namespace: 'shop', kind: 'Deployment', name: 'cart', container: 'cart', limits: { cpu: '500m', memory: '256Mi' }, requests: { memory: '128Mi' } },
      'kubectl set resources deployment/cart -c cart --limits=cpu=500m,memory=256Mi --requests=memory=128Mi -n shop',
    ],
    [{ type: 'cordon_node', node: 'node-3' }, 'kubectl cordon node-3'],
    [{ type: 'uncordon_node', node: 'node-3' }, 'kubectl uncordon node-3'],
  ])('%j', (action, expected) => {
    expect(renderKubectl(action)).toBe(expected);
  });

  it('adds the kube context when given', () => {
    expect(renderKubectl({ type: 'cordon_node', node: 'node-3' }, { context: 'prod-eu' })).toBe('kubectl cordon node-3 --context=prod-eu');
    expect(renderKubectl({ type: 'cordon_node', node: 'n' }, { context: "a b'c" })).toBe(`kubectl cordon n --context='a b'\\''c'`);
  });

  it('never needs shell quoting: hostile values are rejected by the catalog schema', () => {
    const hostile = [
      { type: 'restart_pod', namespace: 'shop', pod: 'web; kubectl delete ns prod' },
      { type: 'restart_pod', namespace: 'shop $(rm -rf /)', pod: 'web' },
      { type: 'scale', namespace: 'shop', kind: 'Deployment', name: 'web', replicas: '3 && curl evil' },
      { type: 'set_resources', namespace: 'shop', kind: 'Deployment', name: 'cart', container: 'cart', limits: { memory: '256Mi`id`' } },
      { type: 'cordon_node', node: 'node-3 | sh' },
      { type: 'rollout_undo', namespace: 'shop', name: "checkout' --all" },
    ];
    for (const input of hostile) expect(Action.safeParse(input).success).toBe(false);
  });

  it('renders only shell-safe characters for any valid action', () => {
    const valid = Action.parse({ type: 'set_resources', namespace: 'a-1', kind: 'DaemonSet', name: 'x.y-z', container: 'c0', limits: { cpu: '.5' } });
    expect(renderKubectl(valid)).toMatch(/^[A-Za-z0-9 ./=,_-]+$/);
  });
});
