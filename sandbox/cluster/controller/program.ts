/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-return, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-explicit-any -- pods are wire JSON */
import { parseQuantity } from '../quantity.js';
import type { KubeObject } from '../types.js';

/**
 * What a container's program does, in the sandbox's one fault language: annotations
 * `sandbox.deckhand.dev/…` on the pod (copied from its template). They describe the main
 * (first) container's program; every other container runs a quiet program that listens on
 * its containerPorts at once and never exits.
 */
export const programAnnotation = {
  exitCode: 'sandbox.deckhand.dev/exit-code',
  runSeconds: 'sandbox.deckhand.dev/run-seconds',
  logs: 'sandbox.deckhand.dev/logs',
  memory: 'sandbox.deckhand.dev/memory',
  cpu: 'sandbox.deckhand.dev/cpu',
  listen: 'sandbox.deckhand.dev/listen',
  startSeconds: 'sandbox.deckhand.dev/start-seconds',
} as const;

export interface Port {
  port: number;
  protocol: string;
}

export interface Program {
  /** The code it exits with after runMs; undefined: it runs until stopped. */
  exitCode: number | undefined;
  runMs: number;
  /** What it prints; the last line is printed just before it exits or is OOM-killed. */
  logs: string[];
  /** Working set in bytes and CPU in cores; undefined: half the container's requests. */
  memory: number | undefined;
  cpu: number | undefined;
  /** The ports it listens on once started. */
  listen: Port[];
  /** Time from start until it listens (and exec probes pass). */
  startMs: number;
}

const defaultRunSeconds = 2;

/** Log lines of a program that says nothing about its logs. */
export function defaultLogs(name: string): string[] {
  return [`level=info msg="starting ${name}"`, 'level=info msg="config loaded"', 'level=info msg="ready"'];
}

function seconds(value: string | undefined): number | undefined {
  if (value === undefined || !/^\s*\d+(\.\d+)?\s*$/.test(value)) return undefined;
  return Number(value);
}

function containerPorts(container: any): Port[] {
  return (container?.ports ?? []).filter((p: any) => Number.isInteger(p?.containerPort)).map((p: any) => ({ port: p.containerPort as number, protocol: String(p.protocol ?? 'TCP').toUpperCase() }));
}

/** "8080/TCP,9090", "8080 9090/udp": ports with an optional protocol (TCP when left out). */
export function parseListen(value: string): Port[] {
  return value
    .split(/[\s,]+/)
    .filter(Boolean)
    .flatMap((part) => {
      const m = /^(\d+)(?:\/(tcp|udp|sctp))?$/i.exec(part);
      return m?.[1] ? [{ port: Number(m[1]), protocol: (m[2] ?? 'TCP').toUpperCase() }] : [];
    });
}

/** The program of container `index` of a pod, read from the pod's annotations. */
export function programOf(pod: KubeObject, index: number): Program {
  const container = pod.spec?.containers?.[index];
  const name = String(container?.name ?? 'app');
  const a: Record<string, string> = index === 0 ? (pod.metadata.annotations ?? {}) : {};
  const code = a[programAnnotation.exitCode];
  const exitCode = code !== undefined && /^\s*\d{1,3}\s*$/.test(code) ? Number(code) % 256 : undefined;
  const logs = a[programAnnotation.logs];
  const listen = a[programAnnotation.listen];
  return {
    exitCode,
    runMs: (seconds(a[programAnnotation.runSeconds]) ?? defaultRunSeconds) * 1000,
    logs: logs !== undefined ? logs.split('\n').filter((l, i, all) => l !== '' || i < all.length - 1) : defaultLogs(name),
    memory: parseQuantity(a[programAnnotation.memory]),
    cpu: parseQuantity(a[programAnnotation.cpu]),
    listen: listen !== undefined ? parseListen(listen) : containerPorts(container),
    startMs: (seconds(a[programAnnotation.startSeconds]) ?? 0) * 1000,
  };
}

/**
 * What the container uses: the program's figures, or half of what it requests (1m CPU, 16Mi when
 * it requests nothing). CPU above `limits.cpu` is throttled, so it never shows more than the limit.
 */
export function usageOf(pod: KubeObject, index: number): { cpu: number; memory: number } {
  const container = pod.spec?.containers?.[index];
  const requests = container?.resources?.requests ?? {};
  const program = programOf(pod, index);
  const cpuLimit = parseQuantity(container?.resources?.limits?.cpu) ?? Infinity;
  return {
    cpu: Math.min(cpuLimit, program.cpu ?? ((parseQuantity(requests.cpu) ?? 0) / 2 || 0.001)),
    memory: program.memory ?? ((parseQuantity(requests.memory) ?? 0) / 2 || 16 * 2 ** 20),
  };
}

/** True when the program's working set passes the container's memory limit: the kernel OOM-kills it. */
export function exceedsMemoryLimit(pod: KubeObject, index: number): boolean {
  const program = programOf(pod, index);
  const limit = parseQuantity(pod.spec?.containers?.[index]?.resources?.limits?.memory);
  return program.memory !== undefined && limit !== undefined && program.memory > limit;
}
