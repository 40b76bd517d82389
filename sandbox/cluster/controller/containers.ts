/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-explicit-any -- containers are wire JSON */
import { probeModel, runProbe, type ProbeModel } from './probes.js';
import type { Program } from './program.js';

/** CrashLoopBackOff: the kubelet's container back-off, 10s doubling to 5m. */
const maxBackOffMs = 300_000;

export function backOffMs(i: number): number {
  return Math.min(10_000 * 2 ** i, maxBackOffMs);
}

/** The kubelet forgets a container's back-off once its entry is older than twice the maximum. */
const backOffExpiryMs = 600_000;

export interface ContainerInput {
  container: any;
  program: Program;
  /** When the kubelet first starts it (after mounts, pull and config). */
  firstStart: number;
  /** Its working set passes its memory limit: killed by the kernel `runMs` after each start. */
  oom: boolean;
  restartPolicy: string;
  /** The pod's termination grace period: a probe-killed program (like most PID 1s, deaf to SIGTERM) gets SIGKILL after it. */
  graceMs: number;
  podIP: string;
  now: number;
}

export interface Termination {
  exitCode: number;
  reason: string;
  startedAt: number;
  finishedAt: number;
}

export interface Run {
  start: number;
  /** The startup probe passed (or there is none). */
  startedAt: number | undefined;
  readyAt: number | undefined;
  /** When this run ends, Infinity when it runs on. */
  end: number;
  /** A failed probe ended it (the kubelet killed it), not the program itself. */
  byProbe: boolean;
  termination: Termination | undefined;
}

export interface Occurrence {
  message: string;
  count: number;
  firstAt: number;
}

export interface ContainerTimeline {
  /** Runs started by now, oldest first (but for `skipped` identical ones in a long crash loop). */
  runs: Run[];
  /** Runs started by now that `runs` leaves out: restarts count them. */
  skipped: number;
  /** When the container starts again after the last run ended (undefined: it does not). */
  nextStart: number | undefined;
  /** The back-off before that restart. */
  waitMs: number;
  /** Back-off waits begun by now (the kubelet's BackOff events). */
  backOffs: number;
  unhealthy: Occurrence[];
  /** "Container x failed liveness probe, will be restarted" and its startup twin. */
  kills: Occurrence[];
  /** Until then the container is still on its way to its steady state (settle waits). */
  steadyAt: number;
}

interface Sink {
  unhealthy: Occurrence[];
  kills: Occurrence[];
}

function add(list: Occurrence[], message: string, count: number, firstAt: number): void {
  if (count <= 0) return;
  const o = list.find((x) => x.message === message);
  if (o) {
    o.count += count;
    o.firstAt = Math.min(o.firstAt, firstAt);
  } else list.push({ message, count, firstAt });
}

function probesOf(input: ContainerInput): { startup?: ProbeModel; liveness?: ProbeModel; readiness?: ProbeModel } {
  const c = input.container;
  const model = (kind: ProbeModel['kind'], p: any) => (p ? probeModel(kind, p, c, input.program.listen, input.podIP) : undefined);
  const out: { startup?: ProbeModel; liveness?: ProbeModel; readiness?: ProbeModel } = {};
  const startup = model('Startup', c.startupProbe);
  const liveness = model('Liveness', c.livenessProbe);
  const readiness = model('Readiness', c.readinessProbe);
  if (startup) out.startup = startup;
  if (liveness) out.liveness = liveness;
  if (readiness) out.readiness = readiness;
  return out;
}

