import { describe, expect, it } from 'vitest';
import { settleEvidence } from '../../../src/analysis/sweep/settled.js';
import { sweep } from '../../../src/analysis/sweep/sweep.js';
import { unitsOf } from '../../../src/analysis/sweep/units.js';
import type { Analyzer } from '../../../src/analysis/types.js';
import { evidenceOf, workloadRef } from '../analyzers/evidence.js';
import { deployment, pod } from '../fixtures.js';
import { crashingPod, now, sweepReader, sweepWorld } from './world.js';

const label = (v: { ref: { kind: string; name: string } }) => `${v.ref.kind}/${v.ref.name}`;

describe('unitsOf', () => {
  it("gives each workload its own pods, folds a CronJob's Jobs into it and keeps bare pods and Services", async () => {
    const world = sweepWorld();
    const bare = crashingPod('debug', 'debug', 'x');
    delete bare.metadata!.ownerReferences;
    world.pods.push(bare);
    const units = unitsOf(await sweepReader(world).listInventory('shop'));
    const pods = Object.fromEntries(units.map((u) => [label(u), u.pods.map((p) => p.metadata?.name)]));
    expect(pods['Deployment/checkout']).toEqual(['checkout-c2-a', 'checkout-c2-b']);
    expect(pods['Deployment/web']).toEqual(['web-w1-a', 'web-w1-b']);
    expect(pods['Pod/debug']).toEqual(['debug']);
    expect(pods['Service/web']).toEqual(['web-w1-a', 'web-w1-b']);
    expect(Object.keys(pods)).toContain('CronJob/report');
    expect(Object.keys(pods)).toContain('Job/migrate');
    expect(Object.keys(pods)).not.toContain('Job/report-29000');
  });
});

describe('sweep', () => {
  it('ranks failing before healthy, examines the unhealthy ones and names each root cause', async () => {
    const reader = sweepReader(sweepWorld());
    const report = await sweep(reader, { namespace: 'shop' }, now);
    const order = report.verdicts.map((v) => `${label(v)}:${v.health}`);
    expect(order).toEqual([
      'Deployment/checkout:failing',
      'Deployment/frontend:failing',
      'Job/migrate:failing',
      'Service/legacy:failing',
      'PersistentVolumeClaim/uploads:failing',
      'Deployment/web:healthy',
      'CronJob/report:healthy',
      'Service/web:healthy',
      'PersistentVolumeClaim/data-redis-0:healthy',
    ]);
    const [checkout, frontend, migrate, legacy, uploads] = report.verdicts;
    // Examined: events and logs were read, and the crash-loop analyzer quotes the log line.
    expect(checkout!.examined).toBe(true);
    expect(checkout!.cause).toMatch(/^is crash-looping — Container checkout exits with code 1 \(Error\)/);
    expect(checkout!.cause).toContain('FATAL config: PAYMENT_URL');
    expect(checkout!.state).toBe('0/2 ready');
    expect(checkout!.since).toBe(now - 180 * 60_000);
    expect(frontend!.cause).toContain('cannot pull its image');
    expect(migrate!.cause).toBe('BackoffLimitExceeded: Job has reached the specified backoff limit');
    expect(legacy!.cause).toBe('selects no pods (selector app=legacy): it has no endpoints');
    expect(uploads!.cause).toContain('storageclass.storage.k8s.io "fast" not found');
    expect(report.unexamined).toBe(0);
    // Healthy units are judged from the lists alone: nothing more is read about them.
    expect(reader.calls).not.toContain('getDeployment web');
    expect(reader.calls).toContain('getDeployment checkout');
    // The examined units share their reads: their common node is read once.
    expect(reader.calls.filter((c) => c === 'getNode node-1')).toHaveLength(1);
    expect(reader.calls.filter((c) => c.startsWith('listInventory'))).toHaveLength(1);
  });

  it('examines at most maxExamined units and says how many it judged from status alone', async () => {
    const reader = sweepReader(sweepWorld());
    const report = await sweep(reader, { namespace: 'shop' }, now, { maxExamined: 1 });
    expect(report.unexamined).toBe(4);
    expect(report.verdicts.filter((v) => v.examined).map(label)).toEqual(['Deployment/checkout']);
    const frontend = report.verdicts.find((v) => v.ref.name === 'frontend')!;
    expect(frontend.health).toBe('failing');
    expect(frontend.cause).toBe('1 of 1 pod ImagePullBackOff: Back-off pulling image "registry.example.com/shop/frontend:9.9.9"');
    expect(frontend.proposals).toEqual([]);
    expect(reader.calls).not.toContain('getDeployment frontend');
  });

  it('lets any analyzer take part: a critical finding makes a unit whose status is fine failing', async () => {
    const flagWeb: Analyzer = (evidence) =>
      evidence.workload?.ref.name === 'web'
        ? { findings: [{ analyzer: 'custom', title: 'deployment/web in shop: Service port 8080 is not exposed', severity: 'critical', summary: 'Nothing listens on 8080.', evidence: [] }], proposals: [] }
        : { findings: [], proposals: [] };
    const report = await sweep(sweepReader(sweepWorld()), { namespace: 'shop' }, now, { analyzers: [flagWeb] });
    const web = report.verdicts.find((v) => v.ref.name === 'web')!;
    expect(web.health).toBe('failing');
    expect(web.examined).toBe(true);
    expect(web.cause).toBe('Service port 8080 is not exposed — Nothing listens on 8080.');
  });

  it('sweeps every namespace when given none', async () => {
    const world = sweepWorld();
    const other = crashingPod('api-a1-x', 'api', 'a1');
    other.metadata!.namespace = 'billing';
    world.pods.push(other);
    const reader = sweepReader(world);
    const report = await sweep(reader, {}, now);
    expect(reader.calls).toContain('listInventory *');
    expect(report.namespace).toBeUndefined();
    expect(report.verdicts.some((v) => v.ref.namespace === 'billing' && v.health === 'failing')).toBe(true);
  });
});

