import { spawn } from 'node:child_process';
import { serverEntry, type ServerRuntime } from './build.js';
import type { LoadResult, Shot } from './load.js';
import type { LoadAnswer, LoadRequest } from '../servers/loadgen.js';

export type TimedLoadResult = LoadResult & { sentAt: number[] };

export interface LoadGenerator {
  openLoop(options: { origin: string; rate: number; shots: Shot[]; connections?: number }): Promise<TimedLoadResult>;
  closedLoop(options: { origin: string; concurrency: number; shots: (Shot | Shot[])[]; connections?: number }): Promise<TimedLoadResult>;
  close(): Promise<void>;
}

/** Starts bench/servers/loadgen in its own Node process (see there why). */
export async function startLoadGenerator(runtime: ServerRuntime): Promise<LoadGenerator> {
  const entry = serverEntry(runtime, 'loadgen');
  const args = runtime.kind === 'tsx' ? ['--import', import.meta.resolve('tsx'), entry] : [entry];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('load generator did not start')), 30_000);
    child.once('message', () => {
      clearTimeout(timer);
      resolve();
    });
    child.once('exit', (code) => reject(new Error(`load generator exited (${code})`)));
  });
  let counter = 0;
  const run = (request: Omit<LoadRequest, 'type' | 'id'>) =>
    new Promise<TimedLoadResult>((resolve, reject) => {
      const id = ++counter;
      const onMessage = (raw: unknown) => {
        const answer = raw as LoadAnswer;
        if (answer.type !== 'result' || answer.id !== id) return;
        child.off('message', onMessage);
        if (answer.result) resolve(answer.result);
        else reject(new Error(`load generator: ${answer.error ?? 'no result'}`));
      };
      child.on('message', onMessage);
      child.send({ type: 'run', id, ...request } satisfies LoadRequest);
    });
  return {
    openLoop: (o) => run({ kind: 'open', origin: o.origin, rate: o.rate, shots: o.shots, ...(o.connections ? { connections: o.connections } : {}) }),
    closedLoop: (o) => run({ kind: 'closed', origin: o.origin, concurrency: o.concurrency, shots: o.shots, ...(o.connections ? { connections: o.connections } : {}) }),
    async close() {
      if (child.exitCode === null) child.disconnect();
      await exited;
    },
  };
}
