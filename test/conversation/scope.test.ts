import { describe, expect, it } from 'vitest';
import { extractScope, type QuestionScope } from '../../src/conversation/scope.js';

describe('extractScope', () => {
  const table: [string, QuestionScope][] = [
    ['why is checkout crashing in namespace shop?', { namespace: 'shop' }],
    ['logs -n shop', { namespace: 'shop' }],
    ['events --namespace=kube-system on cluster prod', { namespace: 'kube-system', cluster: 'prod' }],
    ['status of deployment web in namespace shop', { namespace: 'shop', workload: { kind: 'Deployment', name: 'web' } }],
    ['describe deploy/checkout', { workload: { kind: 'Deployment', name: 'checkout' } }],
    ['is sts/db healthy', { workload: { kind: 'StatefulSet', name: 'db' } }],
    ['logs of pod web-5d9f-abc12', { pod: 'web-5d9f-abc12' }],
    ['why is the pod crashing', {}],
    ['the deployment is failing and the cluster is down', {}],
    ['namespace Shop_Bad!', {}],
    ['is node worker-1 ready', { node: 'worker-1' }],
    ['what is wrong in shop?', { place: 'shop' }],
    ['anything broken in the cluster?', { everywhere: true }],
    ['what is failing across all namespaces', { everywhere: true }],
    ['what happened in the last hour', {}],
    ['what is wrong with cart?', { place: 'cart' }],
    ["what's wrong with it?", {}],
    ['/k8s ask about deployment/checkout -n shop', { namespace: 'shop', workload: { kind: 'Deployment', name: 'checkout' } }],
  ];
  it.each(table)('reads %j', (text, expected) => {
    expect(extractScope(text)).toEqual(expected);
  });
});
