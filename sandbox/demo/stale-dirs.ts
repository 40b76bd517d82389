import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The file in a demo's temp dir naming the process that owns it. */
export const ownerFile = '.deckhand-demo-owner';
const prefix = 'deckhand-demo-';

/** True while a process with this pid exists (signal 0 only checks). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Creates the demo's temp dir and marks it with this process's pid at once, so that a demo
 * killed with `kill -9` (which runs no cleanup) leaves a dir the next demo can recognise.
 */
export async function createDemoDir(tmp: string, pid: number = process.pid): Promise<string> {
  const dir = await mkdtemp(join(tmp, prefix));
  await writeFile(join(dir, ownerFile), `${pid}\n`, { mode: 0o600 });
  return dir;
}

/**
 * Removes the temp dirs (kubeconfig, deckhand.yaml, Redis data: generated secrets) of demos
 * whose process is gone. Only dirs carrying the owner file are considered, so nothing else
 * under the temp dir is ever touched. Returns the dirs removed.
 */
export async function removeStaleDemoDirs(tmp: string, isAlive: (pid: number) => boolean = isProcessAlive): Promise<string[]> {
  const removed: string[] = [];
  let names: string[];
  try {
    names = await readdir(tmp);
  } catch {
    return removed;
  }
  for (const name of names.filter((n) => n.startsWith(prefix))) {
    const dir = join(tmp, name);
    const owner = await readFile(join(dir, ownerFile), 'utf8').catch(() => undefined);
    const pid = owner === undefined ? NaN : Number(owner.trim());
    if (!Number.isInteger(pid) || pid <= 0 || isAlive(pid)) continue;
    await rm(dir, { recursive: true, force: true });
    removed.push(dir);
  }
  return removed;
}
