import { deployment, emptyWorld, event, hpa, node, pod, replicaSet, type ContainerSpec, type FakeWorld } from './fixtures.js';

/** The sandbox scenarios (notes/scenarios.md) as plain objects, for unit tests without the sandbox. */

const reg = 'registry.example.com/shop';
const ns = 'shop';

export function nodes(world: FakeWorld): void {
  world.nodes.push(node('node-1', 'True'), node('node-2', 'True'), node('node-3', 'Unknown', { taints: [{ key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule' }] }));
}

export function checkoutWorld(opts: { singleRevision?: boolean } = {}): FakeWorld {
  const w = emptyWorld();
  nodes(w);
  const good: ContainerSpec = { name: 'checkout', image: `${reg}/checkout:1.4.2`, env: [{ name: 'PAYMENT_URL', value: 'http://payments.shop.svc:8080' }] };
  const bad: ContainerSpec = { ...good, env: [{ name: 'PAYMENT_URL', value: 'htp://payments' }] };
  const current = opts.singleRevision ? good : bad;
  w.deployments.push(deployment('checkout', ns, { replicas: 3, revision: opts.singleRevision ? 1 : 2, ready: 0, container: current }));
  if (!opts.singleRevision) w.replicaSets.push(replicaSet('checkout', ns, 1, 'a1', good, 600));
  w.replicaSets.push(replicaSet('checkout', ns, opts.singleRevision ? 1 : 2, 'b2', current, 20));
  for (const i of [1, 2, 3]) {
    const name = `checkout-b2-x${i}`;
    w.pods.push(
      pod(name, ns, {
        app: 'checkout',
        hash: 'b2',
        container: current,
        status: {
          restartCount: 5 + i,
          state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 2m40s restarting failed container' } },
          lastState: { terminated: { exitCode: 1, reason: 'Error' } },
        },
      }),
    );
    w.logs[`${name}/checkout`] = 'starting checkout 1.4.2\nloading config\nFATAL config: PAYMENT_URL "htp://payments" is not a valid URL\n';
    w.events.push(event({ kind: 'Pod', name, ns }, 'Warning', 'BackOff', `Back-off restarting failed container checkout in pod ${name}_shop(uid)`, 12));
  }
  return w;
}

export function cartWorld(): FakeWorld {
  const w = emptyWorld();
  nodes(w);
  const c: ContainerSpec = { name: 'cart', image: `${reg}/cart:2.0.1`, memoryLimit: '128Mi', memoryRequest: '64Mi' };
  w.deployments.push(deployment('cart', ns, { replicas: 2, revision: 1, ready: 0, container: c }));
  w.replicaSets.push(replicaSet('cart', ns, 1, 'c1', c, 600));
  for (const i of [1, 2]) {
    w.pods.push(
      pod(`cart-c1-y${i}`, ns, {
        app: 'cart',
        hash: 'c1',
        container: c,
        status: { restartCount: 4, state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { exitCode: 137, reason: 'OOMKilled' } } },
      }),
    );
  }
  return w;
}

export function frontendWorld(): FakeWorld {
  const w = emptyWorld();
  nodes(w);
  const good: ContainerSpec = { name: 'frontend', image: `${reg}/frontend:2.3.0` };
  const bad: ContainerSpec = { name: 'frontend', image: `${reg}/frontend:2.3.1-typo` };
  w.deployments.push(deployment('frontend', ns, { replicas: 2, revision: 2, ready: 2, container: bad }));
  w.replicaSets.push(replicaSet('frontend', ns, 1, 'f1', good, 900), replicaSet('frontend', ns, 2, 'f2', bad, 15));
  w.pods.push(pod('frontend-f1-a', ns, { app: 'frontend', hash: 'f1', container: good, status: { ready: true, state: { running: {} } } }));
  w.pods.push(pod('frontend-f1-b', ns, { app: 'frontend', hash: 'f1', container: good, status: { ready: true, state: { running: {} } } }));
  w.pods.push(
    pod('frontend-f2-z', ns, {
      app: 'frontend',
      hash: 'f2',
      phase: 'Pending',
      container: bad,
      status: { state: { waiting: { reason: 'ImagePullBackOff', message: `Back-off pulling image "${reg}/frontend:2.3.1-typo"` } } },
    }),
  );
  w.events.push(
    event({ kind: 'Pod', name: 'frontend-f2-z', ns }, 'Warning', 'Failed', `Failed to pull image "${reg}/frontend:2.3.1-typo": not found`, 4),
  );
  return w;
}

export function searchWorld(): FakeWorld {
  const w = emptyWorld();
  nodes(w);
  const c: ContainerSpec = { name: 'search', image: `${reg}/search:5.0.0`, memoryRequest: '16Gi', memoryLimit: '16Gi' };
  w.deployments.push(deployment('search', ns, { replicas: 1, revision: 1, ready: 0, container: c }));
  w.replicaSets.push(replicaSet('search', ns, 1, 's1', c, 60));
  const message =
    '0/3 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/unreachable: }, 2 Insufficient memory. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.';
  w.pods.push(pod('search-s1-q', ns, { app: 'search', hash: 's1', phase: 'Pending', container: c, status: {}, scheduled: { reason: 'Unschedulable', message } }));
  w.events.push(event({ kind: 'Pod', name: 'search-s1-q', ns }, 'Warning', 'FailedScheduling', message, 7));
  return w;
}

export function paymentsWorld(): FakeWorld {
  const w = emptyWorld();
  nodes(w);
  const good: ContainerSpec = { name: 'payments', image: `${reg}/payments:3.0.4` };
  const bad: ContainerSpec = { name: 'payments', image: `${reg}/payments:3.1.0` };
  w.deployments.push(deployment('payments', ns, { replicas: 2, revision: 2, ready: 2, container: bad, progressDeadline: true }));
  w.replicaSets.push(replicaSet('payments', ns, 1, 'p1', good, 2000), replicaSet('payments', ns, 2, 'p2', bad, 30));
  w.pods.push(pod('payments-p1-a', ns, { app: 'payments', hash: 'p1', container: good, status: { ready: true, state: { running: {} } } }));
  w.pods.push(pod('payments-p2-b', ns, { app: 'payments', hash: 'p2', container: bad, status: { ready: false, state: { running: {} } } }));
  w.logs['payments-p2-b/payments/current'] = 'listening on :8080\nhealth: dependency ledger unavailable\n';
  w.events.push(event({ kind: 'Pod', name: 'payments-p2-b', ns }, 'Warning', 'Unhealthy', 'Readiness probe failed: HTTP probe failed with statuscode: 503', 40));
  return w;
}

export function apiWorld(): FakeWorld {
  const w = emptyWorld();
  nodes(w);
  const c: ContainerSpec = { name: 'api', image: `${reg}/api:1.0.0` };
  w.deployments.push(deployment('api', ns, { replicas: 2, revision: 1, ready: 2, container: c }));
  w.replicaSets.push(replicaSet('api', ns, 1, 'h1', c, 3000));
  for (const i of [1, 2]) w.pods.push(pod(`api-h1-${i}`, ns, { app: 'api', hash: 'h1', container: c, status: { ready: true, state: { running: {} } } }));
  w.hpas.push(hpa('api', ns, 'api', { min: 2, max: 2, current: 2, cpu: 95, targetCpu: 70 }));
  return w;
}
