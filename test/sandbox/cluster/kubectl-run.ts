import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { startSandboxCluster, type SandboxCluster } from '../../../sandbox/cluster/index.js';

const missing = (bin: string) => new Promise<boolean>((resolve) => execFile(bin, ['version', '--client'], { timeout: 10_000 }, (err) => resolve(Boolean(err))));

/** True when no kubectl is on PATH (CI installs one, so there the kubectl tests must run). */
export const kubectlMissing = await missing('kubectl');

/** Debian's kubectl 1.20 (before /openapi/v3), which .ci/run puts on PATH as kubectl-1.20. */
export const oldKubectl = 'kubectl-1.20';
export const oldKubectlMissing = await missing(oldKubectl);

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** The kubectl on PATH with the sandbox's kubeconfig in `dir` and a private discovery cache. */
export function kubectlIn(dir: string, ...args: string[]): Promise<Run> {
  return runKubectl('kubectl', dir, args);
}

/** `bin` (a kubectl) with the sandbox's kubeconfig in `dir` and a private discovery cache. */
export function runKubectl(bin: string, dir: string, args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(bin, ['--kubeconfig', join(dir, 'config'), '--cache-dir', join(dir, 'cache'), ...args], { timeout: 20_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** Like kubectlIn, but fails with kubectl's stderr unless it exits 0; returns stdout. */
export async function kubectlOk(dir: string, ...args: string[]): Promise<string> {
  const r = await kubectlIn(dir, ...args);
  if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed (${r.code}): ${r.stderr}`);
  return r.stdout;
}

export interface KubectlSandbox {
  cluster: SandboxCluster;
  /** Holds the kubeconfig (`config`) and kubectl's discovery cache. */
  dir: string;
}

/** A sandbox started before the suite's tests, with its kubeconfig in a temp dir; both go after. */
export function useKubectlSandbox(prefix: string, scenarios?: string[]): KubectlSandbox {
  const box = {} as KubectlSandbox;
  beforeAll(async () => {
    box.dir = await mkdtemp(join(tmpdir(), prefix));
    box.cluster = await startSandboxCluster({ timeScale: 100, ...(scenarios ? { scenarios } : {}) });
    await box.cluster.writeKubeconfig(join(box.dir, 'config'));
    await box.cluster.settle();
  });
  afterAll(async () => {
    await box.cluster?.close();
    await rm(box.dir, { recursive: true, force: true });
  });
  return box;
}
