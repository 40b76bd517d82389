/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-return, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-explicit-any -- pods and nodes are wire JSON */
import type { ClusterContext } from '../controller/context.js';
import { formatTime } from '../sim-clock.js';
import { usageOf } from '../controller/program.js';
import type { KubeObject } from '../types.js';
import type { Target } from './objects.js';
import { parseFieldSelector, parseLabelSelector } from './selectors.js';
import { StatusError } from './status.js';

/** What a node's system daemons use beyond its pods. */
const nodeOverhead = { cpu: 0.1, memory: 512 * 2 ** 20 };
/** The window metrics-server reports its figures over (the HPA ignores a sample taken within one window of a pod's readiness change). */
export const metricsWindowMs = 20_032;
const window = `${metricsWindowMs / 1000}s`;

interface Usage {
  cpu: number;
  memory: number;
}

/** The program's working set and CPU (`sandbox.deckhand.dev/memory`, `cpu`), or half its requests. */
const containerUsage = (pod: KubeObject, _container: unknown, index: number): Usage => usageOf(pod, index);

/** A pod's working set as the metrics API reports it: what node-pressure eviction weighs too. */
export function podMemoryUsage(pod: KubeObject): number {
  return (pod.spec?.containers ?? []).reduce((n: number, c: any, i: number) => n + containerUsage(pod, c, i).memory, 0);
}

/** metrics-server's units: nanocores and kibibytes. */
const formatUsage = (u: Usage) => ({ cpu: `${Math.round(u.cpu * 1e9)}n`, memory: `${Math.round(u.memory / 1024)}Ki` });

/** The pods metrics-server has figures for: running, bound, not terminating. */
export const isRunning = (pod: KubeObject): boolean =>
  pod.status?.phase === 'Running' && Boolean(pod.spec?.nodeName) && !pod.metadata.deletionTimestamp && (pod.status?.containerStatuses ?? []).some((c: any) => c.state?.running);

const isReady = (node: KubeObject): boolean => (node.status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True');

const metaOf = (o: KubeObject, now: number) => ({
  name: o.metadata.name,
  ...(o.metadata.namespace ? { namespace: o.metadata.namespace } : {}),
  creationTimestamp: formatTime(now),
  ...(o.metadata.labels ? { labels: o.metadata.labels } : {}),
});

function podMetrics(pod: KubeObject, now: number) {
  return {
    kind: 'PodMetrics',
    apiVersion: 'metrics.k8s.io/v1beta1',
    metadata: metaOf(pod, now),
    timestamp: formatTime(now),
    window,
    containers: (pod.spec?.containers ?? []).map((c: any, i: number) => ({ name: c.name, usage: formatUsage(containerUsage(pod, c, i)) })),
  };
}

function nodeMetrics(ctx: ClusterContext, node: KubeObject, now: number) {
  const total = { ...nodeOverhead };
  for (const pod of ctx.store.scan('pods')) {
    if (pod.spec?.nodeName !== node.metadata.name || !isRunning(pod)) continue;
    (pod.spec?.containers ?? []).forEach((c: any, i: number) => {
      const u = containerUsage(pod, c, i);
      total.cpu += u.cpu;
      total.memory += u.memory;
    });
  }
  return { kind: 'NodeMetrics', apiVersion: 'metrics.k8s.io/v1beta1', metadata: metaOf(node, now), timestamp: formatTime(now), window, usage: formatUsage(total) };
}

/**
 * GET of metrics.k8s.io/v1beta1 pods and nodes, as metrics-server answers: running pods and
 * Ready nodes only; others are "not found" (its wording).
 */
export function readMetrics(ctx: ClusterContext, t: Target, query: URLSearchParams): unknown {
  const now = ctx.clock.now();
  const pods = t.info.plural === 'pods';
  const labels = parseLabelSelector(query.get('labelSelector'));
  const fields = parseFieldSelector(query.get('fieldSelector'));
  const sources = pods ? ctx.store.list('pods', t.namespace).filter(isRunning) : ctx.store.list('nodes').filter(isReady);
  if (t.name) {
    const o = sources.find((x) => x.metadata.name === t.name);
    if (!o) throw new StatusError(404, 'NotFound', `${pods ? 'podmetrics' : 'nodemetrics'}.metrics.k8s.io "${t.name}" not found`, { name: t.name, group: 'metrics.k8s.io', kind: t.info.plural });
    return pods ? podMetrics(o, now) : nodeMetrics(ctx, o, now);
  }
  const items = sources.filter((o) => labels(o) && fields(o)).map((o) => (pods ? podMetrics(o, now) : nodeMetrics(ctx, o, now)));
  return { kind: pods ? 'PodMetricsList' : 'NodeMetricsList', apiVersion: 'metrics.k8s.io/v1beta1', metadata: {}, items };
}
