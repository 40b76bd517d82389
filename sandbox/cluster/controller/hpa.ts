/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-explicit-any -- HPAs, scale targets and pods are wire JSON */
import { isRunning, metricsWindowMs } from '../api/metrics.js';
import { selectorFromSpec, selectorString } from '../api/selectors.js';
import { parseQuantity } from '../quantity.js';
import type { KubeObject } from '../types.js';
import type { ClusterContext } from './context.js';
import { usageOf } from './program.js';

/**
 * The horizontal pod autoscaler (kube-controller-manager's podautoscaler, `horizontal.go` and
 * `replica_calculator.go`) for Resource metrics (cpu, memory; Utilization and AverageValue
 * targets) on Deployments, ReplicaSets and StatefulSets through their scale. It reads the same
 * figures the metrics API serves (the programs' `sandbox.deckhand.dev/cpu` / `memory`), and
 * writes the status, conditions and events the real controller writes, with its wording.
 */

/** --horizontal-pod-autoscaler-sync-period: each HPA is reconciled this often (sim time). */
const syncPeriodMs = 15_000;
/** --horizontal-pod-autoscaler-tolerance. */
const tolerance = 0.1;
/** --horizontal-pod-autoscaler-cpu-initialization-period. */
const cpuInitializationMs = 5 * 60_000;
/** --horizontal-pod-autoscaler-initial-readiness-delay. */
const initialReadinessDelayMs = 30_000;
/** --horizontal-pod-autoscaler-downscale-stabilization. */
const downscaleStabilizationMs = 5 * 60_000;
/** scaleUpLimitFactor / scaleUpLimitMinimum: without `behavior`, at most double (or 4) per step. */
const scaleUpLimit = (current: number): number => Math.max(2 * current, 4);
const component = 'horizontal-pod-autoscaler';

/** The scale subresource's REST mappings the sandbox serves: apps/v1 only. */
const scalable: Record<string, Record<string, string>> = { apps: { Deployment: 'deployments', ReplicaSet: 'replicasets', StatefulSet: 'statefulsets' } };

interface HpaState {
  nextSync: number;
  /** Latest unstabilized recommendations (the controller's `recommendations[key]`). */
  recommendations: { replicas: number; at: number }[];
}

const states = new WeakMap<ClusterContext, Map<string, HpaState>>();

class ComputeError extends Error {}

interface PodMetric {
  value: number;
  at: number;
}

interface Condition {
  type: string;
  status: string;
  lastTransitionTime?: string | undefined;
  reason: string;
  message: string;
}

/** One reconcile's working copy: the HPA's status being rebuilt, as `hpa.Status` in the controller. */
interface Work {
  ctx: ClusterContext;
  hpa: KubeObject;
  status: any;
  now: number;
}

function setCondition(w: Work, type: string, status: 'True' | 'False', reason: string, message: string): void {
  const conditions: Condition[] = [...(w.status.conditions ?? [])];
  const i = conditions.findIndex((c) => c.type === type);
  const existing = i >= 0 ? conditions[i] : undefined;
  const next: Condition = { type, status, lastTransitionTime: existing && existing.status === status ? existing.lastTransitionTime : w.ctx.clock.iso(w.now), reason, message };
  if (next.lastTransitionTime === undefined) delete next.lastTransitionTime;
  if (existing) conditions[i] = next;
  else conditions.push(next);
  w.status.conditions = conditions;
}

function event(w: Work, type: 'Normal' | 'Warning', reason: string, message: string): void {
  w.ctx.events.record({ involved: w.hpa, reason, message, type, component });
}

/** resource.NewMilliQuantity(v, DecimalSI).String(): `238m`, `3`, `128M`. */
export function formatMilli(milli: number): string {
  if (milli % 1000 !== 0) return `${milli}m`;
  let value = milli / 1000;
  const suffixes = ['', 'k', 'M', 'G', 'T', 'P', 'E'];
  let i = 0;
  while (value !== 0 && value % 1000 === 0 && i < suffixes.length - 1) {
    value /= 1000;
    i += 1;
  }
  return `${value}${suffixes[i]}`;
}

