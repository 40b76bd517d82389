/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-unsafe-return, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-explicit-any -- the simulated API handles Kubernetes wire JSON, whose shapes vary by kind */
import type { ClusterContext } from '../controller/context.js';
import { newPodRuntime, viewPod } from '../controller/kubelet.js';
import type { KubeObject } from '../types.js';
import { queryFlag } from './query.js';
import { badRequest } from './status.js';

/**
 * GET pods/X/log, mirroring the kubelet's validateContainerLogStatus: a waiting container has
 * no log unless it is crash-looping (then it is the last crashed one), `previous` needs a
 * terminated container, an unscheduled pod gives an empty body.
 */
export function readPodLog(ctx: ClusterContext, pod: KubeObject, query: URLSearchParams): string {
  const names: string[] = (pod.spec.containers ?? []).map((c: any) => c.name);
  const podName = pod.metadata.name;
  let container = query.get('container') ?? '';
  if (!container) {
    if (names.length !== 1) throw badRequest(`a container name must be specified for pod ${podName}, choose one of: [${names.join(' ')}]`);
    container = names[0] ?? '';
  }
  if (!names.includes(container)) throw badRequest(`container ${container} is not valid for pod ${podName}`);
  if (!pod.spec.nodeName) return '';
  const previous = queryFlag(query, 'previous');
  const status = (pod.status?.containerStatuses ?? []).find((c: any) => c.name === container);
  const rt = ctx.pods.get(pod.metadata.uid) ?? newPodRuntime();
  const logs = viewPod(pod, rt, ctx.clock.now(), pod.status?.podIP ?? '', pod.status?.hostIP ?? '').logs[container] ?? { current: undefined, previous: undefined };
  let lines: string[];
  let startedAt: string | undefined;
  if (previous) {
    if (!status?.lastState?.terminated || !logs.previous) throw badRequest(`previous terminated container "${container}" in pod "${podName}" not found`);
    lines = logs.previous;
    startedAt = status.lastState.terminated.startedAt;
  } else {
    const waiting = status?.state?.waiting;
    if (waiting && waiting.reason !== 'CrashLoopBackOff') {
      const why = waiting.reason === 'ErrImagePull' ? 'image can\'t be pulled' : waiting.reason === 'ImagePullBackOff' ? 'trying and failing to pull image' : waiting.reason;
      throw badRequest(`container "${container}" in pod "${podName}" is waiting to start: ${why}`);
    }
    if (!status) throw badRequest(`container "${container}" in pod "${podName}" is waiting to start: ContainerCreating`);
    lines = logs.current ?? [];
    startedAt = status.state?.running?.startedAt ?? status.state?.terminated?.startedAt ?? status.lastState?.terminated?.startedAt;
  }
  const base = startedAt ? Date.parse(startedAt) : ctx.clock.now();
  let out = lines.map((line, i) => (queryFlag(query, 'timestamps') ? `${new Date(base + i * 137).toISOString().replace('Z', '000000Z')} ${line}` : line));
  const tail = query.get('tailLines');
  if (tail !== null && Number(tail) >= 0) out = Number(tail) === 0 ? [] : out.slice(-Number(tail));
  let text = out.map((l) => `${l}\n`).join('');
  const limit = Number(query.get('limitBytes') ?? 0);
  if (limit > 0 && Buffer.byteLength(text) > limit) text = Buffer.from(text).subarray(0, limit).toString();
  return text;
}
