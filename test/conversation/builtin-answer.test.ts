import type { V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { answerBuiltin, detectIntents, type Intent } from '../../src/conversation/builtin-answer.js';
import type { ClusterReader } from '../../src/kube/reader.js';
import { now, sweepReader, sweepWorld } from '../analysis/sweep/world.js';
import { emptyObjectReads } from '../helpers/object-reads.js';

describe('detectIntents', () => {
  const table: [string, Intent[]][] = [
    ['what are the logs saying?', ['logs']],
    ['status?', ['status']],
    ['show me recent events', ['events']],
    ['why is it crashing', ['why']],
    ['describe the deployment image', ['describe']],
    ['hello there', []],
  ];
  it.each(table)('%j → %j', (question, expected) => {
    expect(detectIntents(question)).toEqual(expected);
  });
});

/** A ClusterReader as a plain object (reader.ts: faked in unit tests by plain objects). */
function fakeReader(pods: V1Pod[]): ClusterReader {
  const none = () => Promise.resolve(undefined);
  const empty = () => Promise.resolve([]);
  return {
    ...emptyObjectReads(),
    cluster: 'lab',
    listNamespaces: () => Promise.resolve(['shop']),
    listPods: () => Promise.resolve(pods),
    getPod: none,
    listWorkloadPods: empty,
    getDeployment: none,
    getStatefulSet: none,
    getDaemonSet: none,
    listDeploymentReplicaSets: empty,
    listObjectEvents: empty,
    listNamespaceEvents: () =>
      Promise.resolve([{ metadata: {}, involvedObject: { kind: 'Pod', name: 'web-1' }, reason: 'BackOff', type: 'Warning', message: 'Back-off restarting failed container', count: 4 }]),
    listNodes: empty,
    getNode: none,
    readLogs: () => Promise.resolve({ ok: true, text: '', truncated: false }),
    listHpas: empty,
    findWorkloads: empty,
    listInventory: () =>
      Promise.resolve({ namespace: 'shop', deployments: [], statefulSets: [], daemonSets: [], jobs: [], cronJobs: [], pods, services: [], persistentVolumeClaims: [], notes: [] }),
  };
}

const pod: V1Pod = { metadata: { name: 'web-1', namespace: 'shop' }, status: { phase: 'Running', containerStatuses: [] } };

describe('answerBuiltin', () => {
  it('sweeps the cluster when it knows neither workload nor namespace', async () => {
    const answer = await answerBuiltin({ question: 'what is wrong?', reader: fakeReader([pod]), target: {}, now: Date.now() });
    expect(answer.text.split('\n')[0]).toBe('All 1 workload in cluster `lab` looks healthy.');
  });

  it('answers a namespace with the sweep, and its events when asked for', async () => {
    const answer = await answerBuiltin({ question: 'status and events', reader: fakeReader([pod]), target: { namespace: 'shop' }, now: Date.now() });
    expect(answer.text.split('\n')[0]).toBe('All 1 workload in `shop` looks healthy.');
    expect(answer.text).toContain('Events in shop');
    expect(answer.text).toContain('Back-off restarting failed container');
  });
});

describe('answerBuiltin about a workload', () => {
  it('says a container that never started has no logs, and why', async () => {
    const world = sweepWorld();
    const answer = await answerBuiltin({ question: 'show me the logs', reader: sweepReader(world), target: { namespace: 'shop', deployment: 'frontend' }, now });
    expect(answer.text).not.toContain('No pod logs to show.');
    expect(answer.text).toContain(
      'Container frontend of pod frontend-f9-a never started: ImagePullBackOff — Back-off pulling image "registry.example.com/shop/frontend:9.9.9"; Failed: Failed to pull image "registry.example.com/shop/frontend:9.9.9": manifest unknown: not found. It has no logs until it starts.',
    );
  });

  it('answers "is it healthy now?" with No first, then the reason, without the pod dump', async () => {
    const answer = await answerBuiltin({ question: 'is it healthy now?', reader: sweepReader(sweepWorld()), target: { namespace: 'shop', deployment: 'checkout' }, now });
    const [first] = answer.text.split('\n');
    expect(first).toMatch(/^\*No\* — \*deployment\/checkout\* in `shop` is failing \(0\/2 ready, for 3h\): is crash-looping — /);
    expect(answer.text).toContain('/k8s ask about deployment/checkout -n shop');
    expect(answer.text).not.toContain('*Status*');
  });

  it('answers "is it healthy now?" with Yes for a workload whose replicas are all ready', async () => {
    const answer = await answerBuiltin({ question: 'is it healthy now?', reader: sweepReader(sweepWorld()), target: { namespace: 'shop', deployment: 'web' }, now });
    expect(answer.text.split('\n')[0]).toBe('*Yes* — *deployment/web* in `shop` is healthy (2/2 ready).');
  });
});
