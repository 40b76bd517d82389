/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-explicit-any -- Services and pods are wire JSON */
import { randomSuffix } from '../names.js';
import type { KubeObject } from '../types.js';
import { ownerRef, type ClusterContext } from './context.js';
import { isPodReady } from './replicas.js';

/** One pod behind a Service port set: its address, readiness and the ports it answers on. */
interface Backend {
  pod: KubeObject;
  ready: boolean;
  terminating: boolean;
  ports: { name?: string; port: number; protocol: string; appProtocol?: string }[];
}

/**
 * podutil.FindPort: a numeric targetPort is taken as is; a named one is the pod's containerPort
 * of that name and protocol, or nothing (the pod is then left out for that port).
 */
function findPort(pod: KubeObject, servicePort: any): number | undefined {
  const target = servicePort.targetPort ?? servicePort.port;
  if (typeof target === 'number') return target;
  if (/^\d+$/.test(String(target))) return Number(target);
  const protocol = servicePort.protocol ?? 'TCP';
  for (const c of [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? []).filter((i: any) => i.restartPolicy === 'Always')]) {
    for (const p of c.ports ?? []) if (p.name === target && (p.protocol ?? 'TCP') === protocol) return Number(p.containerPort);
  }
  return undefined;
}

/** The endpoints controller's ShouldPodBeInEndpoints: an IP, not finished, not going unless the Service publishes those. */
function backendsOf(ctx: ClusterContext, service: KubeObject): Backend[] {
  const selector: Record<string, string> = service.spec.selector;
  const publishNotReady = Boolean(service.spec.publishNotReadyAddresses);
  const out: Backend[] = [];
  for (const pod of ctx.store.scan('pods', service.metadata.namespace)) {
    const labels = pod.metadata.labels ?? {};
    if (Object.entries(selector).some(([k, v]) => labels[k] !== v)) continue;
    if (!pod.status?.podIP) continue;
    const phase = pod.status?.phase;
    if (phase === 'Failed' || phase === 'Succeeded') continue;
    const terminating = Boolean(pod.metadata.deletionTimestamp);
    if (terminating && !publishNotReady) continue;
    const ports: Backend['ports'] = [];
    let missing = false;
    for (const sp of service.spec.ports ?? []) {
      const port = findPort(pod, sp);
      if (port === undefined) {
        missing = true;
        continue;
      }
      ports.push({ ...(sp.name ? { name: sp.name } : {}), port, protocol: sp.protocol ?? 'TCP', ...(sp.appProtocol ? { appProtocol: sp.appProtocol } : {}) });
    }
    // A pod that resolves none of the Service's ports backs none of them.
    if (missing && ports.length === 0) continue;
    out.push({ pod, ready: publishNotReady || (isPodReady(pod) && !terminating), terminating, ports });
  }
  return out.sort((a, b) => String(a.pod.status.podIP).localeCompare(String(b.pod.status.podIP), undefined, { numeric: true }));
}

const portKey = (ports: Backend['ports']): string => JSON.stringify([...ports].sort((a, b) => (a.name ?? '').localeCompare(b.name ?? '')));

function targetRef(pod: KubeObject) {
  return { kind: 'Pod', namespace: pod.metadata.namespace, name: pod.metadata.name, uid: pod.metadata.uid };
}

/** Endpoints subsets as endpoints.RepackSubsets leaves them: one subset per distinct port set. */
function subsetsOf(backends: Backend[]): any[] {
  const groups = new Map<string, Backend[]>();
  for (const b of backends) groups.set(portKey(b.ports), [...(groups.get(portKey(b.ports)) ?? []), b]);
  return [...groups.values()].map((group) => {
    const address = (b: Backend) => ({ ip: b.pod.status.podIP, nodeName: b.pod.spec.nodeName, targetRef: targetRef(b.pod) });
    const ready = group.filter((b) => b.ready).map(address);
    const notReady = group.filter((b) => !b.ready).map(address);
    const ports = group[0]?.ports ?? [];
    return { ...(ready.length ? { addresses: ready } : {}), ...(notReady.length ? { notReadyAddresses: notReady } : {}), ...(ports.length ? { ports } : {}) };
  });
}

/** The Service's own labels, which both controllers copy onto what they write. */
function serviceLabels(service: KubeObject): Record<string, string> {
  return { ...(service.metadata.labels ?? {}) };
}

function syncEndpointsObject(ctx: ClusterContext, service: KubeObject, backends: Backend[]): boolean {
  const ns = service.metadata.namespace ?? 'default';
  const existing = ctx.store.get('endpoints', ns, service.metadata.name);
  const subsets = subsetsOf(backends);
  const labels = serviceLabels(service);
  if (existing && JSON.stringify(existing.subsets ?? []) === JSON.stringify(subsets) && JSON.stringify(existing.metadata.labels ?? {}) === JSON.stringify(labels)) return false;
  const metadata = {
    ...(existing?.metadata ?? { name: service.metadata.name, namespace: ns, uid: '', resourceVersion: '', creationTimestamp: '' }),
    labels,
    annotations: { ...(existing?.metadata.annotations ?? {}), 'endpoints.kubernetes.io/last-change-trigger-time': ctx.clock.iso() },
  };
  const next: KubeObject = { apiVersion: 'v1', kind: 'Endpoints', metadata, ...(subsets.length ? { subsets } : {}) };
  if (existing) ctx.store.update('endpoints', next);
  else ctx.store.create('endpoints', next);
  return true;
}