/** Quantity.MilliValue(): rounded up. */
const milliOf = (q: unknown): number | undefined => {
  const v = parseQuantity(q);
  return v === undefined ? undefined : Math.ceil(Math.round(v * 1e9) / 1e6);
};

/**
 * What the resource metrics API returns for these pods (running ones), summed over containers
 * as the HPA's metrics client sums them, in milli-units of metrics-server's quantities.
 */
function podMetrics(pods: KubeObject[], resource: string, now: number): Map<string, PodMetric> {
  const out = new Map<string, PodMetric>();
  if (resource !== 'cpu' && resource !== 'memory') return out;
  for (const pod of pods) {
    if (!isRunning(pod)) continue;
    const containers: any[] = pod.spec?.containers ?? [];
    if (!containers.length) continue;
    let sum = 0;
    containers.forEach((_c, i) => {
      const u = usageOf(pod, i);
      // metrics-server's units: nanocores and kibibytes.
      sum += resource === 'cpu' ? Math.ceil(Math.round(u.cpu * 1e9) / 1e6) : Math.round(u.memory / 1024) * 1024 * 1000;
    });
    out.set(pod.metadata.name, { value: sum, at: now });
  }
  return out;
}

/** groupPods: ready pods counted; pending and (for cpu) not-yet-ready pods unready; pods without metrics missing; deleted and failed ignored. */
function groupPods(pods: KubeObject[], metrics: Map<string, PodMetric>, resource: string, now: number) {
  let readyPodCount = 0;
  const unready = new Set<string>();
  const missing = new Set<string>();
  const ignored = new Set<string>();
  for (const pod of pods) {
    const name = pod.metadata.name;
    if (pod.metadata.deletionTimestamp || pod.status?.phase === 'Failed') {
      ignored.add(name);
      continue;
    }
    if (pod.status?.phase === 'Pending') {
      unready.add(name);
      continue;
    }
    const metric = metrics.get(name);
    if (!metric) {
      missing.add(name);
      continue;
    }
    if (resource === 'cpu') {
      const ready = (pod.status?.conditions ?? []).find((c: any) => c.type === 'Ready');
      const start = pod.status?.startTime ? Date.parse(pod.status.startTime) : undefined;
      let isUnready: boolean;
      if (!ready || start === undefined) isUnready = true;
      else {
        const transition = Date.parse(ready.lastTransitionTime ?? '') || 0;
        isUnready =
          start + cpuInitializationMs > now
            ? ready.status === 'False' || metric.at < transition + metricsWindowMs
            : ready.status === 'False' && start + initialReadinessDelayMs > transition;
      }
      if (isUnready) {
        unready.add(name);
        continue;
      }
    }
    readyPodCount += 1;
  }
  return { readyPodCount, unready, missing, ignored };
}

/** calculatePodRequestsFromContainers: the containers' (and restartable init containers') requests. */
function calculateRequests(pods: KubeObject[], resource: string): Map<string, number> {
  const requests = new Map<string, number>();
  for (const pod of pods) {
    const containers: any[] = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? []).filter((c: any) => c.restartPolicy === 'Always')];
    let sum = 0;
    for (const c of containers) {
      const request = milliOf(c.resources?.requests?.[resource]);
      if (request === undefined) throw new ComputeError(`missing request for ${resource} in container ${String(c.name)} of Pod ${pod.metadata.name}`);
      sum += request;
    }
    requests.set(pod.metadata.name, sum);
  }
  return requests;
}

