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

/**
 * How long a probe-killed program (deaf to SIGTERM) lives on: the probe's own
 * `terminationGracePeriodSeconds` if set, else the pod's, at least the kubelet's 2s minimum
 * (kuberuntime's setTerminationGracePeriod and killContainer).
 */
function killGraceMs(input: ContainerInput, probe: 'livenessProbe' | 'startupProbe'): number {
  const own = input.container[probe]?.terminationGracePeriodSeconds;
  const ms = typeof own === 'number' ? own * 1000 : input.graceMs;
  return Math.max(2000, ms);
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
  let killedBy: 'livenessProbe' | 'startupProbe' = 'livenessProbe';
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
      killedBy = 'startupProbe';
    }
  }
  if (probes.liveness && startedAt !== undefined) {
    const r = probe(probes.liveness, startedAt, natural);
    if (r.thresholdAt !== undefined) {
      killAt = r.thresholdAt;
      killMessage = `Container ${name} failed liveness probe${restart}`;
    }
  }
  const end = killAt !== undefined ? Math.min(natural, killAt + killGraceMs(input, killedBy)) : natural;
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

/**
 * The kubelet's per-container back-off (flowcontrol.Backoff keyed by pod and container): absent
 * until the first `Next`, then 10s doubling to 5m; an entry not updated for twice the maximum
 * is forgotten.
 */
interface BackOffEntry {
  backOffMs: number;
  lastUpdate: number;
}

const expired = (entry: BackOffEntry | undefined, eventTime: number): boolean => entry === undefined || eventTime - entry.lastUpdate > backOffExpiryMs;

function nextBackOff(entry: BackOffEntry | undefined, eventTime: number, at: number): BackOffEntry {
  return { backOffMs: expired(entry, eventTime) ? backOffMs(0) : Math.min(entry!.backOffMs * 2, maxBackOffMs), lastUpdate: at };
}

/**
 * When the container starts again after `run` ended, as kuberuntime's doBackOff decides it: the
 * back-off is measured from the finish of the newest *exited* instance in the pod status the
 * sync started from. After a crash that is this run; after a probe kill the sync killed a
 * running container, so it is the run before (none for the first): a slow starter killed by
 * its liveness probe is restarted at once until the back-off outgrows a run, and only then
 * shows CrashLoopBackOff.
 */
function restartAfter(run: Run, previousEnd: number | undefined, entry: BackOffEntry | undefined): { wait: number; entry: BackOffEntry | undefined } {
  const seen = run.byProbe ? previousEnd : run.end;
  if (seen === undefined) return { wait: 0, entry };
  const inBackOff = entry !== undefined && !expired(entry, seen) && run.end - seen < entry.backOffMs;
  if (!inBackOff) return { wait: 0, entry: nextBackOff(entry, seen, run.end) };
  // The next syncs see this run exited: the restart waits the back-off from its finish.
  const wait = entry.backOffMs;
  return { wait, entry: nextBackOff(entry, run.end, run.end + wait) };
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
  let entry: BackOffEntry | undefined;
  let previousEnd: number | undefined;
  const history: { length: number; wait: number; sink: Sink }[] = [];
  for (let i = 0; s <= input.now && i < 5000; i++) {
    const sink: Sink = { unhealthy: [], kills: [] };
    const run = playRun(input, s, probes, sink, name);
    merge(sink, 1);
    t.runs.push(run);
    if (!run.termination || run.end > input.now) break;
    const code = run.termination.exitCode;
    if (input.restartPolicy === 'Never' || (input.restartPolicy === 'OnFailure' && code === 0)) break;
    const next = restartAfter(run, previousEnd, entry);
    entry = next.entry;
    previousEnd = run.end;
    const wait = next.wait;
    if (wait > 0) t.backOffs += 1;
    history.push({ length: run.end - s, wait, sink });
    s = run.end + wait;
    t.waitMs = wait;
    // At the back-off's cap the runs repeat (every run for a crash, every other one for probe
    // kills): jump over whole cycles, playing the last two.
    const period = entry?.backOffMs === maxBackOffMs ? repeatingPeriod(history) : undefined;
    if (period) {
      const cycle = history.slice(-period);
      const cycleMs = cycle.reduce((n, h) => n + h.length + h.wait, 0);
      const cycles = Math.floor((input.now - s) / cycleMs) - 2;
      if (cycles > 0) {
        t.skipped += cycles * period;
        t.backOffs += cycles * cycle.filter((h) => h.wait > 0).length;
        for (const h of cycle) merge(h.sink, cycles);
        const shift = cycles * cycleMs;
        s += shift;
        previousEnd += shift;
        if (entry) entry = { ...entry, lastUpdate: entry.lastUpdate + shift };
      }
    }
    if (s > input.now) t.nextStart = s;
  }
  t.steadyAt = steadyAt(t, probes, input.firstStart);
  return t;
}

/** 1 or 2 when the last runs repeat with that period (same length and wait), else undefined. */
function repeatingPeriod(history: readonly { length: number; wait: number }[]): number | undefined {
  for (const p of [1, 2]) {
    if (history.length < 2 * p) continue;
    const tail = history.slice(-2 * p);
    if (tail.slice(0, p).every((h, j) => h.length === tail[p + j]!.length && h.wait === tail[p + j]!.wait)) return p;
  }
  return undefined;
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
