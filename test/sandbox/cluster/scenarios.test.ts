import type { V1Deployment, V1Pod } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandboxCluster, type SandboxCluster } from '../../../sandbox/cluster/index.js';
import { clientsFor, restart, rollbackTo, setResources, type Clients } from './helpers.js';
import { adminToken, call } from './wire.js';

let cluster: SandboxCluster;
let c: Clients;

beforeAll(async () => {
  cluster = await startSandboxCluster({ timeScale: 200, scenarios: ['checkout-crashloop', 'cart-oomkilled', 'frontend-imagepull', 'search-pending', 'payments-stuck-rollout', 'node-notready', 'reviews-no-endpoints', 'notifications-config'] });
  c = clientsFor(cluster);
  await cluster.settle();
});
afterAll(async () => {
  await cluster.close();
});

async function podsOf(app: string): Promise<V1Pod[]> {
  return (await c.core.listNamespacedPod({ namespace: 'shop', labelSelector: `app=${app}` })).items;
}
const waitingReason = (p: V1Pod) => p.status?.containerStatuses?.[0]?.state?.waiting?.reason;
const allReady = (pods: V1Pod[]) => pods.length > 0 && pods.every((p) => p.status?.containerStatuses?.[0]?.ready === true);
async function deployment(name: string): Promise<V1Deployment> {
  return c.apps.readNamespacedDeployment({ name, namespace: 'shop' });
}
function rolledOut(d: V1Deployment): boolean {
  const want = d.spec?.replicas ?? 1;
  const s = d.status ?? {};
  return s.observedGeneration === d.metadata?.generation && s.updatedReplicas === want && s.replicas === want && s.availableReplicas === want;
}

