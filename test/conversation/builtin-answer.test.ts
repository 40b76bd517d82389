import type { V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { answerBuiltin, detectIntents, type Intent } from '../../src/conversation/builtin-answer.js';
import type { ClusterReader } from '../../src/kube/reader.js';
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
  };
}

const pod: V1Pod = { metadata: { name: 'web-1', namespace: 'shop' }, status: { phase: 'Running', containerStatuses: [] } };

describe('answerBuiltin', () => {
  it('asks where to look when it knows neither workload nor namespace', async () => {
    const answer = await answerBuiltin({ question: 'status?', reader: fakeReader([]), target: {}, now: Date.now() });
    expect(answer.text).toContain('Name a workload or a namespace');
    expect(answer.answered).toEqual([]);
  });

  it('gives a namespace overview: pods and events', async () => {
    const answer = await answerBuiltin({ question: 'status and events', reader: fakeReader([pod]), target: { namespace: 'shop' }, now: Date.now() });
    expect(answer.text).toContain('Pods in shop');
    expect(answer.text).toContain('pod shop/web-1');
    expect(answer.text).toContain('Back-off restarting failed container');
  });
});
