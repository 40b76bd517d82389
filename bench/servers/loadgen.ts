import { runClosedLoop, runOpenLoop, type LoadResult, type Shot } from '../lib/load.js';

/**
 * The load generator in its own process: the bench process also hosts the fakes (Slack,
 * the sandbox cluster), so sending from there would make a busy fake slow the sender and
 * the sender slow the fakes. Runs one load at a time on request over IPC and answers with
 * its result, plus when each turn was first sent (epoch ms), for latencies measured
 * elsewhere (webhook → thread root during a storm).
 */
export interface LoadRequest {
  type: 'run';
  id: number;
  kind: 'open' | 'closed';
  origin: string;
  shots: (Shot | Shot[])[];
  rate?: number;
  concurrency?: number;
  connections?: number;
}

export interface LoadAnswer {
  type: 'result';
  id: number;
  result?: LoadResult & { sentAt: number[] };
  error?: string;
}

const epochNow = () => performance.timeOrigin + performance.now();

async function run(request: LoadRequest): Promise<LoadAnswer> {
  const sentAt: number[] = new Array<number>(request.shots.length).fill(0);
  const shot = (i: number) => {
    sentAt[i] = epochNow();
    return request.shots[i]!;
  };
  const result =
    request.kind === 'open'
      ? await runOpenLoop({ origin: request.origin, rate: request.rate ?? 100, count: request.shots.length, shot: (i) => shot(i) as Shot, ...(request.connections ? { connections: request.connections } : {}) })
      : await runClosedLoop({ origin: request.origin, concurrency: request.concurrency ?? 8, count: request.shots.length, shot, ...(request.connections ? { connections: request.connections } : {}) });
  return { type: 'result', id: request.id, result: { ...result, sentAt } };
}

process.on('message', (raw) => {
  const request = raw as LoadRequest;
  if (request.type !== 'run') return;
  run(request).then(
    (answer) => process.send?.(answer),
    (err: unknown) => process.send?.({ type: 'result', id: request.id, error: err instanceof Error ? err.message : String(err) } satisfies LoadAnswer),
  );
});
process.on('disconnect', () => process.exit(0));
process.send?.({ type: 'ready' });
