/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-explicit-any -- the simulated API handles Kubernetes wire JSON, whose shapes vary by kind */
import { parseQuantity } from '../quantity.js';
import type { KubeObject } from '../types.js';
import type { ClusterContext } from './context.js';
import { applyLimitRangeDefaults, limitRangeViolation } from './limit-ranges.js';

/** The resources a ResourceQuota can track here, as the quota evaluators name them. */
const tracked = ['pods', 'requests.cpu', 'requests.memory', 'limits.cpu', 'limits.memory', 'cpu', 'memory', 'services', 'persistentvolumeclaims', 'requests.storage'] as const;
/** Of those, what every container of a pod must state once a quota tracks it. */
const compute = new Set(['requests.cpu', 'requests.memory', 'limits.cpu', 'limits.memory', 'cpu', 'memory']);

function containerSum(spec: any, kind: 'requests' | 'limits', resource: 'cpu' | 'memory'): number {
  const containers: any[] = spec?.containers ?? [];
  return containers.reduce((n: number, c) => n + (parseQuantity(c.resources?.[kind]?.[resource]) ?? 0), 0);
}

/** What one pod counts against a quota. `cpu` and `memory` are the old names of the requests. */
function usageOf(spec: any): Record<string, number> {
  const requestsCpu = containerSum(spec, 'requests', 'cpu');
  const requestsMemory = containerSum(spec, 'requests', 'memory');
  return {
    pods: 1,
    'requests.cpu': requestsCpu,
    'requests.memory': requestsMemory,
    cpu: requestsCpu,
    memory: requestsMemory,
    'limits.cpu': containerSum(spec, 'limits', 'cpu'),
    'limits.memory': containerSum(spec, 'limits', 'memory'),
  };
}

/** A quantity as the API server prints it: cpu in millicores when fractional, memory with the largest exact binary suffix. */
function formatQuantity(resource: string, value: number): string {
  if (resource === 'pods' || resource === 'services' || resource === 'persistentvolumeclaims') return String(Math.round(value));
  if (resource.endsWith('cpu')) return Number.isInteger(value) ? String(value) : `${Math.round(value * 1000)}m`;
  for (const [suffix, factor] of [['Gi', 2 ** 30], ['Mi', 2 ** 20], ['Ki', 2 ** 10]] as const) {
    if (value > 0 && value % factor === 0) return `${value / factor}${suffix}`;
  }
  return String(Math.round(value));
}

/** "a=1,b=2" with keys sorted, as the quota admission plugin prints a resource list. */
function prettyPrint(list: Record<string, number>): string {
  return Object.keys(list)
    .sort()
    .map((k) => `${k}=${formatQuantity(k, list[k] ?? 0)}`)
    .join(',');
}

function hardOf(quota: KubeObject): Record<string, number> {
  const hard: Record<string, number> = {};
  for (const [k, v] of Object.entries(quota.spec?.hard ?? {})) {
    const n = parseQuantity(v);
    if ((tracked as readonly string[]).includes(k) && n !== undefined) hard[k] = n;
  }
  return hard;
}

/** What a quota counts in its namespace: pods not terminated, Services, claims and the storage they request. */
function usedIn(ctx: ClusterContext, namespace: string): Record<string, number> {
  const used: Record<string, number> = Object.fromEntries(tracked.map((k) => [k, 0]));
  for (const pod of ctx.store.scan('pods', namespace)) {
    if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') continue;
    for (const [k, v] of Object.entries(usageOf(pod.spec))) used[k] = (used[k] ?? 0) + v;
  }
  used.services = ctx.store.scan('services', namespace).length;
  const claims = ctx.store.scan('persistentvolumeclaims', namespace);
  used.persistentvolumeclaims = claims.length;
  used['requests.storage'] = claims.reduce((n, c) => n + (parseQuantity(c.spec?.resources?.requests?.storage) ?? 0), 0);
  return used;
}

const sortedQuotas = (ctx: ClusterContext, namespace: string) => [...ctx.store.scan('resourcequotas', namespace)].sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));

/** The first quota the request would exceed, in the quota plugin's words. */
function exceededQuota(quotas: readonly KubeObject[], requested: Record<string, number>, used: Record<string, number>): string | undefined {
  for (const quota of quotas) {
    const hard = hardOf(quota);
    const exceeded = Object.keys(hard).filter((k) => (requested[k] ?? 0) > 0 && (used[k] ?? 0) + (requested[k] ?? 0) > (hard[k] ?? 0));
    if (!exceeded.length) continue;
    const pick = (list: Record<string, number>) => Object.fromEntries(exceeded.map((k) => [k, list[k] ?? 0]));
    return `exceeded quota: ${quota.metadata.name}, requested: ${prettyPrint(pick(requested))}, used: ${prettyPrint(pick(used))}, limited: ${prettyPrint(pick(hard))}`;
  }
  return undefined;
}

