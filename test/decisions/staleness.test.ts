import { describe, expect, it } from 'vitest';
import type { TargetSnapshot } from '../../src/decisions/actions/proposal.js';
import { checkStaleness } from '../../src/decisions/staleness.js';

const deployment: TargetSnapshot = { kind: 'Deployment', namespace: 'shop', name: 'web', generation: 3, resourceVersion: '100', current: { replicas: 2 } };

describe('checkStaleness', () => {
  it('is fresh when nothing in the spec changed, even if status bumped resourceVersion', () => {
    expect(checkStaleness(deployment, { ...deployment, resourceVersion: '180' })).toEqual({ stale: false });
  });
  it('is stale when the generation moved', () => {
    const result = checkStaleness(deployment, { ...deployment, generation: 4 });
    expect(result.stale && result.explanation).toContain('generation 3 → 4');
  });
  it('is stale when the target is gone', () => {
    const result = checkStaleness(deployment, undefined);
    expect(result.stale && result.explanation).toContain('no longer exists');
  });
  it('compares resourceVersion when there is no generation, except for pods and nodes', () => {
    const cm = { kind: 'StatefulSet', name: 'db', resourceVersion: '5', current: {} };
    expect(checkStaleness(cm, { ...cm, resourceVersion: '6' }).stale).toBe(true);
    const node = { kind: 'Node', name: 'n1', resourceVersion: '5', current: { unschedulable: 'false' } };
    expect(checkStaleness(node, { ...node, resourceVersion: '9' }).stale).toBe(false);
    expect(checkStaleness(node, { ...node, current: { unschedulable: 'true' } }).stale).toBe(true);
  });
  it('is stale when a compared value changed', () => {
    expect(checkStaleness(deployment, { ...deployment, current: { replicas: 5 } }).stale).toBe(true);
  });
  it('cannot be stale without a snapshot at proposal time', () => {
    expect(checkStaleness(undefined, undefined)).toEqual({ stale: false });
  });
});