function sliceEndpoint(b: Backend) {
  return {
    addresses: [b.pod.status.podIP],
    conditions: { ready: b.ready, serving: b.terminating ? isPodReady(b.pod) : b.ready, terminating: b.terminating },
    nodeName: b.pod.spec.nodeName,
    targetRef: targetRef(b.pod),
  };
}

/** EndpointSlices: one per distinct port set (a placeholder with no endpoints when nothing backs the Service). */
function syncSlices(ctx: ClusterContext, service: KubeObject, backends: Backend[]): boolean {
  const ns = service.metadata.namespace ?? 'default';
  const name: string = service.metadata.name;
  const owned = ctx.store.scan('endpointslices', ns).filter((s) => s.metadata.labels?.['kubernetes.io/service-name'] === name && s.metadata.labels?.['endpointslice.kubernetes.io/managed-by'] === managedBy);
  const groups = new Map<string, Backend[]>();
  for (const b of backends) groups.set(portKey(b.ports), [...(groups.get(portKey(b.ports)) ?? []), b]);
  const wanted = groups.size ? [...groups.values()].map((g) => ({ ports: g[0]?.ports ?? [], endpoints: g.map(sliceEndpoint) })) : [{ ports: [], endpoints: [] }];
  const labels = { ...serviceLabels(service), 'endpointslice.kubernetes.io/managed-by': managedBy, 'kubernetes.io/service-name': name };
  let changed = false;
  const unused = [...owned];
  for (const want of wanted) {
    const key = portKey(want.ports);
    const i = unused.findIndex((s) => portKey(s.ports ?? []) === key);
    const current = i >= 0 ? unused.splice(i, 1)[0] : unused.shift();
    const body = { addressType: 'IPv4', endpoints: want.endpoints, ...(want.ports.length ? { ports: want.ports } : {}) };
    if (current) {
      const same = JSON.stringify({ addressType: current.addressType, endpoints: current.endpoints, ...(current.ports ? { ports: current.ports } : {}) }) === JSON.stringify(body);
      if (same && JSON.stringify(current.metadata.labels) === JSON.stringify(labels)) continue;
      const { ports: _old, ...rest } = current;
      ctx.store.update('endpointslices', { ...rest, ...body, metadata: { ...current.metadata, labels, annotations: { ...(current.metadata.annotations ?? {}), 'endpoints.kubernetes.io/last-change-trigger-time': ctx.clock.iso() } } });
    } else {
      ctx.store.create('endpointslices', {
        apiVersion: 'discovery.k8s.io/v1',
        kind: 'EndpointSlice',
        metadata: { name: `${name}-${randomSuffix()}`, generateName: `${name}-`, namespace: ns, uid: '', resourceVersion: '', creationTimestamp: '', labels, ownerReferences: [ownerRef(service)] },
        ...body,
      });
    }
    changed = true;
  }
  for (const s of unused) {
    ctx.store.remove('endpointslices', ns, s.metadata.name);
    changed = true;
  }
  return changed;
}

const managedBy = 'endpointslice-controller.k8s.io';

/**
 * The endpoints and endpointslice controllers: every Service with a selector gets an Endpoints
 * object of its name and EndpointSlices, from the pods it selects, their readiness and the
 * targetPort each resolves to. Services without a selector are left to whoever writes theirs.
 */
export function syncEndpoints(ctx: ClusterContext): boolean {
  let changed = false;
  const services = ctx.store.scan('services');
  for (const service of services) {
    if (!service.spec?.selector || Object.keys(service.spec.selector).length === 0) continue;
    const backends = backendsOf(ctx, service);
    changed = syncEndpointsObject(ctx, service, backends) || changed;
    changed = syncSlices(ctx, service, backends) || changed;
  }
  // The controllers delete what they wrote for a Service that is gone (or lost its selector).
  const selecting = new Set(services.filter((s) => s.spec?.selector && Object.keys(s.spec.selector).length).map((s) => `${s.metadata.namespace}/${s.metadata.name}`));
  const uids = new Set(services.map((s) => s.metadata.uid));
  for (const slice of ctx.store.scan('endpointslices')) {
    if (slice.metadata.labels?.['endpointslice.kubernetes.io/managed-by'] !== managedBy) continue;
    const owner = slice.metadata.ownerReferences?.find((r) => r.controller);
    if (owner && uids.has(owner.uid) && selecting.has(`${slice.metadata.namespace}/${slice.metadata.labels['kubernetes.io/service-name'] ?? ''}`)) continue;
    ctx.store.remove('endpointslices', slice.metadata.namespace, slice.metadata.name);
    changed = true;
  }
  for (const ep of ctx.store.scan('endpoints')) {
    const key = `${ep.metadata.namespace}/${ep.metadata.name}`;
    const service = services.find((s) => `${s.metadata.namespace}/${s.metadata.name}` === key);
    // Only Endpoints this controller wrote (the trigger-time annotation) go with their Service.
    if (service || !ep.metadata.annotations?.['endpoints.kubernetes.io/last-change-trigger-time']) continue;
    ctx.store.remove('endpoints', ep.metadata.namespace, ep.metadata.name);
    changed = true;
  }
  return changed;
}
