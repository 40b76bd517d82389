import type { V1CronJob, V1Job, V1PersistentVolumeClaim, V1Pod, V1Service } from '@kubernetes/client-node';
import type { ClusterReader, WorkloadInventory } from '../../../src/kube/reader.js';
import { deployment, emptyWorld, event, fakeReader, now, pod, replicaSet, type FakeWorld } from '../fixtures.js';

/** A namespace `shop` with broken and healthy things of every kind the sweep lists. */

const ago = (min: number) => new Date(now - min * 60_000);
const web = { name: 'web', image: 'registry.example.com/shop/web:3.2.1' };
const checkout = { name: 'checkout', image: 'registry.example.com/shop/checkout:1.4.2' };
const frontend = { name: 'frontend', image: 'registry.example.com/shop/frontend:9.9.9' };

export interface SweepWorld extends FakeWorld {
  jobs: V1Job[];
  cronJobs: V1CronJob[];
  services: V1Service[];
  pvcs: V1PersistentVolumeClaim[];
}

export function crashingPod(name: string, app: string, hash: string, restartedMinAgo = 180): V1Pod {
  const p = pod(name, 'shop', {
    app,
    hash,
    container: checkout,
    status: {
      restartCount: 37,
      state: { waiting: { reason: 'CrashLoopBackOff', message: `back-off 5m0s restarting failed container=checkout pod=${name}` } },
      lastState: { terminated: { exitCode: 1, reason: 'Error' } },
    },
  });
  p.metadata!.creationTimestamp = ago(restartedMinAgo);
  p.status!.conditions = [{ type: 'Ready', status: 'False', reason: 'ContainersNotReady', lastTransitionTime: ago(restartedMinAgo) }];
  return p;
}

export function imagePullPod(name: string): V1Pod {
  const p = pod(name, 'shop', {
    app: 'frontend',
    hash: 'f9',
    container: frontend,
    status: { state: { waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image "registry.example.com/shop/frontend:9.9.9"' } } },
    phase: 'Pending',
  });
  p.metadata!.creationTimestamp = ago(45);
  return p;
}

function readyPod(name: string, app: string, hash: string): V1Pod {
  const p = pod(name, 'shop', { app, hash, container: web, status: { ready: true, state: { running: { startedAt: ago(600) } } } });
  p.status!.conditions = [{ type: 'Ready', status: 'True' }];
  return p;
}

export function sweepWorld(): SweepWorld {
  const world: SweepWorld = { ...emptyWorld(), jobs: [], cronJobs: [], services: [], pvcs: [] };
  world.deployments.push(
    deployment('web', 'shop', { replicas: 2, revision: 1, ready: 2, container: web }),
    deployment('checkout', 'shop', { replicas: 2, revision: 2, ready: 0, container: checkout }),
    deployment('frontend', 'shop', { replicas: 1, revision: 4, ready: 0, container: frontend }),
  );
  world.replicaSets.push(replicaSet('checkout', 'shop', 2, 'c2', checkout, 180), replicaSet('checkout', 'shop', 1, 'c1', { ...checkout, env: [{ name: 'PAYMENT_URL', value: 'x' }] }, 6000));
  world.pods.push(readyPod('web-w1-a', 'web', 'w1'), readyPod('web-w1-b', 'web', 'w1'), crashingPod('checkout-c2-a', 'checkout', 'c2'), crashingPod('checkout-c2-b', 'checkout', 'c2'), imagePullPod('frontend-f9-a'));
  world.events.push(event({ kind: 'Pod', name: 'frontend-f9-a', ns: 'shop' }, 'Warning', 'Failed', 'Failed to pull image "registry.example.com/shop/frontend:9.9.9": manifest unknown: not found'));
  world.logs['checkout-c2-a/checkout'] = 'level=info msg="starting checkout"\nFATAL config: PAYMENT_URL "htp://payments" is not a valid URL';

  world.jobs.push({
    metadata: { name: 'migrate', namespace: 'shop', uid: 'uid-migrate', creationTimestamp: ago(300) },
    spec: { template: { spec: { containers: [] } }, backoffLimit: 6 },
    status: { failed: 7, conditions: [{ type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit', lastTransitionTime: ago(240) }] },
  });
  world.cronJobs.push({ metadata: { name: 'report', namespace: 'shop' }, spec: { schedule: '0 * * * *', jobTemplate: {} } });
  world.jobs.push({
    metadata: { name: 'report-29000', namespace: 'shop', creationTimestamp: ago(30), ownerReferences: [{ apiVersion: 'batch/v1', kind: 'CronJob', name: 'report', uid: 'uid-report', controller: true }] },
    spec: { template: { spec: { containers: [] } } },
    status: { succeeded: 1, conditions: [{ type: 'Complete', status: 'True' }] },
  });
  world.services.push(
    { metadata: { name: 'web', namespace: 'shop' }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } },
    { metadata: { name: 'legacy', namespace: 'shop', creationTimestamp: ago(2000) }, spec: { selector: { app: 'legacy' }, ports: [{ port: 80 }] } },
  );
  world.pvcs.push(
    { metadata: { name: 'data-redis-0', namespace: 'shop', creationTimestamp: ago(3000) }, spec: {}, status: { phase: 'Bound' } },
    { metadata: { name: 'uploads', namespace: 'shop', creationTimestamp: ago(90) }, spec: {}, status: { phase: 'Pending' } },
  );
  world.events.push(event({ kind: 'PersistentVolumeClaim', name: 'uploads', ns: 'shop' }, 'Warning', 'ProvisioningFailed', 'storageclass.storage.k8s.io "fast" not found'));
  return world;
}

/** The fixtures' fake reader, with an inventory that holds every kind of the world. */
export function sweepReader(world: SweepWorld): ClusterReader & { calls: string[] } {
  const reader = fakeReader(world, 'lab');
  const inNs = <T extends { metadata?: { namespace?: string } }>(ns: string | undefined, items: T[]) => items.filter((i) => ns === undefined || i.metadata?.namespace === ns);
  reader.listInventory = (ns) => {
    reader.calls.push(`listInventory ${ns ?? '*'}`);
    const inventory: WorkloadInventory = {
      ...(ns === undefined ? {} : { namespace: ns }),
      deployments: inNs(ns, world.deployments),
      statefulSets: [],
      daemonSets: [],
      jobs: inNs(ns, world.jobs),
      cronJobs: inNs(ns, world.cronJobs),
      pods: inNs(ns, world.pods),
      services: inNs(ns, world.services),
      persistentVolumeClaims: inNs(ns, world.pvcs),
      notes: [],
    };
    return Promise.resolve(inventory);
  };
  return reader;
}

export { now };
