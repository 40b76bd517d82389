import { describe, expect, it } from 'vitest';
import type { Action } from '../../src/decisions/actions/catalog.js';
import type { TargetSnapshot } from '../../src/decisions/actions/proposal.js';
import { classifyRisk, formatMemory, parseQuantity, type RiskContext } from '../../src/decisions/actions/risk.js';

const channel: RiskContext['channel'] = { cluster: 'prod', namespaces: ['shop', 'kube-system', 'payments-ops'], protectedNamespaces: ['payments-ops'], deny: [] };
const base: RiskContext = { cluster: 'prod', channel, protectedNamespaces: [], deny: [] };
const allNs: RiskContext = { ...base, channel: { ...channel, namespaces: ['*'] } };

function snap(current: Record<string, string | number>): TargetSnapshot {
  return { kind: 'Deployment', namespace: 'shop', name: 'web', current };
}
const pod = (current: Record<string, string | number>): TargetSnapshot => ({ kind: 'Pod', namespace: 'shop', name: 'web-1', current: { owner: 'ReplicaSet/web-5d9c7', ...current } });
const restart: Action = { type: 'restart_pod', namespace: 'shop', pod: 'web-1' };
const scale = (replicas: number): Action => ({ type: 'scale', namespace: 'shop', kind: 'Deployment', name: 'web', replicas });
const mem = (limit: string): Action => ({ type: 'set_resources', namespace: 'shop', kind: 'Deployment', name: 'cart', container: 'cart', limits: { memory: limit } });

