import type { V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { readTools, runReadTool } from '../../../src/analysis/tools/index.js';
import { maxListedPods } from '../../../src/analysis/tools/list-pods.js';
import { emptyWorld, fakeReader } from '../fixtures.js';

const tool = readTools.find((t) => t.name === 'list_pods')!;

function pod(name: string, app: string, ready: boolean, extra: { waiting?: string; restarts?: number } = {}): V1Pod {
  return {
    metadata: { name, namespace: 'shop', labels: { app } },
    spec: { nodeName: 'node-1', containers: [{ name: app }] },
    status: {
      phase: 'Running',
      containerStatuses: [
        {
          name: app,
          image: `registry.example.com/shop/${app}:1.0`,
          imageID: '',
          ready,
          restartCount: extra.restarts ?? 0,
          state: extra.waiting ? { waiting: { reason: extra.waiting } } : { running: { startedAt: new Date('2026-11-21T10:00:00Z') } },
        },
      ],
    },
  };
}

async function list(pods: V1Pod[], input: Record<string, unknown> = { namespace: 'shop' }) {
  const world = emptyWorld();
  world.pods.push(...pods);
  const out = await runReadTool(tool, input, { reader: fakeReader(world), now: new Date(), maxBytes: 16_384 });
  expect(out.ok).toBe(true);
  return out.text.split('\n');
}

describe('list_pods', () => {
  it('one line per pod under a column header: name, status, ready, restarts, node', async () => {
    const lines = await list([pod('web-7d9f-a1', 'web', true), pod('cart-6c5b-b2', 'cart', false, { waiting: 'CrashLoopBackOff', restarts: 13 })]);
    expect(lines).toEqual(['NAME  STATUS  READY  RESTARTS  NODE', 'web-7d9f-a1  Running  1/1  0  node-1', 'cart-6c5b-b2  CrashLoopBackOff  0/1  13  node-1']);
  });

  it(`lists at most ${maxListedPods} pods, the unhealthy ones always, and counts what it left out`, async () => {
    const healthy = Array.from({ length: 60 }, (_, i) => pod(`web-7d9f-${String(i).padStart(3, '0')}`, 'web', true));
    const crashing = [pod('zeta-6c5b-x1', 'zeta', false, { waiting: 'CrashLoopBackOff', restarts: 4 }), pod('zeta-6c5b-x2', 'zeta', false, { waiting: 'CrashLoopBackOff', restarts: 5 })];
    const lines = await list([...healthy, ...crashing]);
    expect(lines).toHaveLength(1 + maxListedPods + 1);
    expect(lines).toContain('zeta-6c5b-x1  CrashLoopBackOff  0/1  4  node-1');
    expect(lines).toContain('zeta-6c5b-x2  CrashLoopBackOff  0/1  5  node-1');
    expect(lines.at(-1)).toBe(`… ${62 - maxListedPods} more pod(s) omitted (all Running and ready); narrow with labelSelector`);
  });

  it('says how many of the omitted pods are healthy when unhealthy ones alone exceed the cap', async () => {
    const crashing = Array.from({ length: maxListedPods + 5 }, (_, i) => pod(`cart-6c5b-${String(i).padStart(3, '0')}`, 'cart', false, { waiting: 'CrashLoopBackOff' }));
    const lines = await list([pod('web-7d9f-a1', 'web', true), ...crashing]);
    expect(lines).toHaveLength(1 + maxListedPods + 1);
    expect(lines).not.toContain('web-7d9f-a1  Running  1/1  0  node-1');
    expect(lines.at(-1)).toBe('… 6 more pod(s) omitted (1 Running and ready); narrow with labelSelector');
  });

  it('says so when nothing matches', async () => {
    expect(await list([], { namespace: 'shop', labelSelector: 'app=web' })).toEqual(['no pods in shop matching app=web']);
  });
});
