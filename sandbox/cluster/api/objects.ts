/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-unsafe-return, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-explicit-any -- the simulated API handles Kubernetes wire JSON, whose shapes vary by kind */
import type { ClusterContext } from '../controller/context.js';
import { admitPod, objectQuotaRefusal } from '../controller/admission.js';
import { toEventsV1 } from '../controller/events.js';
import { limitRangerAnnotation } from '../controller/limit-ranges.js';
import { deletePodGracefully } from '../controller/replicas.js';
import { withDefaultTolerations } from '../controller/scheduler.js';
import { newUid, randomSuffix } from '../names.js';
import { apiVersionOf, storeKeyOf, type ResourceInfo } from '../resources.js';
import type { KubeObject } from '../types.js';
import { applyDefaults } from './defaults.js';
import { applyPatch } from './patch.js';
import { selectorString } from './selectors.js';
import { StatusError, alreadyExists, badRequest, conflict, notFound } from './status.js';
import { validateObject } from './validate.js';

export interface Target {
  info: ResourceInfo;
  namespace: string | undefined;
  name: string | undefined;
  subresource: string | undefined;
}

/** The object as this group version shows it (events.k8s.io converts; others get apiVersion/kind). */
export function present(info: ResourceInfo, o: KubeObject): KubeObject {
  if (info.group === 'events.k8s.io') return toEventsV1(o);
  return { ...o, apiVersion: apiVersionOf(info), kind: info.kind };
}

export function getObject(ctx: ClusterContext, t: Target, name: string): KubeObject {
  const o = ctx.store.get(storeKeyOf(t.info), t.info.namespaced ? t.namespace : undefined, name);
  if (!o) throw notFound(t.info, name);
  return present(t.info, o);
}

export function isDryRun(query: URLSearchParams, body?: unknown): boolean {
  const fromQuery = query.getAll('dryRun').includes('All');
  const fromBody = Array.isArray((body as any)?.dryRun) && (body as any).dryRun.includes('All');
  return fromQuery || fromBody;
}

/** Stores `next` unless dry-run; checks resourceVersion preconditions and validation first. */
function commit(ctx: ClusterContext, t: Target, current: KubeObject, next: KubeObject, dryRun: boolean): KubeObject {
  const rv = next.metadata?.resourceVersion;
  if (rv && rv !== current.metadata.resourceVersion) throw conflict(t.info, current.metadata.name);
  applyDefaults(ctx, storeKeyOf(t.info), next, current);
  validateObject(t.info, next, current);
  next.metadata = { ...next.metadata, resourceVersion: current.metadata.resourceVersion };
  if (dryRun) return present(t.info, next);
  return present(t.info, ctx.store.update(storeKeyOf(t.info), next));
}

export function patchObject(ctx: ClusterContext, t: Target, name: string, contentType: string, body: unknown, query: URLSearchParams): KubeObject {
  const current = getObject(ctx, t, name);
  const patched = applyPatch(contentType, current, body) as KubeObject;
  if (!patched || typeof patched !== 'object') throw badRequest('the patch produced no object');
  if (patched.metadata?.resourceVersion === current.metadata.resourceVersion) delete (patched.metadata as any).resourceVersion;
  return commit(ctx, t, current, patched, isDryRun(query));
}

export function replaceObject(ctx: ClusterContext, t: Target, name: string, body: any, query: URLSearchParams): KubeObject {
  const current = getObject(ctx, t, name);
  if (!body || typeof body !== 'object' || !body.metadata) throw badRequest('the body of the request was not an object with metadata');
  if (body.metadata.name !== name) throw badRequest(`the name of the object (${body.metadata.name}) does not match the name on the URL (${name})`);
  const next = { ...body, metadata: { ...body.metadata, uid: current.metadata.uid, creationTimestamp: current.metadata.creationTimestamp } };
  if (t.subresource !== 'status') next.status = current.status;
  return commit(ctx, t, current, next, isDryRun(query));
}

export function createObject(ctx: ClusterContext, t: Target, body: any, query: URLSearchParams): KubeObject {
  if (!body || typeof body !== 'object') throw badRequest('the body of the request was not a JSON object');
  const metadata = { ...(body.metadata ?? {}) };
  if (!metadata.name && metadata.generateName) metadata.name = `${metadata.generateName}${randomSuffix()}`;
  if (!metadata.name) throw new StatusError(422, 'Invalid', `${t.info.kind} "" is invalid: metadata.name: Required value: name or generateName is required`);
  if (t.info.namespaced) metadata.namespace = t.namespace ?? 'default';
  const table = storeKeyOf(t.info);
  if (ctx.store.get(table, metadata.namespace, metadata.name)) throw alreadyExists(t.info, metadata.name);
  // The store sets generation on the kinds that have one; the others carry none.
  delete metadata.generation;
  const next: KubeObject = { ...body, apiVersion: apiVersionOf(t.info), kind: t.info.kind, metadata: { ...metadata, uid: '', resourceVersion: '', creationTimestamp: '' } };
  applyDefaults(ctx, table, next, undefined);
  if (table === 'pods') admitNewPod(ctx, next);
  const quotaRefusal = table === 'services' || table === 'persistentvolumeclaims' ? objectQuotaRefusal(ctx, metadata.namespace, table, next) : undefined;
  if (quotaRefusal) throw new StatusError(403, 'Forbidden', `${table} "${String(metadata.name)}" is forbidden: ${quotaRefusal}`, { name: metadata.name, kind: table });
  validateObject(t.info, next, undefined);
  if (isDryRun(query)) {
    // What the create would have stored, short of a resourceVersion: kubectl parses the timestamp.
    const { resourceVersion: _unset, ...rest } = next.metadata;
    return present(t.info, { ...next, metadata: { ...rest, uid: next.metadata.uid || newUid(), creationTimestamp: ctx.clock.iso() } as KubeObject['metadata'] });
  }
  return present(t.info, ctx.store.create(table, next));
}