/** GetResourceUtilizationRatio. */
function utilizationRatio(metrics: Map<string, PodMetric>, requests: Map<string, number>, target: number) {
  let metricsTotal = 0;
  let requestsTotal = 0;
  let entries = 0;
  for (const [pod, m] of metrics) {
    const request = requests.get(pod);
    if (request === undefined) continue;
    metricsTotal += m.value;
    requestsTotal += request;
    entries += 1;
  }
  if (requestsTotal === 0) throw new ComputeError('no metrics returned matched known pods');
  const utilization = Math.trunc((metricsTotal * 100) / requestsTotal);
  return { ratio: utilization / target, utilization, raw: Math.trunc(metricsTotal / entries) };
}

/** GetMetricUsageRatio (AverageValue targets). */
function usageRatio(metrics: Map<string, PodMetric>, target: number) {
  let total = 0;
  for (const m of metrics.values()) total += m.value;
  const usage = Math.trunc(total / metrics.size);
  return { ratio: usage / target, usage };
}

const within = (ratio: number): boolean => Math.abs(1 - ratio) <= tolerance;

interface Proposal {
  replicas: number;
  utilization?: number;
  raw: number;
}

/**
 * GetResourceReplicas (a Utilization target) and GetRawResourceReplicas (AverageValue): the
 * replica count the ready pods' use asks for, with missing and unready pods counted as the
 * controller counts them so a scale never reverses its direction on their account.
 */
function resourceReplicas(current: number, resource: string, target: { utilization?: number; averageMilli?: number }, pods: KubeObject[], now: number): Proposal {
  const metrics = podMetrics(pods, resource, now);
  if (!metrics.size) throw new ComputeError(`unable to get metrics for resource ${resource}: no metrics returned from resource metrics API`);
  if (!pods.length) throw new ComputeError('no pods returned by selector while calculating replica count');
  const { readyPodCount, unready, missing, ignored } = groupPods(pods, metrics, resource, now);
  for (const name of [...ignored, ...unready]) metrics.delete(name);
  if (!metrics.size) throw new ComputeError('did not receive metrics for targeted pods (pods might be unready)');

  const plain = target.averageMilli !== undefined;
  const requests = plain ? new Map<string, number>() : calculateRequests(pods, resource);
  const measure = () => {
    if (!plain) return utilizationRatio(metrics, requests, target.utilization ?? 100);
    const u = usageRatio(metrics, target.averageMilli ?? 1);
    return { ratio: u.ratio, utilization: undefined, raw: u.usage };
  };
  const first = measure();
  const result = (replicas: number): Proposal => ({ replicas, raw: first.raw, ...(first.utilization !== undefined ? { utilization: first.utilization } : {}) });
  const scaleUpWithUnready = unready.size > 0 && first.ratio > 1;
  if (!scaleUpWithUnready && missing.size === 0) {
    if (within(first.ratio)) return result(current);
    return result(Math.ceil(first.ratio * readyPodCount));
  }
  if (missing.size > 0) {
    for (const name of missing) {
      if (first.ratio < 1) {
        // On a scale-down a missing pod counts as using its whole request (or the target, if higher), or the target value.
        const fallback = plain ? (target.averageMilli ?? 0) : Math.trunc(((requests.get(name) ?? 0) * Math.max(100, target.utilization ?? 100)) / 100);
        metrics.set(name, { value: fallback, at: now });
      } else if (first.ratio > 1) metrics.set(name, { value: 0, at: now });
    }
  }
  if (scaleUpWithUnready) for (const name of unready) metrics.set(name, { value: 0, at: now });
  const next = measure().ratio;
  if (within(next) || (first.ratio < 1 && next > 1) || (first.ratio > 1 && next < 1)) return result(current);
  const replicas = Math.ceil(next * metrics.size);
  if ((next < 1 && replicas > current) || (next > 1 && replicas < current)) return result(current);
  return result(replicas);
}

interface MetricsResult {
  /** -1: nothing to scale on. */
  replicas: number;
  metric: string;
  statuses: any[];
  error?: string;
}

