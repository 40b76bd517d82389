/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-return, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-explicit-any -- probes are wire JSON */
import type { Port } from './program.js';

/**
 * A probe against the program: httpGet and tcpSocket reach the pod IP on a port, which
 * answers once the program listens there (its `start-seconds` passed) — plain HTTP, 200.
 * grpc probes need the port too; exec probes pass once the program has started (`start-seconds`). Failure texts are the
 * kubelet's (`%s probe failed: %s` over Go's net/http and net errors).
 */
export interface ProbeModel {
  kind: 'Liveness' | 'Readiness' | 'Startup';
  delayMs: number;
  periodMs: number;
  failureThreshold: number;
  /** Whether it can ever pass against this program (the right port, the right scheme). */
  reachable: boolean;
  /** What a failure says while the program does not listen yet, and once it does (when still failing). */
  refusedMessage: string;
  listeningMessage: string;
}

function resolvePort(port: unknown, container: any): number | undefined {
  if (typeof port === 'number') return port;
  if (typeof port === 'string' && /^\d+$/.test(port)) return Number(port);
  const named = (container.ports ?? []).find((p: any) => p.name === port);
  return typeof named?.containerPort === 'number' ? named.containerPort : undefined;
}

/** The kubelet's view of one probe of a container whose program listens on `listen`. */
export function probeModel(kind: ProbeModel['kind'], probe: any, container: any, listen: readonly Port[], podIP: string): ProbeModel {
  const base = {
    kind,
    delayMs: Math.max(0, Number(probe.initialDelaySeconds ?? 0)) * 1000,
    periodMs: Math.max(1, Number(probe.periodSeconds ?? 10)) * 1000,
    failureThreshold: Math.max(1, Number(probe.failureThreshold ?? 3)),
  };
  const tcp = (port: number | undefined) => listen.some((l) => l.port === port && l.protocol === 'TCP');
  if (probe.httpGet) {
    const port = resolvePort(probe.httpGet.port, container);
    const scheme = String(probe.httpGet.scheme ?? 'HTTP').toLowerCase();
    const host = probe.httpGet.host || podIP;
    const hostPort = `${host}:${port ?? 0}`;
    const path: string = probe.httpGet.path ?? '';
    const url = `${scheme}://${hostPort}${path && !path.startsWith('/') ? `/${path}` : path}`;
    const refused = `Get "${url}": dial tcp ${hostPort}: connect: connection refused`;
    const https = scheme === 'https';
    return { ...base, reachable: tcp(port) && !https, refusedMessage: refused, listeningMessage: tcp(port) && https ? `Get "${url}": http: server gave HTTP response to HTTPS client` : refused };
  }
  if (probe.tcpSocket) {
    const port = resolvePort(probe.tcpSocket.port, container);
    const refused = `dial tcp ${probe.tcpSocket.host || podIP}:${port ?? 0}: connect: connection refused`;
    return { ...base, reachable: tcp(port), refusedMessage: refused, listeningMessage: refused };
  }
  if (probe.grpc) {
    const port = resolvePort(probe.grpc.port, container);
    const failed = `timeout: failed to connect service "${podIP}:${port ?? 0}" within ${Number(probe.timeoutSeconds ?? 1)}s: context deadline exceeded`;
    return { ...base, reachable: tcp(port), refusedMessage: failed, listeningMessage: failed };
  }
  // exec: the sandbox cannot run the command; it passes once the program is up, and prints nothing before.
  return { ...base, reachable: true, refusedMessage: '', listeningMessage: '' };
}

export interface ProbeRun {
  /** When the probe first passes in this run, if it does before `until`. */
  passAt: number | undefined;
  /** When the failureThreshold-th consecutive failure happens (before any pass), if before `until`. */
  thresholdAt: number | undefined;
  /** Failures up to `now`, by message, with the first time each happened. */
  failures: { message: string; count: number; firstAt: number }[];
}

/**
 * One probe over one run of the container: probes at `from` (not before start + delay), then
 * every period, while t < until. It fails until the program listens (`listenAt`) and forever
 * when it cannot reach it. Once passing it keeps passing (the program never stops listening).
 */
export function runProbe(m: ProbeModel, start: number, from: number, listenAt: number, until: number, now: number): ProbeRun {
  let first = start + m.delayMs;
  if (first < from) first += Math.ceil((from - first) / m.periodMs) * m.periodMs;
  const okFrom = m.reachable ? listenAt : Infinity;
  const kPass = okFrom <= first ? 0 : Number.isFinite(okFrom) ? Math.ceil((okFrom - first) / m.periodMs) : Infinity;
  const at = (k: number) => first + k * m.periodMs;
  const passAt = Number.isFinite(kPass) && at(kPass) < until ? at(kPass) : undefined;
  const threshold = at(m.failureThreshold - 1);
  const thresholdAt = kPass >= m.failureThreshold && threshold < until ? threshold : undefined;
  // Failures are the probes before the pass, before `until` and not after now.
  const lastFailK = Math.min(kPass - 1, Math.floor((Math.min(now, until - 1) - first) / m.periodMs));
  const failures: ProbeRun['failures'] = [];
  if (lastFailK >= 0) {
    // Before listenAt the port refuses; after it (a wrong scheme) the answer changes.
    const kListen = Number.isFinite(listenAt) ? Math.max(0, Math.ceil((listenAt - first) / m.periodMs)) : Infinity;
    const refused = Math.min(lastFailK + 1, kListen);
    if (refused > 0) failures.push({ message: `${m.kind} probe failed: ${m.refusedMessage}`, count: refused, firstAt: first });
    if (lastFailK + 1 > refused) failures.push({ message: `${m.kind} probe failed: ${m.listeningMessage}`, count: lastFailK + 1 - refused, firstAt: at(refused) });
  }
  return { passAt, thresholdAt, failures };
}