/** ResourceQuota admission of a new Service or PersistentVolumeClaim: why it is refused, or undefined. */
export function objectQuotaRefusal(ctx: ClusterContext, namespace: string, resource: string, object: KubeObject): string | undefined {
  const requested: Record<string, number> =
    resource === 'services' ? { services: 1 } : resource === 'persistentvolumeclaims' ? { persistentvolumeclaims: 1, 'requests.storage': parseQuantity(object.spec?.resources?.requests?.storage) ?? 0 } : {};
  const quotas = sortedQuotas(ctx, namespace);
  return quotas.length && Object.keys(requested).length ? exceededQuota(quotas, requested, usedIn(ctx, namespace)) : undefined;
}

/**
 * The pod admission chain, in the API server's order: defaulting and LimitRanger's defaults
 * (mutating), the ServiceAccount plugin, LimitRanger's validation, then ResourceQuota against
 * the mutated pod. Returns the pod spec as admitted, the LimitRanger annotation if it set
 * anything, and the reason the API server would refuse the pod, if it would. The `default`
 * account stands for the one the ServiceAccount controller makes in every namespace.
 */
export function admitPod(ctx: ClusterContext, namespace: string, spec: any): { spec: any; annotation?: string; refusal?: string } {
  const defaulted = applyLimitRangeDefaults(ctx, namespace, spec);
  const refusal = refusalOfDefaulted(ctx, namespace, defaulted.spec);
  return { ...defaulted, ...(refusal ? { refusal } : {}) };
}

/** Why admission refuses a pod of this spec, or undefined. */
export function refusalOf(ctx: ClusterContext, namespace: string, spec: any): string | undefined {
  return admitPod(ctx, namespace, spec).refusal;
}

function refusalOfDefaulted(ctx: ClusterContext, namespace: string, spec: any): string | undefined {
  const account: string = spec?.serviceAccountName ?? 'default';
  if (account !== 'default' && !ctx.store.get('serviceaccounts', namespace, account)) {
    return `error looking up service account ${namespace}/${account}: serviceaccount "${account}" not found`;
  }
  const violation = limitRangeViolation(ctx, namespace, spec);
  if (violation) return violation;
  const quotas = sortedQuotas(ctx, namespace);
  if (!quotas.length) return undefined;
  const containers: any[] = spec?.containers ?? [];
  for (const quota of quotas) {
    // A tracked compute resource every container must state.
    const missing = Object.keys(hardOf(quota))
      .filter((k) => compute.has(k))
      .filter((k) => {
        const [kind, resource] = k.includes('.') ? (k.split('.') as ['requests' | 'limits', 'cpu' | 'memory']) : (['requests', k] as ['requests', 'cpu' | 'memory']);
        return containers.some((c) => c.resources?.[kind]?.[resource] === undefined);
      })
      .sort();
    if (missing.length) return `failed quota: ${quota.metadata.name}: must specify ${missing.join(',')}`;
  }
  return exceededQuota(quotas, usageOf(spec), usedIn(ctx, namespace));
}

/** What the quota controller writes: status.hard mirrors spec.hard, status.used counts what the quota tracks. */
export function quotaStatus(ctx: ClusterContext, quota: KubeObject): { hard: Record<string, unknown>; used: Record<string, string> } {
  const hard = hardOf(quota);
  const used = usedIn(ctx, quota.metadata.namespace ?? 'default');
  const declared: Record<string, unknown> = quota.spec?.hard ?? {};
  return { hard: { ...declared }, used: Object.fromEntries(Object.keys(declared).map((k) => [k, k in hard ? formatQuantity(k, used[k] ?? 0) : '0'])) };
}

/** The quota controller: keeps every ResourceQuota's status current. */
export function syncQuotas(ctx: ClusterContext): boolean {
  let changed = false;
  for (const stored of ctx.store.scan('resourcequotas')) {
    const status = quotaStatus(ctx, stored);
    if (JSON.stringify(status) === JSON.stringify(stored.status)) continue;
    ctx.store.update('resourcequotas', { ...stored, status });
    changed = true;
  }
  return changed;
}
