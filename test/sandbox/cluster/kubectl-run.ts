import { execFile } from 'node:child_process';
import { join } from 'node:path';

/** True when no kubectl is on PATH (CI installs one, so there the kubectl tests must run). */
export const kubectlMissing = await new Promise<boolean>((resolve) => execFile('kubectl', ['version', '--client'], { timeout: 10_000 }, (err) => resolve(Boolean(err))));

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** The kubectl on PATH with the sandbox's kubeconfig in `dir` and a private discovery cache. */
export function kubectlIn(dir: string, ...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile('kubectl', ['--kubeconfig', join(dir, 'config'), '--cache-dir', join(dir, 'cache'), ...args], { timeout: 20_000 }, (err, stdout, stderr) => {
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
