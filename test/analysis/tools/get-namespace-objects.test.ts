import { describe, expect, it } from 'vitest';
import { readTools, runReadTool } from '../../../src/analysis/tools/index.js';
import { emptyWorld, fakeReader } from '../fixtures.js';

describe('get_namespace_objects', () => {
  const world = emptyWorld();
  world.services.push({ metadata: { name: 'web', namespace: 'shop' }, spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] } });
  world.endpoints.push({ metadata: { name: 'web', namespace: 'shop' }, subsets: [{ notReadyAddresses: [{ ip: '10.244.1.5' }] }] });
  world.quotas.push({ metadata: { name: 'compute', namespace: 'shop' }, spec: { hard: { pods: '2' } }, status: { hard: { pods: '2' }, used: { pods: '2' } } });
  world.configMaps.push({ ns: 'shop', name: 'app-config', keys: ['level'] });
  const tool = readTools.find((t) => t.name === 'get_namespace_objects')!;

  it('gives Claude one line per object, endpoints and quota use included, ConfigMaps by keys', async () => {
    const out = await runReadTool(tool, { namespace: 'shop' }, { reader: fakeReader(world), now: new Date(), maxBytes: 4000 });
    expect(out.ok).toBe(true);
    expect(out.text).toContain('Service web: ClusterIP selector {"app":"web"} ports 80→8080/TCP; endpoints 0 ready, 1 not ready');
    expect(out.text).toContain('ResourceQuota compute: hard {"pods":"2"}, used {"pods":"2"}');
    expect(out.text).toContain('ConfigMap app-config: keys level');
  });

  it('reads only the kinds asked for and refuses unknown ones', async () => {
    const out = await runReadTool(tool, { namespace: 'shop', kinds: ['quotas'] }, { reader: fakeReader(world), now: new Date(), maxBytes: 4000 });
    expect(out.text).not.toContain('Service web');
    const bad = await runReadTool(tool, { namespace: 'shop', kinds: ['secrets'] }, { reader: fakeReader(world), now: new Date(), maxBytes: 4000 });
    expect(bad.ok).toBe(false);
  });
});