/** One run from `s`: when the program starts, gets ready, exits or is killed, and what its probes saw by now. */
function playRun(input: ContainerInput, s: number, probes: ReturnType<typeof probesOf>, t: Sink, name: string): Run {
  const { program, now } = input;
  const natural = input.oom || program.exitCode !== undefined ? s + program.runMs : Infinity;
  const listenAt = s + program.startMs;
  const restart = input.restartPolicy !== 'Never' ? ', will be restarted' : '';
  let startedAt: number | undefined = s;
  let killAt: number | undefined;
  let killMessage = '';
  const probe = (m: ProbeModel, from: number, until: number) => {
    let r = runProbe(m, s, from, listenAt, until, now);
    // A liveness or startup probe past its threshold is on hold until the container is replaced;
    // a readiness probe goes on probing.
    if (r.thresholdAt !== undefined && m.kind !== 'Readiness') r = { ...runProbe(m, s, from, listenAt, r.thresholdAt + 1, now), thresholdAt: r.thresholdAt };
    for (const f of r.failures) add(t.unhealthy, f.message, f.count, f.firstAt);
    return r;
  };
  if (probes.startup) {
    const r = probe(probes.startup, s, natural);
    startedAt = r.passAt;
    if (r.thresholdAt !== undefined) {
      killAt = r.thresholdAt;
      killMessage = `Container ${name} failed startup probe${restart}`;
    }
  }
  if (probes.liveness && startedAt !== undefined) {
    const r = probe(probes.liveness, startedAt, natural);
    if (r.thresholdAt !== undefined) {
      killAt = r.thresholdAt;
      killMessage = `Container ${name} failed liveness probe${restart}`;
    }
  }
  const end = killAt !== undefined ? Math.min(natural, killAt + input.graceMs) : natural;
  if (killAt !== undefined && killAt <= now) add(t.kills, killMessage, 1, killAt);
  let readyAt = startedAt;
  if (probes.readiness && startedAt !== undefined) readyAt = probe(probes.readiness, startedAt, end).passAt;
  if (readyAt !== undefined && readyAt >= end) readyAt = undefined;
  let termination: Termination | undefined;
  if (Number.isFinite(end)) {
    const byKernel = end === natural && input.oom;
    const code = end === natural && !input.oom ? (program.exitCode ?? 0) : 137;
    termination = { exitCode: code, reason: byKernel ? 'OOMKilled' : code === 0 ? 'Completed' : 'Error', startedAt: s, finishedAt: end };
  }
  return { start: s, startedAt, readyAt, end, byProbe: killAt !== undefined && end !== natural, termination };
}

/** Everything a container went through from its first start until now, as a pure function of its spec and program. */
export function playContainer(input: ContainerInput): ContainerTimeline {
  const t: ContainerTimeline = { runs: [], skipped: 0, nextStart: undefined, waitMs: 0, backOffs: 0, unhealthy: [], kills: [], steadyAt: input.firstStart };
  const probes = probesOf(input);
  const name = String(input.container.name);
  const merge = (sink: Sink, times: number) => {
    for (const o of sink.unhealthy) add(t.unhealthy, o.message, o.count * times, o.firstAt);
    for (const o of sink.kills) add(t.kills, o.message, o.count * times, o.firstAt);
  };
  let s = input.firstStart;
  let backOff = 0;
  let previous = { length: -1, wait: -1 };
  for (let i = 0; s <= input.now && i < 5000; i++) {
    const sink: Sink = { unhealthy: [], kills: [] };
    const run = playRun(input, s, probes, sink, name);
    merge(sink, 1);
    t.runs.push(run);
    if (!run.termination || run.end > input.now) break;
    const code = run.termination.exitCode;
    if (input.restartPolicy === 'Never' || (input.restartPolicy === 'OnFailure' && code === 0)) break;
    // The first restart is immediate; later ones wait the back-off, which an old entry no longer holds.
    let wait = 0;
    if (i > 0 && run.end - s <= backOffExpiryMs) wait = backOffMs(backOff++);
    else backOff = 0;
    if (wait > 0) t.backOffs += 1;
    const length = run.end - s;
    s = run.end + wait;
    // At the back-off's cap every run repeats the last: jump over whole cycles, playing the last two.
    if (wait === maxBackOffMs && previous.wait === maxBackOffMs && previous.length === length) {
      const cycles = Math.floor((input.now - s) / (length + wait)) - 2;
      if (cycles > 0) {
        t.skipped += cycles;
        t.backOffs += cycles;
        merge(sink, cycles);
        s += cycles * (length + wait);
      }
    }
    previous = { length, wait };
    t.waitMs = wait;
    if (s > input.now) t.nextStart = s;
  }
  t.steadyAt = steadyAt(t, probes, input.firstStart);
  return t;
}

/** When the first run has shown what it will show: its end, its readiness, or its first failed readiness probe. */
function steadyAt(t: ContainerTimeline, probes: ReturnType<typeof probesOf>, firstStart: number): number {
  const first = t.runs[0];
  if (!first) return firstStart;
  const soon = 120_000;
  if (first.end - first.start <= soon) return first.end;
  if (first.readyAt !== undefined && first.readyAt - first.start <= soon) return first.readyAt;
  if (probes.readiness && first.readyAt === undefined) return first.start + probes.readiness.delayMs;
  return first.start;
}