describe('classifyRisk', () => {
  it.each<[string, Action, RiskContext, string]>([
    ['restart_pod is medium', { type: 'restart_pod', namespace: 'shop', pod: 'web-1' }, base, 'medium'],
    ['restart of a failing pod whose controller has another ready replica is low', restart, { ...base, target: pod({ failing: 'CrashLoopBackOff', readySiblings: 1 }) }, 'low'],
    ['restart of a failing pod with 2 ready siblings is low', restart, { ...base, target: pod({ failing: 'ImagePullBackOff', readySiblings: 2 }) }, 'low'],
    ['restart of a failing pod with no ready sibling is medium', restart, { ...base, target: pod({ failing: 'CrashLoopBackOff', readySiblings: 0 }) }, 'medium'],
    ['restart of a healthy pod with ready siblings is medium', restart, { ...base, target: pod({ readySiblings: 3 }) }, 'medium'],
    ['restart of a failing pod without a controller is medium', restart, { ...base, target: { kind: 'Pod', namespace: 'shop', name: 'web-1', current: { failing: 'Error', readySiblings: 2 } } }, 'medium'],
    ['restart of a failing pod in a protected namespace is high', { type: 'restart_pod', namespace: 'payments-ops', pod: 'x' }, { ...base, target: pod({ failing: 'CrashLoopBackOff', readySiblings: 2 }) }, 'high'],
    ['rollout_restart is medium', { type: 'rollout_restart', namespace: 'shop', kind: 'Deployment', name: 'web' }, base, 'medium'],
    ['scale 3→6 (exactly 2x) is medium', scale(6), { ...base, target: snap({ replicas: 3 }) }, 'medium'],
    ['scale 4→2 (exactly half) is medium', scale(2), { ...base, target: snap({ replicas: 4 }) }, 'medium'],
    ['scale 3→7 is high', scale(7), { ...base, target: snap({ replicas: 3 }) }, 'high'],
    ['scale 5→2 is high', scale(2), { ...base, target: snap({ replicas: 5 }) }, 'high'],
    ['scale to 0 is high', scale(0), { ...base, target: snap({ replicas: 1 }) }, 'high'],
    ['scale with unknown current is high', scale(3), base, 'high'],
    ['scale from 0 is high', scale(1), { ...base, target: snap({ replicas: 0 }) }, 'high'],
    ['rollout_undo is high', { type: 'rollout_undo', namespace: 'shop', name: 'checkout' }, base, 'high'],
    ['set_resources 128Mi→256Mi is medium', mem('256Mi'), { ...base, target: snap({ 'limits.memory': '128Mi' }) }, 'medium'],
    ['set_resources 128Mi→0.25Gi is medium (units parsed)', mem('0.25Gi'), { ...base, target: snap({ 'limits.memory': '128Mi' }) }, 'medium'],
    ['set_resources 128Mi→512Mi is high', mem('512Mi'), { ...base, target: snap({ 'limits.memory': '128Mi' }) }, 'high'],
    ['set_resources 1Gi→256Mi is high', mem('256Mi'), { ...base, target: snap({ 'limits.memory': '1Gi' }) }, 'high'],
    ['set_resources with unknown current is high', mem('256Mi'), { ...base, target: snap({}) }, 'high'],
    ['set_resources without a snapshot is high', mem('256Mi'), base, 'high'],
    [
      'set_resources cpu 500m→1 and memory 16Gi→8Gi is medium',
      { type: 'set_resources', namespace: 'shop', kind: 'Deployment', name: 's', container: 's', limits: { cpu: '1' }, requests: { memory: '8Gi' } },
      { ...base, target: snap({ 'limits.cpu': '500m', 'requests.memory': '16Gi' }) },
      'medium',
    ],
    [
      'set_resources with one value beyond 2x is high',
      { type: 'set_resources', namespace: 'shop', kind: 'Deployment', name: 's', container: 's', limits: { cpu: '2' }, requests: { memory: '8Gi' } },
      { ...base, target: snap({ 'limits.cpu': '500m', 'requests.memory': '16Gi' }) },
      'high',
    ],
    ['restart in kube-system is high', { type: 'restart_pod', namespace: 'kube-system', pod: 'coredns-1' }, base, 'high'],
    ['restart in a channel-protected namespace is high', { type: 'restart_pod', namespace: 'payments-ops', pod: 'x' }, base, 'high'],
    ['restart in a globally protected namespace is high', { type: 'restart_pod', namespace: 'shop', pod: 'x' }, { ...base, protectedNamespaces: ['shop'] }, 'high'],
    ['namespace outside the channel is forbidden', { type: 'restart_pod', namespace: 'prod', pod: 'x' }, base, 'forbidden'],
    ['another cluster is forbidden', { type: 'restart_pod', namespace: 'shop', pod: 'x' }, { ...base, cluster: 'staging' }, 'forbidden'],
    ['`*` allows any namespace', { type: 'restart_pod', namespace: 'anything', pod: 'x' }, allNs, 'medium'],
    ['cordon is forbidden for a namespace-scoped channel', { type: 'cordon_node', node: 'node-3' }, base, 'forbidden'],
    ['cordon is high for an all-namespaces channel', { type: 'cordon_node', node: 'node-3' }, allNs, 'high'],
    ['uncordon is high for an all-namespaces channel', { type: 'uncordon_node', node: 'node-3' }, allNs, 'high'],
    ['a global deny rule forbids', { type: 'rollout_undo', namespace: 'shop', name: 'checkout' }, { ...base, deny: [{ type: 'rollout_undo', namespace: 'shop' }] }, 'forbidden'],
    [
      'a channel deny rule with a wildcard forbids',
      { type: 'restart_pod', namespace: 'shop', pod: 'db-0' },
      { ...base, channel: { ...channel, deny: [{ name: 'db-*' }] } },
      'forbidden',
    ],
    ['a deny rule for a node forbids', { type: 'cordon_node', node: 'node-1' }, { ...allNs, deny: [{ node: 'node-1' }] }, 'forbidden'],
    ['a deny rule that does not match leaves the risk', { type: 'restart_pod', namespace: 'shop', pod: 'web-1' }, { ...base, deny: [{ type: 'scale' }] }, 'medium'],
  ])('%s', (_name, action, ctx, expected) => {
    const result = classifyRisk(action, ctx);
    expect(result.risk).toBe(expected);
    expect(result.reasons.length).toBeGreaterThan(0);
  });

  it('gives the same risk for the same action on the same target', () => {
    const ctx = { ...base, target: snap({ replicas: 3 }) };
    const first = classifyRisk(scale(5), ctx);
    for (let i = 0; i < 5; i++) expect(classifyRisk(scale(5), ctx)).toEqual(first);
  });

  it('names why an action is forbidden', () => {
    const result = classifyRisk({ type: 'restart_pod', namespace: 'prod', pod: 'x' }, base);
    expect(result.reasons.join(' ')).toContain('namespace prod is not allowed');
  });
});

describe('parseQuantity', () => {
  it.each([
    ['128Mi', 128 * 2 ** 20],
    ['1Gi', 2 ** 30],
    ['1.5Gi', 1.5 * 2 ** 30],
    ['500m', 0.5],
    ['2', 2],
    ['1k', 1000],
    ['1e3', 1000],
    ['256M', 256e6],
  ])('%s', (text, value) => {
    expect(parseQuantity(text)).toBeCloseTo(value);
  });
  it('rejects garbage', () => {
    expect(parseQuantity('lots')).toBeUndefined();
    expect(parseQuantity('12Qi')).toBeUndefined();
  });
  it('formats memory as whole Mi or Gi', () => {
    expect(formatMemory(256 * 2 ** 20)).toBe('256Mi');
    expect(formatMemory(8 * 2 ** 30)).toBe('8Gi');
    expect(formatMemory(100.5 * 2 ** 20)).toBe('101Mi');
  });
});
