import type { V1Node, V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { analyzeInsufficientResources } from '../../../src/analysis/analyzers/insufficient-resources.js';
import { analyzeMissingServiceAccount } from '../../../src/analysis/analyzers/missing-service-account.js';
import { analyzeNodeAffinity } from '../../../src/analysis/analyzers/node-affinity.js';
import { analyzeNodesCordoned } from '../../../src/analysis/analyzers/nodes-cordoned.js';
import { analyzePodAntiAffinity } from '../../../src/analysis/analyzers/pod-anti-affinity.js';
import { analyzeQuotaExceeded } from '../../../src/analysis/analyzers/quota-exceeded.js';
import { schedulingFailure } from '../../../src/analysis/analyzers/scheduling.js';
import { analyzeUnschedulable } from '../../../src/analysis/analyzers/unschedulable.js';
import { analyzeUntoleratedTaint } from '../../../src/analysis/analyzers/untolerated-taint.js';
import { ev, evidenceOf, podOf, workloadRef } from './evidence.js';

const now = 0;

function node(name: string, opts: { memory?: string; cpu?: string; unschedulable?: boolean; taints?: V1Node['spec'] extends infer S ? (S extends { taints?: infer T } ? T : never) : never; labels?: Record<string, string> } = {}): V1Node {
  return {
    metadata: { name, labels: { 'kubernetes.io/hostname': name, ...opts.labels } },
    spec: { ...(opts.unschedulable ? { unschedulable: true } : {}), ...(opts.taints ? { taints: opts.taints } : {}) },
    status: { allocatable: { cpu: opts.cpu ?? '4', memory: opts.memory ?? '8Gi', pods: '110' }, conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' }] },
  };
}

function pending(app: string, suffix: string, message: string, requests: Record<string, string>, spec: Partial<V1Pod['spec']> = {}): V1Pod {
  const p = podOf(app, suffix, { resources: { requests } }, { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message }] }, spec);
  delete p.spec!.nodeName;
  return p;
}

function running(app: string, suffix: string, nodeName: string, requests: Record<string, string>): V1Pod {
  return podOf(app, suffix, { resources: { requests } }, { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] }, { nodeName });
}

const memMsg = '0/2 nodes are available: 2 Insufficient memory. preemption: 0/2 nodes are available: 2 No preemption victims found for incoming pod.';

describe('scheduling message parsing', () => {
  it("splits kube-scheduler's reasons with their counts", () => {
    const message = "0/3 nodes are available: 1 node(s) didn't match Pod's node affinity/selector, 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 1 node(s) were unschedulable. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.";
    const f = schedulingFailure(evidenceOf({ pods: [pending('web', 'a', message, {})] }));
    expect(f?.total).toBe(3);
    expect(f?.reasons).toEqual([
      { count: 1, text: "node(s) didn't match Pod's node affinity/selector" },
      { count: 1, text: 'node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }' },
      { count: 1, text: 'node(s) were unschedulable' },
    ]);
  });
});

describe('insufficient-resources', () => {
  const world = (usage: string | undefined) => {
    const nodes = [node('node-1'), node('node-2')];
    const placed = [running('search', 'a', 'node-1', { memory: '4Gi' }), running('search', 'b', 'node-2', { memory: '4Gi' })];
    const system = running('coredns', 'x', 'node-1', { memory: '200Mi' });
    return evidenceOf(
      { pods: [pending('search', 'c', memMsg, { memory: '5Gi' }), ...placed], nodes, workload: workloadRef('search') },
      {
        nodePods: { 'node-1': [placed[0]!, system], 'node-2': [placed[1]!] },
        usage: usage === undefined ? [] : placed.map((p) => ({ namespace: 'shop', name: p.metadata!.name!, containers: [{ name: 'search', cpu: '1000000n', memory: usage }] })),
      },
    );
  };

  it('proposes the request every Pending pod can be placed with, when running replicas live within it', () => {
    const r = analyzeInsufficientResources(world('2097152Ki'), now);
    expect(r.findings[0]).toMatchObject({ kind: 'insufficient-memory', object: 'Deployment/shop/search' });
    // node-2 has 4Gi unreserved (node-1 3.8Gi): 4Gi is what the scheduler can place — not a node's 8Gi.
    expect(r.proposals.map((p) => p.action)).toEqual([{ type: 'set_resources', namespace: 'shop', kind: 'Deployment', name: 'search', container: 'search', requests: { memory: '4Gi' } }]);
    expect(r.findings[0]?.evidence).toContain('free memory (allocatable − requests): node-1 3896Mi, node-2 4Gi');
  });

  it('proposes nothing when the running replicas use more than the smaller request would give', () => {
    const r = analyzeInsufficientResources(world('3900Mi'), now);
    expect(r.proposals).toEqual([]);
    expect(r.findings[0]?.fix).toContain('Add a node with at least 5Gi free memory');
  });

  it('proposes nothing without evidence of real use', () => {
    expect(analyzeInsufficientResources(world(undefined), now).proposals).toEqual([]);
  });
});

