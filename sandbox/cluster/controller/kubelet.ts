/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-explicit-any -- pods are wire JSON */
import { createHash } from 'node:crypto';
import { formatTime } from '../sim-clock.js';
import type { KubeObject } from '../types.js';
import { playContainer, type ContainerTimeline } from './containers.js';
import { parseImage, playPulls, pullImage, pullMs } from './images.js';
import { kubeletEvents, type KubeletEvent } from './kubelet-events.js';
import { exceedsMemoryLimit, programOf } from './program.js';

/**
 * What the kubelet has observed of a pod beyond its object, across controller passes: when it
 * was bound, its IP, and when the objects it depends on (volumes, environment) became usable.
 */
export interface PodRuntime {
  scheduledAt?: number;
  podIP?: string;
  /** When its volumes mounted; undefined while one cannot. */
  mountedAt?: number;
  mountErrors: string[];
  /** Per container: when its environment could first be built (0: as soon as its image was there). */
  configOkAt: Record<string, number>;
  /** Per container: why its environment cannot be built, while it cannot. */
  configErrors: Record<string, string>;
  missingPullSecrets: string[];
}

export function newPodRuntime(): PodRuntime {
  return { mountErrors: [], configOkAt: {}, configErrors: {}, missingPullSecrets: [] };
}

/** Log lines of one container now, and of its previous instance if there was one. */
export interface ContainerLogs {
  current: string[] | undefined;
  previous: string[] | undefined;
}

export interface PodView {
  status: Record<string, unknown>;
  events: KubeletEvent[];
  /** Still moving towards its steady state (creating, starting, before the first failure). */
  transient: boolean;
  logs: Record<string, ContainerLogs>;
}

/** Sandbox creation, an image pull, the display of a terminated container before its back-off shows. */
const createMs = 1000;
const terminatedShownMs = 2000;