describe('pods on their way out', () => {
  /** checkout right after a rollout undo: 3/3 ready on revision 3, one old crashed pod still terminating. */
  function undone(ready: number) {
    const world = sweepWorld();
    const checkout = { name: 'checkout', image: 'registry.example.com/shop/checkout:1.4.1' };
    world.deployments = world.deployments.filter((d) => d.metadata?.name !== 'checkout');
    const dep = deployment('checkout', 'shop', { replicas: 3, revision: 3, ready, container: checkout });
    dep.status!.observedGeneration = 3;
    world.deployments.push(dep);
    world.pods = world.pods.filter((p) => !p.metadata?.name?.startsWith('checkout-'));
    for (const s of ['a', 'b', 'c'].slice(0, ready)) {
      const p = pod(`checkout-c3-${s}`, 'shop', { app: 'checkout', hash: 'c3', container: checkout, status: { ready: true, state: { running: { startedAt: new Date(now - 60_000) } } } });
      p.status!.conditions = [{ type: 'Ready', status: 'True' }];
      world.pods.push(p);
    }
    const leaving = crashingPod('checkout-c2-a', 'checkout', 'c2');
    leaving.metadata!.deletionTimestamp = new Date(now - 5_000);
    world.pods.push(leaving);
    return world;
  }

  it('answers healthy for a Deployment whose rollout is done (3/3 ready) while an old crash-looping pod terminates', async () => {
    const report = await sweep(sweepReader(undone(3)), { namespace: 'shop' }, now);
    const checkout = report.verdicts.find((v) => v.ref.name === 'checkout')!;
    expect(checkout).toMatchObject({ health: 'healthy', state: '3/3 ready', findings: [] });
    expect(checkout.cause).toBeUndefined();
    // The first look, from the lists alone, does not judge it either.
    const quick = await sweep(sweepReader(undone(3)), { namespace: 'shop' }, now, { maxExamined: 0 });
    expect(quick.verdicts.find((v) => v.ref.name === 'checkout')).toMatchObject({ health: 'healthy', examined: false });
    // Gathered evidence drops it too: an incident's "is it healthy now?" reads the same.
    expect(settleEvidence(evidenceOf({ pods: undone(3).pods.filter((p) => p.metadata?.name?.startsWith('checkout-')), workload: { ...workloadRef('checkout'), deployment: undone(3).deployments.find((d) => d.metadata?.name === 'checkout')! } })).pods.map((p) => p.metadata?.name)).toEqual(['checkout-c3-a', 'checkout-c3-b', 'checkout-c3-c']);
  });

  it('still judges a terminating pod while the rollout is not done', async () => {
    const report = await sweep(sweepReader(undone(2)), { namespace: 'shop' }, now);
    const checkout = report.verdicts.find((v) => v.ref.name === 'checkout')!;
    expect(checkout.health).not.toBe('healthy');
    expect(checkout.cause).toMatch(/crash-looping|CrashLoopBackOff/);
  });
});