/**
 * A pod created through the API passes the admission chain (LimitRange defaults, ServiceAccount,
 * LimitRange limits, ResourceQuota) and gets the DefaultTolerationSeconds tolerations; a refusal
 * is the API server's 403.
 */
function admitNewPod(ctx: ClusterContext, pod: KubeObject): void {
  const admitted = admitPod(ctx, pod.metadata.namespace ?? 'default', pod.spec ?? {});
  if (admitted.refusal) throw new StatusError(403, 'Forbidden', `pods "${pod.metadata.name}" is forbidden: ${admitted.refusal}`, { name: pod.metadata.name, kind: 'pods' });
  const account: string = admitted.spec.serviceAccountName ?? admitted.spec.serviceAccount ?? 'default';
  pod.spec = { ...admitted.spec, serviceAccountName: account, serviceAccount: account, tolerations: withDefaultTolerations(admitted.spec.tolerations ?? []) };
  if (admitted.annotation) pod.metadata.annotations = { ...(pod.metadata.annotations ?? {}), [limitRangerAnnotation]: admitted.annotation };
}

/** DELETE: pods go through graceful deletion; other objects go at once and their dependents are collected. */
export function deleteObject(ctx: ClusterContext, t: Target, name: string, body: any, query: URLSearchParams): { status: number; body: unknown } {
  const current = getObject(ctx, t, name);
  const pre = body?.preconditions ?? {};
  if ((pre.uid && pre.uid !== current.metadata.uid) || (pre.resourceVersion && pre.resourceVersion !== current.metadata.resourceVersion)) throw conflict(t.info, name);
  const dryRun = isDryRun(query, body);
  const graceRaw = body?.gracePeriodSeconds ?? query.get('gracePeriodSeconds');
  const grace = graceRaw === null || graceRaw === undefined ? undefined : Number(graceRaw);
  const table = storeKeyOf(t.info);
  if (t.info.plural === 'pods') {
    if (dryRun) return { status: 200, body: current };
    if (grace === 0 || current.metadata.deletionTimestamp) {
      if (grace === 0) {
        ctx.store.remove(table, current.metadata.namespace, name);
        ctx.pods.delete(current.metadata.uid);
      }
      return { status: 200, body: current };
    }
    return { status: 200, body: present(t.info, deletePodGracefully(ctx, current, grace)) };
  }
  if (!dryRun) ctx.store.remove(table, current.metadata.namespace, name);
  return {
    status: 200,
    body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details: { name, ...(t.info.group ? { group: t.info.group } : {}), kind: t.info.plural, uid: current.metadata.uid } },
  };
}

export function scaleOf(t: Target, o: KubeObject): KubeObject {
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: { name: o.metadata.name, ...(o.metadata.namespace ? { namespace: o.metadata.namespace } : {}), uid: o.metadata.uid, resourceVersion: o.metadata.resourceVersion, creationTimestamp: o.metadata.creationTimestamp },
    spec: { replicas: o.spec?.replicas ?? 0 },
    status: { replicas: o.status?.replicas ?? 0, selector: selectorString(o.spec?.selector) },
  };
}

/** GET / PATCH / PUT of the scale subresource. */
export function handleScale(ctx: ClusterContext, t: Target, name: string, method: string, contentType: string, body: any, query: URLSearchParams): KubeObject {
  const current = getObject(ctx, t, name);
  const scale = scaleOf(t, current);
  if (method === 'GET') return scale;
  let next: any;
  if (method === 'PATCH') next = applyPatch(contentType, scale, body);
  else {
    if (!body?.spec) throw badRequest('the body of the request was not a Scale');
    next = body;
  }
  const rv = next?.metadata?.resourceVersion;
  if (rv && rv !== current.metadata.resourceVersion) throw conflict(t.info, name);
  const replicas = next?.spec?.replicas;
  if (!Number.isInteger(replicas) || replicas < 0) {
    throw new StatusError(422, 'Invalid', `Scale.autoscaling "${name}" is invalid: spec.replicas: Invalid value: ${JSON.stringify(replicas)}: must be greater than or equal to 0`, {
      name,
      group: 'autoscaling',
      kind: 'Scale',
      causes: [{ reason: 'FieldValueInvalid', message: `Invalid value: ${JSON.stringify(replicas)}: must be greater than or equal to 0`, field: 'spec.replicas' }],
    });
  }
  const updated = { ...current, spec: { ...current.spec, replicas } };
  delete (updated.metadata as any).resourceVersion;
  const stored = commit(ctx, t, current, updated, isDryRun(query));
  return scaleOf(t, stored);
}
