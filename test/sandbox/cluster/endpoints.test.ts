import type * as k8s from '@kubernetes/client-node';
import * as client from '@kubernetes/client-node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSandboxCluster, type SandboxCluster } from '../../../sandbox/cluster/index.js';
import { clientsFor, merge, type Clients } from './helpers.js';

// The payments-stuck-rollout scenario gives shop/payments two Ready pods (3.0.4) and one that
// never gets Ready (3.1.0), each with a containerPort named http (8080).
const env = {} as { cluster: SandboxCluster; c: Clients; discovery: k8s.DiscoveryV1Api };
beforeEach(async () => {
  env.cluster = await startSandboxCluster({ scenarios: ['payments-stuck-rollout'], timeScale: 100 });
  env.c = clientsFor(env.cluster);
  const kc = new client.KubeConfig();
  kc.loadFromString(env.cluster.kubeconfigYaml());
  env.discovery = kc.makeApiClient(client.DiscoveryV1Api);
  await env.cluster.settle();
});
afterEach(async () => {
  await env.cluster.close();
});

const namespace = 'shop';

async function createService(name: string, spec: k8s.V1ServiceSpec): Promise<void> {
  await env.c.core.createNamespacedService({ namespace, body: { metadata: { name, labels: { team: 'payments' } }, spec } });
  await env.cluster.settle();
}

async function podIps(ready: boolean): Promise<string[]> {
  const pods = await env.c.core.listNamespacedPod({ namespace, labelSelector: 'app=payments' });
  return pods.items.filter((p) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === (ready ? 'True' : 'False'))).map((p) => p.status!.podIP!).sort();
}

const ipsOf = (addresses: k8s.V1EndpointAddress[] | undefined) => (addresses ?? []).map((a) => a.ip).sort();

describe('sandbox endpoints and endpointslice controllers', () => {
  it('splits a Service’s pods into addresses and notReadyAddresses, on the named targetPort', async () => {
    await createService('payments', { selector: { app: 'payments' }, ports: [{ name: 'web', port: 80, targetPort: 'http' }] });
    const ready = await podIps(true);
    const notReady = await podIps(false);
    expect(ready).toHaveLength(2);
    expect(notReady).toHaveLength(1);
    const ep = await env.c.core.readNamespacedEndpoints({ name: 'payments', namespace });
    expect(ep.metadata?.labels).toEqual({ team: 'payments' });
    expect(ep.subsets).toHaveLength(1);
    expect(ipsOf(ep.subsets![0]!.addresses)).toEqual(ready);
    expect(ipsOf(ep.subsets![0]!.notReadyAddresses)).toEqual(notReady);
    expect(ep.subsets![0]!.ports).toEqual([{ name: 'web', port: 8080, protocol: 'TCP' }]);
    expect(ep.subsets![0]!.addresses![0]!.targetRef).toMatchObject({ kind: 'Pod', namespace });

    const slices = await env.discovery.listNamespacedEndpointSlice({ namespace, labelSelector: 'kubernetes.io/service-name=payments' });
    expect(slices.items).toHaveLength(1);
    const slice = slices.items[0]!;
    expect(slice.metadata?.labels).toMatchObject({ 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io', team: 'payments' });
    expect(slice.metadata?.ownerReferences?.[0]).toMatchObject({ kind: 'Service', name: 'payments', controller: true });
    expect(slice.addressType).toBe('IPv4');
    expect(slice.ports).toEqual([{ name: 'web', port: 8080, protocol: 'TCP' }]);
    const byReady = (r: boolean) => slice.endpoints.filter((e) => e.conditions?.ready === r).flatMap((e) => e.addresses).sort();
    expect(byReady(true)).toEqual(ready);
    expect(byReady(false)).toEqual(notReady);
  });

  it('leaves out pods that lack a named targetPort, and follows the Service when it changes', async () => {
    await createService('payments', { selector: { app: 'payments' }, ports: [{ port: 80, targetPort: 'metrics' }] });
    const ep = await env.c.core.readNamespacedEndpoints({ name: 'payments', namespace });
    expect(ep.subsets ?? []).toEqual([]);
    const slices = await env.discovery.listNamespacedEndpointSlice({ namespace, labelSelector: 'kubernetes.io/service-name=payments' });
    expect(slices.items.map((s) => s.endpoints ?? [])).toEqual([[]]);

    // A numeric targetPort needs no containerPort of that number.
    await env.c.core.patchNamespacedService({ name: 'payments', namespace, body: { spec: { ports: [{ port: 80, targetPort: 9090 }] } } }, merge);
    await env.cluster.settle();
    const after = await env.c.core.readNamespacedEndpoints({ name: 'payments', namespace });
    expect(ipsOf(after.subsets?.[0]?.addresses)).toEqual(await podIps(true));
    expect(after.subsets?.[0]?.ports).toEqual([{ port: 9090, protocol: 'TCP' }]);

    // A selector that matches nothing empties them again.
    await env.c.core.patchNamespacedService({ name: 'payments', namespace, body: { spec: { selector: { app: 'payment' } } } }, merge);
    await env.cluster.settle();
    expect((await env.c.core.readNamespacedEndpoints({ name: 'payments', namespace })).subsets ?? []).toEqual([]);
  });

  it('follows pods as they come and go, and deletes what it wrote with the Service', async () => {
    await createService('payments', { selector: { app: 'payments' }, ports: [{ port: 80, targetPort: 8080 }] });
    await env.c.apps.patchNamespacedDeployment({ name: 'payments', namespace, body: { spec: { replicas: 4 } } }, merge);
    await env.cluster.settle();
    const ep = await env.c.core.readNamespacedEndpoints({ name: 'payments', namespace });
    const all = [...ipsOf(ep.subsets?.[0]?.addresses), ...ipsOf(ep.subsets?.[0]?.notReadyAddresses)].sort();
    expect(all).toEqual([...(await podIps(true)), ...(await podIps(false))].sort());
    expect(all.length).toBeGreaterThan(3);

    await env.c.core.deleteNamespacedService({ name: 'payments', namespace });
    await env.cluster.settle();
    expect(env.cluster.getObject('Endpoints', namespace, 'payments')).toBeUndefined();
    expect((await env.discovery.listNamespacedEndpointSlice({ namespace })).items).toEqual([]);
  });

  it('leaves the Endpoints of a Service without a selector to whoever writes them', async () => {
    await createService('external', { ports: [{ port: 5432 }] });
    await env.c.core.createNamespacedEndpoints({ namespace, body: { metadata: { name: 'external' }, subsets: [{ addresses: [{ ip: '192.0.2.10' }], ports: [{ port: 5432 }] }] } });
    await env.cluster.settle();
    const ep = await env.c.core.readNamespacedEndpoints({ name: 'external', namespace });
    expect(ep.subsets).toEqual([{ addresses: [{ ip: '192.0.2.10' }], ports: [{ port: 5432 }] }]);
    expect((await env.discovery.listNamespacedEndpointSlice({ namespace, labelSelector: 'kubernetes.io/service-name=external' })).items).toEqual([]);
  });
});
