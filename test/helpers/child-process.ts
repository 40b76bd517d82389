import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { waitFor } from '../../sandbox/shared/wait.js';

export interface WatchedChild {
  process: ChildProcess;
  /** Everything it printed so far on stdout / stderr. */
  out(): string;
  err(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Waits until stdout includes `text` (or it exits early), up to `timeoutMs`. */
  printed(text: string, timeoutMs: number): Promise<void>;
}

/** Spawns a program (a CLI under test) with stdout and stderr captured. */
export function spawnWatched(command: string, args: readonly string[], options: SpawnOptions): WatchedChild {
  const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString('utf8')));
  child.stderr?.on('data', (d: Buffer) => (err += d.toString('utf8')));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return {
    process: child,
    out: () => out,
    err: () => err,
    exited,
    async printed(text, timeoutMs) {
      await waitFor(() => out.includes(text) || child.exitCode !== null, { timeoutMs, intervalMs: 50, message: `it never printed ${text}` });
    },
  };
}
