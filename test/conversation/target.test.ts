import { describe, expect, it } from 'vitest';
import { extractScope } from '../../src/conversation/scope.js';
import { resolveTarget, subjectOf } from '../../src/conversation/target.js';
import { emptyWorld, fakeReader } from '../analysis/fixtures.js';
import type { Incident } from '../../src/core/incident.js';

const reader = fakeReader(emptyWorld());
reader.listNamespaces = () => Promise.resolve(['shop', 'billing']);
const incident = { labels: {}, target: { cluster: 'prod', namespace: 'shop', deployment: 'checkout' } } as unknown as Incident;

const resolve = (question: string, inc: Incident | undefined = incident, channelNamespaces: string[] = ['shop']) =>
  resolveTarget({ scope: extractScope(question), incident: inc, namespace: 'shop', channelNamespaces, reader });

describe('resolveTarget', () => {
  it("keeps the incident's workload for a plain follow-up", async () => {
    expect(await resolve('is it healthy now?')).toEqual({ namespace: 'shop', deployment: 'checkout' });
  });

  it('reads "in <namespace>" as the namespace (channel or cluster), replacing the incident\'s workload', async () => {
    expect(await resolve('what is wrong in shop?')).toEqual({ namespace: 'shop' });
    expect(await resolve('what is wrong in billing?')).toEqual({ namespace: 'billing' });
  });

  it('reads "in <name>" that is no namespace as a workload name to look for', async () => {
    expect(await resolve('what is wrong in cart?', undefined)).toMatchObject({ namespace: 'shop', names: ['cart'] });
  });

  it("follows an ask thread's subject when there is no incident", async () => {
    const target = await resolveTarget({ scope: extractScope('is it healthy now?'), incident: undefined, subject: 'Deployment/cart', namespace: 'shop', channelNamespaces: ['shop'], reader });
    expect(target).toEqual({ namespace: 'shop', deployment: 'cart' });
    const pod = await resolveTarget({ scope: extractScope('logs?'), incident: undefined, subject: 'Pod/debug-1', namespace: 'shop', channelNamespaces: [], reader });
    expect(pod).toEqual({ namespace: 'shop', pod: 'debug-1' });
    expect(subjectOf(extractScope('about sts/redis -n shop'))).toBe('StatefulSet/redis');
  });

  it('sweeps the whole cluster for "in the cluster"', async () => {
    expect(await resolve('anything broken in the cluster?')).toEqual({});
  });
});
