import { describe, expect, it } from 'vitest';
import { evictionMessage } from '../../../sandbox/cluster/controller/node-pressure.js';
import { canonicalQuantity, formatQuantity } from '../../../sandbox/cluster/quantity.js';
import type { KubeObject } from '../../../sandbox/cluster/types.js';

describe("the eviction manager's message", () => {
  const pod = (annotations: Record<string, string>, containers: unknown[]): KubeObject => ({ metadata: { name: 'api-1', namespace: 'shop', uid: 'u', annotations }, spec: { containers } }) as unknown as KubeObject;

  it('names only the containers using more than they request, with quantities as the kubelet prints them', () => {
    const p = pod({ 'sandbox.deckhand.dev/memory': '7800Mi' }, [
      { name: 'api', resources: { requests: { memory: '0.125Gi' } } },
      { name: 'proxy', resources: { requests: { memory: '64Mi' } } },
    ]);
    // The sidecar uses half its request (the sandbox's default): not named.
    expect(evictionMessage(p, 51_200 * 1024)).toBe('The node was low on resource: memory. Threshold quantity: 100Mi, available: 50Mi. Container api was using 7800Mi, request is 128Mi, has larger consumption of memory. ');
  });

  it('reads memory.available as 0 past the capacity, and a missing request as 0', () => {
    const p = pod({ 'sandbox.deckhand.dev/memory': '1Gi' }, [{ name: 'api' }]);
    expect(evictionMessage(p, -300 * 2 ** 20)).toBe('The node was low on resource: memory. Threshold quantity: 100Mi, available: 0. Container api was using 1Gi, request is 0, has larger consumption of memory. ');
  });

  it('formats quantities like apimachinery', () => {
    expect([formatQuantity(8089600 * 1024), formatQuantity(1500), formatQuantity(512), formatQuantity(2 ** 30)]).toEqual(['7900Mi', '1500', '512', '1Gi']);
    expect([canonicalQuantity('1024Mi'), canonicalQuantity('128M'), canonicalQuantity(undefined)]).toEqual(['1Gi', '128M', '0']);
  });
});
