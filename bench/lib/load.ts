import { setTimeout as sleep } from 'node:timers/promises';
import { Pool } from 'undici';

export interface Shot {
  path: string;
  headers: Record<string, string>;
  body: string;
}

export interface LoadResult {
  /** Milliseconds per request: from its intended send time (open loop) or its send (closed loop) to the whole answer. */
  latencies: number[];
  /** Answers per HTTP status (0: transport error). */
  statuses: Record<string, number>;
  /** Wall time from the first send to the last answer, ms. */
  elapsedMs: number;
  /** Answered requests per second over elapsedMs. */
  throughput: number;
}

/**
 * An HTTP client for load: undici's Pool with keep-alive connections (no pipelining), so
 * connection set-up is not measured and a slow answer holds only its own connection.
 */
export function createLoadClient(origin: string, connections: number): { send(shot: Shot): Promise<number>; close(): Promise<void> } {
  const pool = new Pool(origin, { connections, pipelining: 1, keepAliveTimeout: 60_000 });
  return {
    async send(shot) {
      try {
        const res = await pool.request({ method: 'POST', path: shot.path, headers: shot.headers, body: shot.body });
        await res.body.dump();
        return res.statusCode;
      } catch {
        return 0;
      }
    },
    close: () => pool.close(),
  };
}

function record(statuses: Record<string, number>, status: number): void {
  statuses[status] = (statuses[status] ?? 0) + 1;
}

/**
 * Open loop: request i is due at start + i / rate, whether or not earlier ones were
 * answered, and its latency counts from when it was due (no coordinated omission).
 */
export async function runOpenLoop(options: { origin: string; rate: number; count: number; shot: (i: number) => Shot; connections?: number }): Promise<LoadResult> {
  const client = createLoadClient(options.origin, options.connections ?? 32);
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  const interval = 1000 / options.rate;
  const inflight: Promise<void>[] = [];
  const start = performance.now();
  let last = start;
  for (let i = 0; i < options.count; i++) {
    const due = start + i * interval;
    const wait = due - performance.now();
    if (wait >= 1) await sleep(Math.floor(wait));
    inflight.push(
      client.send(options.shot(i)).then((status) => {
        last = performance.now();
        latencies.push(last - due);
        record(statuses, status);
      }),
    );
  }
  await Promise.all(inflight);
  await client.close();
  const elapsedMs = last - start;
  return { latencies, statuses, elapsedMs, throughput: (latencies.length / elapsedMs) * 1000 };
}

/**
 * Closed loop: `concurrency` senders, each sending its next request as soon as the last one
 * is answered, until `count` requests were sent. Saturation: the server sets the pace.
 */
export async function runClosedLoop(options: {
  origin: string;
  concurrency: number;
  count: number;
  shot: (i: number) => Shot | Shot[];
  /** Connections of the pool; default twice the concurrency, so groups do not queue. */
  connections?: number;
}): Promise<LoadResult> {
  const client = createLoadClient(options.origin, options.connections ?? options.concurrency * 2);
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let next = 0;
  const start = performance.now();
  let last = start;
  const sendOne = async (shot: Shot) => {
    const sent = performance.now();
    const status = await client.send(shot);
    last = performance.now();
    latencies.push(last - sent);
    record(statuses, status);
  };
  const sender = async () => {
    while (next < options.count) {
      const shot = options.shot(next++);
      // A group is sent at once (concurrent duplicates), and counts as one turn of this sender.
      if (Array.isArray(shot)) await Promise.all(shot.map(sendOne));
      else await sendOne(shot);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, sender));
  await client.close();
  const elapsedMs = last - start;
  return { latencies, statuses, elapsedMs, throughput: (latencies.length / elapsedMs) * 1000 };
}