/** "5m0s", "40s", "1m20s": Go's time.Duration format, as kubelet messages show back-off. */
export function goDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${s % 60}s`;
}

const hex = (seed: string): string => createHash('sha256').update(seed).digest('hex');

function qosClassOf(pod: KubeObject): string {
  let any = false;
  let guaranteed = true;
  for (const c of pod.spec.containers ?? []) {
    const l = c.resources?.limits ?? {};
    const r = c.resources?.requests ?? {};
    if (Object.keys(l).length || Object.keys(r).length) any = true;
    for (const k of ['cpu', 'memory']) if (!l[k] || (r[k] && r[k] !== l[k])) guaranteed = false;
  }
  return !any ? 'BestEffort' : guaranteed ? 'Guaranteed' : 'Burstable';
}

function condition(type: string, ok: boolean, at: number, reason?: string, message?: string) {
  return { type, status: ok ? 'True' : 'False', lastProbeTime: null, lastTransitionTime: formatTime(at), ...(reason ? { reason } : {}), ...(message ? { message } : {}) };
}

/** How one container got (or did not get) to run: the kubelet's steps before its first start. */
export interface ContainerPlan {
  container: any;
  index: number;
  pullError: string | undefined;
  /** pullPolicy Never and the image is not on the node: ErrImageNeverPull. */
  neverPull: boolean;
  /** The image is on the node without pulling (a known image with IfNotPresent). */
  present: boolean;
  pullPolicy: string;
  /** When the image is there (Infinity: never). */
  pulledAt: number;
  configError: string | undefined;
  /** When its environment first built; undefined while it cannot. */
  configOkAt: number | undefined;
  timeline: ContainerTimeline | undefined;
}

function planContainer(pod: KubeObject, rt: PodRuntime, index: number, sandboxAt: number, now: number, podIP: string): ContainerPlan {
  const container = pod.spec.containers[index];
  const image = String(container.image ?? '');
  const verdict = pullImage(image);
  const ref = parseImage(image);
  const pullPolicy = container.imagePullPolicy ?? (ref.digest || (ref.tag && ref.tag !== 'latest') ? 'IfNotPresent' : 'Always');
  const present = verdict.ok && verdict.known && pullPolicy !== 'Always';
  // With pullPolicy Never only an image already on the node (a known one) can run.
  const neverPull = pullPolicy === 'Never' && !present;
  const pulledAt = !verdict.ok || neverPull ? Infinity : present ? sandboxAt : sandboxAt + pullMs;
  const name = String(container.name);
  const okAt = rt.configOkAt[name];
  const configOkAt = okAt === undefined ? (rt.configErrors[name] ? undefined : pulledAt) : Math.max(okAt, pulledAt);
  const firstStart = configOkAt;
  const timeline =
    firstStart !== undefined && Number.isFinite(firstStart) && firstStart <= now
      ? playContainer({
          container,
          program: programOf(pod, index),
          firstStart,
          oom: exceedsMemoryLimit(pod, index),
          restartPolicy: pod.spec.restartPolicy ?? 'Always',
          graceMs: Number(pod.spec.terminationGracePeriodSeconds ?? 30) * 1000,
          podIP,
          now,
        })
      : undefined;
  return { container, index, pullError: verdict.ok || neverPull ? undefined : verdict.error, neverPull, present, pullPolicy, pulledAt, configError: rt.configErrors[name], configOkAt, timeline };
}

interface ContainerView {
  status: Record<string, unknown>;
  ready: boolean;
  running: boolean;
  /** Terminated for good (restartPolicy Never / OnFailure after success). */
  done: boolean;
  steadyAt: number;
  logs: ContainerLogs;
}

/**
 * A terminated container; with `terminationMessagePolicy: FallbackToLogsOnError` a failed one's
 * message is the tail of its log (at most 80 lines, 2048 bytes), as the kubelet fills it.
 */
function terminatedOf(cid: (i: number) => string, i: number, t: { exitCode: number; reason: string; startedAt: number; finishedAt: number }, container: any, logs: string[]) {
  let message = '';
  if (container.terminationMessagePolicy === 'FallbackToLogsOnError' && t.exitCode !== 0) message = Buffer.from(logs.slice(-80).map((l) => `${l}\n`).join('')).subarray(-2048).toString();
  return { terminated: { exitCode: t.exitCode, reason: t.reason, ...(message ? { message } : {}), startedAt: formatTime(t.startedAt), finishedAt: formatTime(t.finishedAt), containerID: cid(i) } };
}

function viewContainer(pod: KubeObject, plan: ContainerPlan, mounted: boolean, sandboxAt: number, now: number): ContainerView {
  const { container, timeline } = plan;
  const name = String(container.name);
  const image = String(container.image ?? '');
  const cid = (i: number): string => `containerd://${hex(`${pod.metadata.uid}/${name}/${i}`)}`;
  const podRef = `${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})`;
  const base = { name, image, imageID: '', lastState: {}, ready: false, restartCount: 0, started: false };
  const waiting = (reason: string, message?: string, steadyAt = now + 1) => ({
    status: { ...base, state: { waiting: { reason, ...(message ? { message } : {}) } } },
    ready: false,
    running: false,
    done: false,
    steadyAt,
    logs: { current: undefined, previous: undefined },
  });
  if (!mounted || now < sandboxAt) return waiting('ContainerCreating', undefined, mounted ? sandboxAt : 0);
  if (plan.pullError) {
    const pulls = playPulls(sandboxAt, now);
    const steadyAt = sandboxAt + pullMs;
    if (pulls.failures === 0) return waiting('ContainerCreating', undefined, steadyAt);
    // While a retry pulls, the kubelet keeps reporting the last failure's back-off.
    if (pulls.pulling || now - pulls.lastFailAt >= terminatedShownMs) return waiting('ImagePullBackOff', `Back-off pulling image "${image}"`, steadyAt);
    return waiting('ErrImagePull', plan.pullError, steadyAt);
  }
  if (plan.neverPull) return waiting('ErrImageNeverPull', `Container image "${image}" is not present with pull policy of Never`, sandboxAt);
  if (now < plan.pulledAt) return waiting('ContainerCreating', undefined, plan.pulledAt);
  if (!timeline) return plan.configError ? waiting('CreateContainerConfigError', plan.configError, plan.pulledAt) : waiting('ContainerCreating', undefined, plan.configOkAt ?? now + 1);
  const imageID = `${parseImage(image).normalized.replace(/[:@].*$/, '')}@sha256:${hex(image)}`;
  const runs = timeline.runs;
  const last = runs[runs.length - 1]!;
  const before = runs[runs.length - 2];
  // Restarts so far: the runs played, and those a long crash loop skipped over.
  const i = runs.length - 1 + timeline.skipped;
  const program = programOf(pod, plan.index);
  const lastState = before?.termination ? terminatedOf(cid, i - 1, before.termination, container, program.logs) : {};
  const common = { ...base, imageID, containerID: cid(i), restartCount: i };
  const all = program.logs;
  const view = (state: Record<string, unknown>, lastStateOf: Record<string, unknown>, extra: Partial<ContainerView> & { logs: ContainerLogs }): ContainerView => ({
    status: { ...common, state, lastState: lastStateOf, ready: extra.ready ?? false, started: extra.running === true && last.startedAt !== undefined && now >= last.startedAt },
    ready: extra.ready ?? false,
    running: extra.running ?? false,
    done: extra.done ?? false,
    steadyAt: timeline.steadyAt,
    logs: extra.logs,
  });
  if (now < last.end) {
    // It prints its last line just before it exits.
    const crashes = Number.isFinite(last.end) && !last.byProbe;
    const current = crashes && all.length > 1 ? all.slice(0, -1) : all;
    return view({ running: { startedAt: formatTime(last.start) } }, lastState, { running: true, ready: last.readyAt !== undefined && now >= last.readyAt, logs: { current, previous: i > 0 ? all : undefined } });
  }
  const terminated = terminatedOf(cid, i, last.termination!, container, all);
  const logs = { current: all, previous: i > 0 ? all : undefined };
  if (timeline.nextStart === undefined) return view(terminated, lastState, { done: true, logs });
  if (now - last.end < terminatedShownMs && now < timeline.nextStart) return view(terminated, lastState, { logs });
  const message = `back-off ${goDuration(timeline.waitMs)} restarting failed container=${name} pod=${podRef}`;
  return view({ waiting: { reason: 'CrashLoopBackOff', message } }, terminated, { logs });
}

