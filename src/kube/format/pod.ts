import type { CoreV1Event, V1ContainerStatus, V1Pod } from '@kubernetes/client-node';
import { boundHead, clip, defaultMaxChars, type BoundOptions } from './bound.js';
import { describeContainer, formatContainerState, formatLastTermination } from './container.js';
import { formatEventLine } from './events.js';
import { formatAge, sortEventsNewestFirst } from './time.js';

export interface FormatPodOptions extends BoundOptions {
  now?: Date;
}

/** What kubectl's STATUS column would say: CrashLoopBackOff, OOMKilled, Pending, Terminating… */
export function podDisplayStatus(pod: V1Pod): string {
  if (pod.metadata?.deletionTimestamp) return 'Terminating';
  if (pod.status?.reason) return pod.status.reason;
  for (const s of [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])]) {
    const waiting = s.state?.waiting?.reason;
    if (waiting && waiting !== 'ContainerCreating' && waiting !== 'PodInitializing') return waiting;
    const terminated = s.state?.terminated?.reason;
    if (terminated && terminated !== 'Completed') return terminated;
  }
  return pod.status?.phase ?? 'Unknown';
}

function readyCount(pod: V1Pod): string {
  const statuses = pod.status?.containerStatuses ?? [];
  const total = pod.spec?.containers.length ?? statuses.length;
  return `${statuses.filter((s) => s.ready).length}/${total}`;
}

function restarts(pod: V1Pod): number {
  return (pod.status?.containerStatuses ?? []).reduce((sum, s) => sum + s.restartCount, 0);
}

function unscheduledReason(pod: V1Pod): string | undefined {
  const scheduled = pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
  if (scheduled?.status !== 'False') return undefined;
  return `not scheduled: ${scheduled.reason ?? 'Unschedulable'}: ${clip(scheduled.message ?? '', 400)}`;
}

function containerLine(pod: V1Pod, status: V1ContainerStatus, kind: string): string {
  const parts = [formatContainerState(status.state), status.ready ? 'ready' : 'not ready', `restarts ${status.restartCount}`];
  const last = formatLastTermination(status);
  if (last) parts.push(last);
  const oomKilled = status.lastState?.terminated?.reason === 'OOMKilled' || status.state?.terminated?.reason === 'OOMKilled';
  if (oomKilled) {
    const spec = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])].find((c) => c.name === status.name);
    parts.push(`memory limit ${spec?.resources?.limits?.memory ?? 'none'}`);
  }
  return `  ${kind} ${status.name}: ${parts.join('; ')}`;
}

/**
 * A compact status of one pod: phase, ready x/y, restarts, each container's state with
 * reason and last termination (exit code, OOMKilled with the memory limit), why it is not
 * scheduled. Bounded by `maxChars`.
 */
export function formatPodSummary(pod: V1Pod, options: FormatPodOptions = {}): string {
  const now = options.now ?? new Date();
  const name = `${pod.metadata?.namespace ?? '?'}/${pod.metadata?.name ?? '?'}`;
  const phase = pod.status?.phase ?? 'Unknown';
  const status = podDisplayStatus(pod);
  const head = [
    `pod ${name}: ${status}${status === phase ? '' : ` (phase ${phase})`}`,
    `ready ${readyCount(pod)}`,
    `restarts ${restarts(pod)}`,
    `node ${pod.spec?.nodeName ?? 'none'}`,
    `age ${formatAge(pod.metadata?.creationTimestamp, now)}`,
  ].join(', ');
  const lines = [head];
  if (pod.status?.message) lines.push(`  message: ${clip(pod.status.message, 300)}`);
  const unscheduled = unscheduledReason(pod);
  if (unscheduled) lines.push(`  ${unscheduled}`);
  for (const s of pod.status?.initContainerStatuses ?? []) if (!s.ready) lines.push(containerLine(pod, s, 'init container'));
  for (const s of pod.status?.containerStatuses ?? []) lines.push(containerLine(pod, s, 'container'));
  return boundHead(lines.join('\n'), options.maxChars ?? defaultMaxChars);
}

/**
 * A describe-like view: node, labels, owner, containers (image, state, last state, env
 * names and literal values with references shown unresolved, resources, probes),
 * conditions and the pod's events newest first.
 */
export function formatPodDescribe(pod: V1Pod, events: readonly CoreV1Event[], options: FormatPodOptions & { eventLimit?: number } = {}): string {
  const now = options.now ?? new Date();
  const meta = pod.metadata;
  const labels = Object.entries(meta?.labels ?? {}).map(([k, v]) => `${k}=${v}`);
  const owner = meta?.ownerReferences?.find((r) => r.controller) ?? meta?.ownerReferences?.[0];
  const lines = [
    `Name: ${meta?.name ?? '?'}`,
    `Namespace: ${meta?.namespace ?? '?'}`,
    `Node: ${pod.spec?.nodeName ?? '<none>'}${pod.status?.hostIP ? ` (${pod.status.hostIP})` : ''}`,
    `Status: ${podDisplayStatus(pod)} (phase ${pod.status?.phase ?? 'Unknown'}), ready ${readyCount(pod)}, age ${formatAge(meta?.creationTimestamp, now)}`,
    `Labels: ${labels.length ? clip(labels.join(', '), 400) : '<none>'}`,
  ];
  if (owner) lines.push(`Controlled By: ${owner.kind}/${owner.name}`);
  if (meta?.deletionTimestamp) lines.push(`Terminating since ${formatAge(meta.deletionTimestamp, now)} ago`);
  if (pod.status?.reason || pod.status?.message) lines.push(`Reason: ${pod.status.reason ?? ''} ${clip(pod.status.message ?? '', 300)}`.trimEnd());
  if (pod.status?.qosClass) lines.push(`QoS Class: ${pod.status.qosClass}`);
  const statusOf = (name: string, list: V1ContainerStatus[] | undefined) => list?.find((s) => s.name === name);
  if (pod.spec?.initContainers?.length) {
    lines.push('Init Containers:');
    for (const c of pod.spec.initContainers) lines.push(...describeContainer(c, statusOf(c.name, pod.status?.initContainerStatuses), '  '));
  }
  lines.push('Containers:');
  for (const c of pod.spec?.containers ?? []) lines.push(...describeContainer(c, statusOf(c.name, pod.status?.containerStatuses), '  '));
  const conditions = pod.status?.conditions ?? [];
  if (conditions.length) {
    lines.push('Conditions:');
    for (const c of conditions) {
      const why = c.reason ? ` ${c.reason}${c.message ? `: ${clip(c.message, 300)}` : ''}` : '';
      lines.push(`  ${c.type}=${c.status}${why}`);
    }
  }
  const sorted = sortEventsNewestFirst(events).slice(0, options.eventLimit ?? 15);
  lines.push(events.length ? `Events (newest first${sorted.length < events.length ? `, ${sorted.length} of ${events.length}` : ''}):` : 'Events: <none>');
  for (const event of sorted) lines.push(`  ${formatEventLine(event, now)}`);
  return boundHead(lines.join('\n'), options.maxChars ?? defaultMaxChars * 2);
}