describe('node-affinity, untolerated-taint, pod-anti-affinity, nodes-cordoned, unschedulable', () => {
  it('nodeSelector: quotes the spec and each node’s label', () => {
    const msg = "0/2 nodes are available: 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.";
    const r = analyzeNodeAffinity(evidenceOf({ pods: [pending('web', 'a', msg, {}, { nodeSelector: { disk: 'ssd' } })], nodes: [node('node-1'), node('node-2', { labels: { disk: 'hdd' } })], workload: workloadRef('web') }), now);
    expect(r.findings[0]).toMatchObject({ kind: 'node-affinity-mismatch', object: 'Deployment/shop/web' });
    expect(r.findings[0]?.evidence).toContain('node node-2: disk=hdd');
    expect(r.findings[0]?.fix).toContain('kubectl label node <node> disk=ssd');
  });

  it('taint: the tainted node is the object and the toleration is the fix', () => {
    const msg = '0/1 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.';
    const r = analyzeUntoleratedTaint(evidenceOf({ pods: [pending('web', 'a', msg, {})], nodes: [node('gpu-1', { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] })] }), now);
    expect(r.findings[0]).toMatchObject({ kind: 'untolerated-taint', object: 'Node/gpu-1' });
    expect(r.findings[0]?.fix).toContain('{key: "dedicated", operator: "Equal", value: "gpu", effect: "NoSchedule"}');
  });

  it('anti-affinity: counts the topology domains', () => {
    const msg = "0/2 nodes are available: 2 node(s) didn't match pod anti-affinity rules. preemption: 0/2 nodes are available: 2 No preemption victims found for incoming pod.";
    const affinity = { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'cache' } }, topologyKey: 'kubernetes.io/hostname' }] } };
    const r = analyzePodAntiAffinity(evidenceOf({ pods: [pending('cache', 'c', msg, {}, { affinity })], nodes: [node('node-1'), node('node-2')], workload: workloadRef('cache') }), now);
    expect(r.findings[0]?.evidence).toContain('schedulable topology domains: 2');
  });

  it('every node cordoned: uncordon the Ready one the pod fits; not when some node is merely cordoned', () => {
    const msg = '0/2 nodes are available: 2 node(s) were unschedulable. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.';
    const nodes = [node('node-1', { unschedulable: true, taints: [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }] }), node('node-2', { unschedulable: true })];
    const ev1 = evidenceOf({ pods: [pending('api', 'a', msg, { memory: '1Gi' })], nodes }, { nodePods: { 'node-1': [], 'node-2': [] } });
    expect(analyzeNodesCordoned(ev1, now).proposals.map((p) => p.action)).toEqual([{ type: 'uncordon_node', node: 'node-1' }]);
    const partial = '0/2 nodes are available: 1 Insufficient memory, 1 node(s) were unschedulable. preemption: …';
    const ev2 = evidenceOf({ pods: [pending('api', 'a', partial, { memory: '1Gi' })], nodes }, { nodePods: { 'node-1': [], 'node-2': [] } });
    expect(analyzeNodesCordoned(ev2, now).proposals).toEqual([]);
  });

  it('the generic finding only speaks for reasons no specific analyzer explains', () => {
    const explained = evidenceOf({ pods: [pending('web', 'a', memMsg, {})] });
    expect(analyzeUnschedulable(explained, now).findings).toEqual([]);
    const odd = evidenceOf({ pods: [pending('web', 'a', '0/2 nodes are available: 2 node(s) had volume node affinity conflict, 1 node(s) didn\'t have free ports for the requested pod ports.', {})] });
    expect(analyzeUnschedulable(odd, now).findings[0]?.summary).toContain("didn't have free ports");
  });
});

describe('admission', () => {
  const rsEvent = (message: string) => ev('ReplicaSet', 'web-7d9f', 'Warning', 'FailedCreate', message);
  const withEvents = (message: string) => evidenceOf({ workload: { ...workloadRef('web'), replicaSets: [{ metadata: { name: 'web-7d9f' } }] } }, { events: [rsEvent(message)], serviceAccounts: ['default'] });

  it('quota: each exceeded resource, with the value that would admit the pod', () => {
    const r = analyzeQuotaExceeded(withEvents('Error creating: pods "web-7d9f-" is forbidden: exceeded quota: compute, requested: limits.memory=512Mi,requests.memory=400Mi, used: limits.memory=1792Mi,requests.memory=816Mi, limited: limits.memory=2Gi,requests.memory=1Gi'), now);
    expect(r.findings[0]).toMatchObject({ kind: 'quota-exceeded', object: 'ResourceQuota/shop/compute' });
    expect(r.findings[0]?.fix).toContain('{"limits.memory":"2304Mi","requests.memory":"1216Mi"}');
  });

  it('quota events of another workload are not this one’s', () => {
    const e = evidenceOf({ workload: { ...workloadRef('web'), replicaSets: [{ metadata: { name: 'web-7d9f' } }] } }, { events: [ev('ReplicaSet', 'other-1', 'Warning', 'FailedCreate', 'Error creating: pods "other-1-" is forbidden: exceeded quota: q, requested: pods=1, used: pods=2, limited: pods=2')] });
    expect(analyzeQuotaExceeded(e, now).findings).toEqual([]);
  });

  it('missing ServiceAccount: the account is the object', () => {
    const r = analyzeMissingServiceAccount(withEvents('Error creating: pods "web-7d9f-" is forbidden: error looking up service account shop/billing: serviceaccount "billing" not found'), now);
    expect(r.findings[0]).toMatchObject({ kind: 'missing-service-account', object: 'ServiceAccount/shop/billing' });
    expect(r.findings[0]?.fix).toContain('kubectl -n shop create serviceaccount billing');
  });
});
