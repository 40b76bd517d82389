/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-argument -- pods are wire JSON */
import { createHash } from 'node:crypto';
import type { Fault } from '../scenarios/types.js';
import { formatTime } from '../sim-clock.js';
import type { KubeObject } from '../types.js';

/** What the sandbox knows about a pod beyond its object: decided when the pod is created. */
export interface PodRuntime {
  fault: Fault | undefined;
  healthyLogs: string[];
  /** Sim time the pod was bound to a node. */
  scheduledAt?: number;
  podIP?: string;
}

/** Counts the kubelet's events are built from. */
export interface PodCounters {
  starts: number;
  backOffs: number;
  pullFailures: number;
  probeFailures: number;
}

export interface PodView {
  status: Record<string, unknown>;
  counters: PodCounters;
  /** Still moving towards its steady state (creating, starting, before the first failure). */
  transient: boolean;
  /** Log lines of the current container, and of the previous one if there was one. */
  logs: { current: string[] | undefined; previous: string[] | undefined; currentRunning: boolean };
}

const createMs = 1000;
const readyMs = 3000;
const terminatedShownMs = 2000;
const pullMs = 1000;

export function backOffMs(i: number): number {
  return Math.min(10_000 * 2 ** i, 300_000);
}

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

/** Status of a pod bound to a node, as a pure function of its fault and the sim time. */
export function viewPod(pod: KubeObject, runtime: PodRuntime, now: number, podIP: string, hostIP: string): PodView {
  const scheduledAt = runtime.scheduledAt ?? now;
  const e = now - scheduledAt;
  const container = pod.spec.containers[0];
  const name: string = container.name;
  const image: string = container.image;
  const imageID = `${image.split(':')[0]}@sha256:${hex(image)}`;
  const cid = (i: number): string => `containerd://${hex(`${pod.metadata.uid}/${i}`)}`;
  const podRef = `${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})`;
  const fault = runtime.fault;
  const counters: PodCounters = { starts: 0, backOffs: 0, pullFailures: 0, probeFailures: 0 };
  let state: Record<string, unknown>;
  let lastState: Record<string, unknown> = {};
  let restartCount = 0;
  let ready = false;
  let started = false;
  let readySince = scheduledAt;
  let transient = false;
  let phase = 'Running';
  let withImageID = true;
  let logs: PodView['logs'] = { current: undefined, previous: undefined, currentRunning: false };

  if (e < createMs && fault?.type !== 'image-pull') {
    state = { waiting: { reason: 'ContainerCreating' } };
    phase = 'Pending';
    transient = true;
    withImageID = false;
  } else if (fault?.type === 'crash') {
    const runMs = fault.runSeconds * 1000;
    const terminated = (i: number, start: number) => ({
      terminated: { exitCode: fault.exitCode, reason: fault.reason, startedAt: formatTime(start), finishedAt: formatTime(start + runMs), containerID: cid(i) },
    });
    // Container i runs [s, s + run); the first restart is immediate, later ones back off 10s, 20s … 5m.
    let i = 0;
    let s = scheduledAt + createMs;
    for (;;) {
      const end = s + runMs;
      const next = end + (i === 0 ? 0 : backOffMs(i - 1));
      if (now < end) {
        state = { running: { startedAt: formatTime(s) } };
        started = true;
        restartCount = i;
        if (i > 0) lastState = terminated(i - 1, s - runMs - (i === 1 ? 0 : backOffMs(i - 2)));
        logs = { current: fault.logs.slice(0, Math.max(1, fault.logs.length - 2)), previous: i > 0 ? fault.logs : undefined, currentRunning: true };
        transient = i === 0;
        break;
      }
      if (now < next) {
        restartCount = i;
        if (now - end < terminatedShownMs) {
          state = terminated(i, s);
          if (i > 0) lastState = terminated(i - 1, s - runMs - (i === 1 ? 0 : backOffMs(i - 2)));
        } else {
          state = { waiting: { reason: 'CrashLoopBackOff', message: `back-off ${goDuration(backOffMs(i - 1))} restarting failed container=${name} pod=${podRef}` } };
          lastState = terminated(i, s);
        }
        logs = { current: fault.logs, previous: i > 0 ? fault.logs : undefined, currentRunning: false };
        counters.backOffs = i;
        break;
      }
      i += 1;
      s = next;
    }
    counters.starts = restartCount + 1;
    counters.backOffs = Math.max(counters.backOffs, restartCount - 1);
    readySince = scheduledAt + createMs;
  } else if (fault?.type === 'image-pull') {
    phase = 'Pending';
    withImageID = false;
    // Pull j starts at t, fails after a second, then backs off 10s, 20s … 5m.
    let j = 0;
    let t = scheduledAt;
    state = { waiting: { reason: 'ContainerCreating' } };
    for (;;) {
      const fail = t + pullMs;
      if (now < fail) {
        // While a retry pulls, the kubelet keeps reporting the last failure, as a real one does;
        // only the very first pull shows ContainerCreating.
        if (j > 0) state = { waiting: { reason: 'ImagePullBackOff', message: `Back-off pulling image "${image}"` } };
        break;
      }
      counters.pullFailures = j + 1;
      const next = fail + backOffMs(j);
      if (now < next) {
        state =
          now - fail < terminatedShownMs
            ? { waiting: { reason: 'ErrImagePull', message: `rpc error: code = NotFound desc = failed to pull and unpack image "${image}": failed to resolve reference "${image}": ${image}: not found` } }
            : { waiting: { reason: 'ImagePullBackOff', message: `Back-off pulling image "${image}"` } };
        break;
      }
      j += 1;
      t = next;
    }
    transient = counters.pullFailures === 0;
    counters.backOffs = Math.max(0, counters.pullFailures - 1);
  } else {
    const startedAt = scheduledAt + createMs;
    state = { running: { startedAt: formatTime(startedAt) } };
    started = true;
    counters.starts = 1;
    logs = { current: runtime.healthyLogs, previous: undefined, currentRunning: true };
    if (fault?.type === 'unready') {
      const probe = container.readinessProbe ?? { initialDelaySeconds: 5, periodSeconds: 10 };
      const firstProbe = startedAt + (probe.initialDelaySeconds ?? 0) * 1000;
      counters.probeFailures = now < firstProbe ? 0 : 1 + Math.floor((now - firstProbe) / ((probe.periodSeconds ?? 10) * 1000));
      transient = counters.probeFailures === 0;
    } else {
      ready = e >= readyMs;
      readySince = scheduledAt + readyMs;
      transient = !ready;
    }
  }

  const notReady = `containers with unready status: [${name}]`;
  const status = {
    phase,
    conditions: [
      condition('PodReadyToStartContainers', phase !== 'Pending' || fault?.type === 'image-pull', scheduledAt + createMs),
      condition('Initialized', true, scheduledAt),
      condition('Ready', ready, readySince, ready ? undefined : 'ContainersNotReady', ready ? undefined : notReady),
      condition('ContainersReady', ready, readySince, ready ? undefined : 'ContainersNotReady', ready ? undefined : notReady),
      condition('PodScheduled', true, scheduledAt),
    ],
    hostIP,
    hostIPs: [{ ip: hostIP }],
    podIP,
    podIPs: [{ ip: podIP }],
    startTime: formatTime(scheduledAt),
    containerStatuses: [
      {
        name,
        state,
        lastState,
        ready,
        restartCount,
        image,
        imageID: withImageID ? imageID : '',
        ...(withImageID ? { containerID: cid(restartCount) } : {}),
        started,
      },
    ],
    qosClass: qosClassOf(pod),
  };
  return { status, counters, transient, logs };
}

/** Status of a pod the scheduler could not place. */
export function unschedulableStatus(pod: KubeObject, message: string, since: number): Record<string, unknown> {
  return {
    phase: 'Pending',
    conditions: [condition('PodScheduled', false, since, 'Unschedulable', message)],
    qosClass: qosClassOf(pod),
  };
}