describe('each scenario stays broken under a fix that does not cure it and heals under its cure', () => {
  it('checkout: rollout restart keeps crash-looping, undo to revision 1 heals', async () => {
    expect((await podsOf('checkout')).every((p) => p.status?.containerStatuses?.[0]?.lastState?.terminated?.exitCode === 1)).toBe(true);
    await restart(c, 'shop', 'checkout');
    await cluster.settle();
    const d = await deployment('checkout');
    expect(d.metadata?.annotations?.['deployment.kubernetes.io/revision']).toBe('3');
    expect(rolledOut(d)).toBe(false);
    const fresh = (await podsOf('checkout')).filter((p) => p.metadata?.annotations?.['kubectl.kubernetes.io/restartedAt']);
    expect(fresh.length).toBeGreaterThan(0);
    expect(fresh.every((p) => p.status?.containerStatuses?.[0]?.lastState?.terminated?.exitCode === 1 || p.status?.containerStatuses?.[0]?.state?.terminated)).toBe(true);

    await rollbackTo(c, 'shop', 'checkout', 1);
    await cluster.settle();
    const healed = await deployment('checkout');
    expect(rolledOut(healed)).toBe(true);
    expect(healed.metadata?.annotations?.['deployment.kubernetes.io/revision']).toBe('4');
    expect(allReady(await podsOf('checkout'))).toBe(true);
    const sets = await c.apps.listNamespacedReplicaSet({ namespace: 'shop', labelSelector: 'app=checkout' });
    expect(sets.items).toHaveLength(3);
    const reused = sets.items.find((r) => r.metadata?.annotations?.['deployment.kubernetes.io/revision'] === '4');
    expect(reused?.metadata?.annotations?.['deployment.kubernetes.io/revision-history']).toBe('1');
    expect(healed.status?.conditions?.find((x) => x.type === 'Progressing')?.reason).toBe('NewReplicaSetAvailable');
  });

  it('cart: a 200Mi limit still OOMs, 512Mi heals', async () => {
    await setResources(c, 'shop', 'cart', { limits: { memory: '200Mi' } });
    await cluster.settle();
    const still = await podsOf('cart');
    expect(still.some((p) => p.spec?.containers[0]?.resources?.limits?.memory === '200Mi')).toBe(true);
    expect(allReady(still)).toBe(false);
    expect(still.some((p) => p.status?.containerStatuses?.[0]?.lastState?.terminated?.reason === 'OOMKilled')).toBe(true);

    await setResources(c, 'shop', 'cart', { limits: { memory: '512Mi' } });
    await cluster.settle();
    expect(rolledOut(await deployment('cart'))).toBe(true);
    const healed = await podsOf('cart');
    expect(healed.every((p) => p.spec?.containers[0]?.resources?.limits?.memory === '512Mi')).toBe(true);
    expect(allReady(healed)).toBe(true);
  });

  it('frontend: rollout restart keeps failing to pull, undo heals', async () => {
    expect((await podsOf('frontend')).filter((p) => ['ImagePullBackOff', 'ErrImagePull'].includes(waitingReason(p) ?? ''))).toHaveLength(1);
    await restart(c, 'shop', 'frontend');
    await cluster.settle();
    const still = await podsOf('frontend');
    expect(still.some((p) => ['ImagePullBackOff', 'ErrImagePull'].includes(waitingReason(p) ?? ''))).toBe(true);
    expect(still.filter((p) => p.status?.containerStatuses?.[0]?.ready)).toHaveLength(2);

    await rollbackTo(c, 'shop', 'frontend', 1);
    await cluster.settle();
    expect(rolledOut(await deployment('frontend'))).toBe(true);
    const healed = await podsOf('frontend');
    expect(healed.every((p) => p.spec?.containers[0]?.image === 'registry.example.com/shop/frontend:2.3.0')).toBe(true);
    expect(allReady(healed)).toBe(true);
  });

  it('search: 12Gi of requests stays Pending, 4Gi schedules', async () => {
    await setResources(c, 'shop', 'search', { requests: { memory: '12Gi' } });
    await cluster.settle();
    expect((await podsOf('search')).every((p) => p.status?.phase === 'Pending' && !p.spec?.nodeName)).toBe(true);

    await setResources(c, 'shop', 'search', { requests: { memory: '4Gi' } });
    await cluster.settle();
    expect(rolledOut(await deployment('search'))).toBe(true);
    expect(allReady(await podsOf('search'))).toBe(true);
  });

  it('payments: exceeded its deadline, a restart stays unready, undo heals', async () => {
    const stuck = await deployment('payments');
    expect(stuck.status?.conditions?.find((x) => x.type === 'Progressing')).toMatchObject({ status: 'False', reason: 'ProgressDeadlineExceeded' });
    await restart(c, 'shop', 'payments');
    await cluster.settle();
    expect(rolledOut(await deployment('payments'))).toBe(false);
    expect((await podsOf('payments')).filter((p) => !p.status?.containerStatuses?.[0]?.ready).length).toBeGreaterThan(0);

    await rollbackTo(c, 'shop', 'payments', 1);
    await cluster.settle();
    expect(rolledOut(await deployment('payments'))).toBe(true);
    expect(allReady(await podsOf('payments'))).toBe(true);
  });

  it('notifications: the missing ConfigMap key keeps it in CreateContainerConfigError; adding the key heals', async () => {
    const [stuck] = await podsOf('notifications');
    expect(stuck?.status?.containerStatuses?.[0]?.state?.waiting).toEqual({ reason: 'CreateContainerConfigError', message: "couldn't find key smtp_host in ConfigMap shop/notifications-config" });
    await restart(c, 'shop', 'notifications');
    await cluster.settle();
    expect((await podsOf('notifications')).every((p) => waitingReason(p) === 'CreateContainerConfigError')).toBe(true);

    const patched = await call(cluster, 'PATCH', '/api/v1/namespaces/shop/configmaps/notifications-config', { data: { smtp_host: 'mail.shop.svc' } }, { token: adminToken, contentType: 'application/merge-patch+json' });
    expect(patched.status).toBe(200);
    await cluster.settle();
    expect(rolledOut(await deployment('notifications'))).toBe(true);
    expect(allReady(await podsOf('notifications'))).toBe(true);
  });
});

describe('the Service failure of the demo world', () => {
  it('reviews: its pods are Ready, but its Service selects app=review, which no pod carries', async () => {
    expect(allReady(await podsOf('reviews'))).toBe(true);
    const svc = await c.core.readNamespacedService({ name: 'reviews', namespace: 'shop' });
    expect(svc.spec).toMatchObject({ type: 'ClusterIP', clusterIP: expect.stringMatching(/^10\.96\./), selector: { app: 'review' }, ports: [{ port: 80, targetPort: 8080, protocol: 'TCP' }] });
    expect(await podsOf('review')).toEqual([]);
  });
});
