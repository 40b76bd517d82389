import { describe, expect, it } from 'vitest';
import { shareReads } from '../../../src/analysis/sweep/shared-reads.js';
import { emptyWorld, fakeReader, node } from '../fixtures.js';

describe('shareReads', () => {
  it('reads the same list or object once, logs every time, and retries a read that failed', async () => {
    const world = emptyWorld();
    world.nodes.push(node('node-1', 'True'));
    const reader = fakeReader(world);
    let failures = 1;
    reader.listNodes = () => (failures-- > 0 ? Promise.reject(new Error('connection reset')) : Promise.resolve(world.nodes));
    const shared = shareReads(reader);

    await Promise.all([shared.getNode('node-1'), shared.getNode('node-1')]);
    await shared.getNode('node-1');
    expect(reader.calls.filter((c) => c === 'getNode node-1')).toHaveLength(1);

    await shared.listPods('shop');
    await shared.listPods('shop', undefined);
    expect(reader.calls.filter((c) => c === 'listPods shop')).toHaveLength(1);

    await shared.readLogs('shop', 'web-1', { container: 'web' });
    await shared.readLogs('shop', 'web-1', { container: 'web' });
    expect(reader.calls.filter((c) => c.startsWith('logs web-1'))).toHaveLength(2);

    await expect(shared.listNodes()).rejects.toThrow('connection reset');
    expect((await shared.listNodes()).map((n) => n.metadata?.name)).toEqual(['node-1']);
    expect(shared.cluster).toBe('prod');
  });
});