/** computeReplicasForMetrics over the HPA's Resource metrics. */
function computeReplicasForMetrics(w: Work, target: KubeObject, metricSpecs: any[]): MetricsResult {
  const selector = selectorString(target.spec?.selector);
  if (!selector) {
    event(w, 'Warning', 'SelectorRequired', 'selector is required');
    setCondition(w, 'ScalingActive', 'False', 'InvalidSelector', "the HPA target's scale is missing a selector");
    return { replicas: -1, metric: '', statuses: [], error: 'selector is required' };
  }
  const matches = selectorFromSpec(target.spec?.selector);
  const pods = w.ctx.store.scan('pods', w.hpa.metadata.namespace).filter(matches);
  const specReplicas: number = target.spec?.replicas ?? 1;
  const statuses: any[] = metricSpecs.map(() => ({ type: '' }));
  let replicas = 0;
  let metric = '';
  let invalid = 0;
  let firstError: string | undefined;
  let firstCondition: Condition | undefined;
  metricSpecs.forEach((spec, i) => {
    const name = String(spec.resource?.name ?? '');
    const t = spec.resource?.target ?? {};
    let proposal: Proposal | undefined;
    let metricName: string;
    let error: string | undefined;
    try {
      if (t.averageValue !== undefined) {
        try {
          proposal = resourceReplicas(specReplicas, name, { averageMilli: milliOf(t.averageValue) ?? 0 }, pods, w.now);
        } catch (err) {
          if (err instanceof ComputeError) throw new ComputeError(`failed to get ${name} usage: ${err.message}`);
          throw err;
        }
        metricName = `${name} resource`;
        statuses[i] = { type: 'Resource', resource: { name, current: { averageValue: formatMilli(proposal.raw) } } };
      } else if (t.averageUtilization === undefined) {
        throw new ComputeError('invalid resource metric source: neither an average utilization target nor an average value (usage) target was set');
      } else {
        try {
          proposal = resourceReplicas(specReplicas, name, { utilization: Number(t.averageUtilization) }, pods, w.now);
        } catch (err) {
          if (err instanceof ComputeError) throw new ComputeError(`failed to get ${name} utilization: ${err.message}`);
          throw err;
        }
        metricName = `${name} resource utilization (percentage of request)`;
        statuses[i] = { type: 'Resource', resource: { name, current: { averageUtilization: proposal.utilization, averageValue: formatMilli(proposal.raw) } } };
      }
    } catch (err) {
      if (!(err instanceof ComputeError)) throw err;
      // getUnableComputeReplicaCountCondition: the event carries the error, the condition says so.
      event(w, 'Warning', 'FailedGetResourceMetric', err.message);
      error = `failed to get ${name} resource metric value: ${err.message}`;
      if (invalid === 0) {
        firstError = error;
        firstCondition = { type: 'ScalingActive', status: 'False', reason: 'FailedGetResourceMetric', message: `the HPA was unable to compute the replica count: ${err.message}` };
      }
      invalid += 1;
      return;
    }
    if (replicas === 0 || proposal.replicas > replicas) {
      replicas = proposal.replicas;
      metric = metricName;
    }
  });
  const aggregate = firstError !== undefined ? `invalid metrics (${invalid} invalid out of ${metricSpecs.length}), first error is: ${firstError}` : undefined;
  if (firstCondition && (invalid >= metricSpecs.length || replicas < specReplicas)) {
    setCondition(w, firstCondition.type, 'False', firstCondition.reason, firstCondition.message);
    return { replicas: -1, metric: '', statuses, ...(aggregate ? { error: aggregate } : {}) };
  }
  setCondition(w, 'ScalingActive', 'True', 'ValidMetricFound', `the HPA was able to successfully calculate a replica count from ${metric}`);
  return { replicas, metric, statuses };
}