/** Status, events and logs of a pod bound to a node, as a pure function of the pod, what the kubelet observed, and the sim time. */
export function viewPod(pod: KubeObject, rt: PodRuntime, now: number, podIP: string, hostIP: string): PodView {
  const scheduledAt = rt.scheduledAt ?? now;
  const mounted = rt.mountedAt !== undefined;
  // No pod sandbox (and no IP, no container) until the volumes mount.
  const sandboxAt = rt.mountedAt === undefined ? Infinity : rt.mountedAt + createMs;
  const sandbox = mounted && now >= sandboxAt;
  const ip = sandbox ? podIP : '';
  const plans = (pod.spec.containers ?? []).map((_: unknown, i: number) => planContainer(pod, rt, i, sandboxAt, now, ip || podIP));
  const views = plans.map((p: ContainerPlan) => viewContainer(pod, p, mounted, sandboxAt, now));
  const everRan = plans.some((p: ContainerPlan) => p.timeline !== undefined);
  const allDone = views.length > 0 && views.every((v: ContainerView) => v.done);
  const failed = views.some((v: ContainerView) => v.done && (v.status.state as any)?.terminated?.exitCode !== 0);
  const phase = !everRan ? 'Pending' : allDone ? (failed ? 'Failed' : 'Succeeded') : 'Running';
  const ready = views.length > 0 && views.every((v: ContainerView) => v.ready);
  const readySince = Math.max(scheduledAt, ...plans.map((p: ContainerPlan) => p.timeline?.runs.at(-1)?.readyAt ?? p.timeline?.runs.at(-1)?.start ?? scheduledAt).filter((t: number) => t <= now));
  const unready = views.filter((v: ContainerView) => !v.ready).map((v: ContainerView) => String(v.status.name));
  const notReady = phase === 'Succeeded' ? ['PodCompleted', undefined] : ['ContainersNotReady', `containers with unready status: [${unready.join(' ')}]`];
  const initContainers: any[] = pod.spec.initContainers ?? [];
  const status = {
    phase,
    conditions: [
      condition('PodReadyToStartContainers', sandbox, sandbox ? sandboxAt : scheduledAt),
      condition('Initialized', !initContainers.length || sandbox, initContainers.length && sandbox ? sandboxAt : scheduledAt),
      condition('Ready', ready, readySince, ready ? undefined : notReady[0], ready ? undefined : notReady[1]),
      condition('ContainersReady', ready, readySince, ready ? undefined : notReady[0], ready ? undefined : notReady[1]),
      condition('PodScheduled', true, scheduledAt),
    ],
    hostIP,
    hostIPs: [{ ip: hostIP }],
    ...(ip ? { podIP: ip, podIPs: [{ ip }] } : {}),
    startTime: formatTime(scheduledAt),
    ...(initContainers.length && sandbox
      ? { initContainerStatuses: initContainers.map((c: any, i: number) => ({ name: c.name, image: c.image, imageID: '', ready: true, restartCount: 0, started: false, lastState: {}, state: { terminated: { exitCode: 0, reason: 'Completed', startedAt: formatTime(sandboxAt), finishedAt: formatTime(sandboxAt), containerID: `containerd://${hex(`${pod.metadata.uid}/init/${i}`)}` } } })) }
      : {}),
    containerStatuses: views.map((v: ContainerView) => v.status),
    qosClass: qosClassOf(pod),
  };
  const steady = Math.max(...views.map((v: ContainerView) => v.steadyAt));
  const events = kubeletEvents({ pod, rt, plans, now, scheduledAt, sandboxAt, pullMs });
  const logs: Record<string, ContainerLogs> = {};
  views.forEach((v: ContainerView) => (logs[String(v.status.name)] = v.logs));
  return { status, events, transient: now < steady, logs };
}

/** Status of a pod the scheduler could not place. */
export function unschedulableStatus(pod: KubeObject, message: string, since: number): Record<string, unknown> {
  return {
    phase: 'Pending',
    conditions: [condition('PodScheduled', false, since, 'Unschedulable', message)],
    qosClass: qosClassOf(pod),
  };
}
