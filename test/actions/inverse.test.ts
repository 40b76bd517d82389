import { describe, expect, it } from 'vitest';
import type { Action } from '../../src/decisions/actions/catalog.js';
import { inverseAction } from '../../src/decisions/actions/inverse.js';
import type { TargetSnapshot } from '../../src/decisions/actions/proposal.js';

const snap = (current: TargetSnapshot['current'], kind = 'Deployment'): TargetSnapshot => ({ kind, namespace: 'shop', name: 'web', current });

describe('inverseAction', () => {
  it('scales back to the previous replica count', () => {
    const action: Action = { type: 'scale', namespace: 'shop', kind: 'Deployment', name: 'web', replicas: 6 };
    expect(inverseAction(action, snap({ replicas: 3 }))).toEqual({ ...action, replicas: 3 });
    expect(inverseAction(action, snap({ replicas: '2' }))).toEqual({ ...action, replicas: 2 });
  });

  it('has no scale inverse without the previous count', () => {
    const action: Action = { type: 'scale', namespace: 'shop', kind: 'StatefulSet', name: 'db', replicas: 2 };
    expect(inverseAction(action, undefined)).toBeUndefined();
    expect(inverseAction(action, snap({ replicas: 'many' }))).toBeUndefined();
  });

  it('restores the previous resource values it changed', () => {
    const action: Action = { type: 'set_resources', namespace: 'shop', kind: 'StatefulSet', name: 'db', container: 'db', limits: { memory: '1Gi' } };
    expect(inverseAction(action, snap({ 'limits.memory': '512Mi', 'limits.cpu': '1' }))).toEqual({
      type: 'set_resources',
      namespace: 'shop',
      kind: 'StatefulSet',
      name: 'db',
      container: 'db',
      limits: { memory: '512Mi' },
    });
  });

  it('falls back to rollout_undo for set_resources on a Deployment when previous values are unknown', () => {
    const action: Action = { type: 'set_resources', namespace: 'shop', kind: 'Deployment', name: 'web', container: 'web', requests: { cpu: '1' } };
    expect(inverseAction(action, snap({}))).toEqual({ type: 'rollout_undo', namespace: 'shop', name: 'web' });
    expect(inverseAction({ ...action, kind: 'DaemonSet' }, snap({}))).toBeUndefined();
  });

  it('rolls back a restarted Deployment, and undoes an undo', () => {
    expect(inverseAction({ type: 'rollout_restart', namespace: 'shop', kind: 'Deployment', name: 'web' }, undefined)).toEqual({
      type: 'rollout_undo',
      namespace: 'shop',
      name: 'web',
    });
    expect(inverseAction({ type: 'rollout_restart', namespace: 'shop', kind: 'StatefulSet', name: 'db' }, undefined)).toBeUndefined();
    expect(inverseAction({ type: 'rollout_undo', namespace: 'shop', name: 'web', toRevision: 3 }, undefined)).toEqual({
      type: 'rollout_undo',
      namespace: 'shop',
      name: 'web',
    });
  });

  it('swaps cordon and uncordon; a deleted pod has no inverse', () => {
    expect(inverseAction({ type: 'cordon_node', node: 'n1' }, undefined)).toEqual({ type: 'uncordon_node', node: 'n1' });
    expect(inverseAction({ type: 'uncordon_node', node: 'n1' }, undefined)).toEqual({ type: 'cordon_node', node: 'n1' });
    expect(inverseAction({ type: 'restart_pod', namespace: 'shop', pod: 'web-1' }, undefined)).toBeUndefined();
  });
});