/** normalizeDesiredReplicas (no `behavior`): the 5-minute scale-down stabilization, then min, max and the scale-up limit. */
function normalize(w: Work, state: HpaState, current: number, prenormalized: number, min: number, max: number): number {
  const cutoff = w.now - downscaleStabilizationMs;
  let stabilized = prenormalized;
  let oldIndex = -1;
  state.recommendations.forEach((rec, i) => {
    if (rec.at < cutoff) oldIndex = i;
    else if (rec.replicas > stabilized) stabilized = rec.replicas;
  });
  const sample = { replicas: prenormalized, at: w.now };
  if (oldIndex >= 0) state.recommendations[oldIndex] = sample;
  else state.recommendations.push(sample);
  if (stabilized !== prenormalized) setCondition(w, 'AbleToScale', 'True', 'ScaleDownStabilized', 'recent recommendations were higher than current one, applying the highest recent recommendation');
  else setCondition(w, 'AbleToScale', 'True', 'ReadyForNewScale', 'recommended size matches current size');

  // convertDesiredReplicasWithRules
  const limit = scaleUpLimit(current);
  let maximum: number;
  let reason: string;
  let message: string;
  if (max > limit) {
    maximum = limit;
    [reason, message] = ['ScaleUpLimit', 'the desired replica count is increasing faster than the maximum scale rate'];
  } else {
    maximum = max;
    [reason, message] = ['TooManyReplicas', 'the desired replica count is more than the maximum replica count'];
  }
  let desired = stabilized;
  if (stabilized < min) {
    desired = min;
    [reason, message] = ['TooFewReplicas', 'the desired replica count is less than the minimum replica count'];
  } else if (stabilized > maximum) desired = maximum;
  else [reason, message] = ['DesiredWithinRange', 'the desired count is within the acceptable range'];
  setCondition(w, 'ScalingLimited', desired === stabilized ? 'False' : 'True', reason, message);
  return desired;
}

/** Writes the HPA's status when it changed (updateStatusIfNeeded); true when it did. */
function writeStatus(w: Work, original: string): boolean {
  const status: any = {};
  if (w.status.lastScaleTime) status.lastScaleTime = w.status.lastScaleTime;
  if (w.status.currentReplicas) status.currentReplicas = w.status.currentReplicas;
  status.desiredReplicas = w.status.desiredReplicas ?? 0;
  if (w.status.currentMetrics?.length) status.currentMetrics = w.status.currentMetrics;
  if (w.status.conditions?.length) status.conditions = w.status.conditions;
  if (JSON.stringify(status) === original) return false;
  w.ctx.store.update('horizontalpodautoscalers', { ...w.hpa, status });
  return true;
}

function setStatus(w: Work, current: number, desired: number, metrics: any[] | undefined, rescale: boolean): void {
  w.status = {
    ...(rescale ? { lastScaleTime: w.ctx.clock.iso(w.now) } : w.status.lastScaleTime ? { lastScaleTime: w.status.lastScaleTime } : {}),
    currentReplicas: current,
    desiredReplicas: desired,
    ...(metrics ? { currentMetrics: metrics } : {}),
    conditions: w.status.conditions,
  };
}

/** reconcileAutoscaler. */
function reconcile(ctx: ClusterContext, hpa: KubeObject, state: HpaState, now: number): boolean {
  // The sandbox serves no custom or external metrics API: an HPA scaling on none of its Resource metrics is left alone.
  const specs = (hpa.spec?.metrics ?? []).filter((m: any) => m?.type === 'Resource');
  if (!specs.length) return false;
  const w: Work = { ctx, hpa, status: structuredClone(hpa.status ?? {}), now };
  const original = JSON.stringify(hpa.status ?? {});
  const ns = hpa.metadata.namespace;
  const ref = hpa.spec?.scaleTargetRef ?? {};
  const group = String(ref.apiVersion ?? '').includes('/') ? String(ref.apiVersion).split('/')[0]! : '';
  const resource = scalable[group]?.[String(ref.kind)];
  const failGetScale = (message: string): boolean => {
    event(w, 'Warning', 'FailedGetScale', message);
    setCondition(w, 'AbleToScale', 'False', 'FailedGetScale', `the HPA controller was unable to get the target's current scale: ${message}`);
    return writeStatus(w, original);
  };
  if (!resource) return failGetScale(`no matches for kind "${String(ref.kind)}" in group "${group}"`);
  const target = ctx.store.get(resource, ns, String(ref.name));
  if (!target) return failGetScale(`${resource}.${group} "${String(ref.name)}" not found`);
  setCondition(w, 'AbleToScale', 'True', 'SucceededGetScale', "the HPA controller was able to get the target's current scale");

  const current: number = target.spec?.replicas ?? 1;
  const min: number = hpa.spec?.minReplicas ?? 1;
  const max: number = hpa.spec?.maxReplicas ?? 0;
  state.recommendations = state.recommendations.length ? state.recommendations : [{ replicas: current, at: now }];
  let desired = 0;
  let rescale = true;
  let reason = '';
  let metricStatuses: any[] | undefined;
  if (current === 0 && min !== 0) {
    rescale = false;
    setCondition(w, 'ScalingActive', 'False', 'ScalingDisabled', 'scaling is disabled since the replica count of the target is zero');
  } else if (current > max) {
    reason = 'Current number of replicas above Spec.MaxReplicas';
    desired = max;
  } else if (current < min) {
    reason = 'Current number of replicas below Spec.MinReplicas';
    desired = min;
  } else {
    const result = computeReplicasForMetrics(w, target, specs);
    metricStatuses = result.statuses;
    if (result.replicas === -1) {
      setStatus(w, current, w.status.desiredReplicas ?? 0, metricStatuses, false);
      const changed = writeStatus(w, original);
      if (result.error) event(w, 'Warning', 'FailedComputeMetricsReplicas', result.error);
      return changed;
    }
    desired = result.replicas;
    if (desired > current) reason = `${result.metric} above target`;
    if (desired < current) reason = 'All metrics below target';
    desired = normalize(w, state, current, desired, min, max);
    rescale = desired !== current;
  }
  if (rescale) {
    ctx.store.update(resource, { ...target, spec: { ...target.spec, replicas: desired } });
    setCondition(w, 'AbleToScale', 'True', 'SucceededRescale', `the HPA controller was able to update the target scale to ${desired}`);
    event(w, 'Normal', 'SuccessfulRescale', `New size: ${desired}; reason: ${reason}`);
  } else desired = current;
  setStatus(w, current, desired, metricStatuses, rescale);
  return writeStatus(w, original) || rescale;
}

/**
 * Reconciles each HPA every sync period (15s of sim time, the first one a period after it is
 * first seen, as the controller's rate-limited queue does). Cheap between periods: one scan of
 * the HPA table.
 */
export function syncHorizontalPodAutoscalers(ctx: ClusterContext): boolean {
  const hpas = ctx.store.scan('horizontalpodautoscalers');
  let known = states.get(ctx);
  if (!hpas.length) {
    if (known?.size) known.clear();
    return false;
  }
  if (!known) states.set(ctx, (known = new Map()));
  const now = ctx.clock.now();
  let changed = false;
  for (const hpa of hpas) {
    const uid = hpa.metadata.uid;
    let state = known.get(uid);
    if (!state) known.set(uid, (state = { nextSync: now + syncPeriodMs, recommendations: [] }));
    if (now < state.nextSync) continue;
    state.nextSync = now + syncPeriodMs;
    changed = reconcile(ctx, hpa, state, now) || changed;
  }
  if (known.size > hpas.length) {
    const live = new Set(hpas.map((h) => h.metadata.uid));
    for (const uid of known.keys()) if (!live.has(uid)) known.delete(uid);
  }
  return changed;
}
