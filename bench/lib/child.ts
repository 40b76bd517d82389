import { spawn, type ChildProcess } from 'node:child_process';
import { openSync, closeSync, readFileSync } from 'node:fs';
import { serverEntry, type ServerRuntime } from './build.js';
import { ChildMessage, childConfigVar, type ParentMessage } from './child-protocol.js';

export interface ChildServer {
  url: string;
  port: number;
  pid: number;
  logPath: string;
  /** Peak RSS of the child so far, in MB. */
  peakRssMb(): Promise<number>;
  /** Peak RSS, V8 heap (total, used) and external memory sampled so far, and RSS now, in MB. */
  memory(): Promise<{ peakRss: number; rss: number; peakHeapTotal: number; peakHeapUsed: number; peakExternal: number }>;
  /** CPU time (user + system) the child has used so far, in µs: the difference over a run is its cost. */
  cpuMicros(): Promise<number>;
  /** Asks the child to stop gracefully; kills it after `timeoutMs`. */
  stop(timeoutMs?: number): Promise<void>;
  /** The last lines the child wrote (for failure messages). */
  logTail(lines?: number): string;
}

export interface StartChildOptions {
  /** A server entry in bench/servers (file name without extension). */
  entry: 'floor' | 'bot' | 'bare-bolt';
  /** Node flags of the child (the bot gets the V8 flags `npm start` and the image give it). */
  nodeArgs?: readonly string[];
  runtime: ServerRuntime;
  config: unknown;
  /** stdout and stderr of the child go here. */
  logPath: string;
  timeoutMs?: number;
}

/**
 * Runs a server under test in its own Node process (compiled, or through tsx), so that the
 * load generator never shares its event loop. Resolves once it listens.
 */
export async function startChildServer(options: StartChildOptions): Promise<ChildServer> {
  const entry = serverEntry(options.runtime, options.entry);
  const fd = openSync(options.logPath, 'a');
  // DECKHAND_BENCH_NODE_ARGS: extra node flags for servers under test (e.g. --cpu-prof), to investigate a figure.
  const extra = process.env.DECKHAND_BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  const args = [...(options.nodeArgs ?? []), ...extra, ...(options.runtime.kind === 'tsx' ? ['--import', import.meta.resolve('tsx'), entry] : [entry])];
  const child = spawn(process.execPath, args, {
    env: { ...process.env, [childConfigVar]: JSON.stringify(options.config) },
    stdio: ['ignore', fd, fd, 'ipc'],
  });
  closeSync(fd);
  const logTail = (lines = 20) => {
    try {
      return readFileSync(options.logPath, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
    } catch {
      return '';
    }
  };
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const listeners = new Set<(m: ChildMessage) => void>();
  child.on('message', (raw) => {
    const parsed = ChildMessage.safeParse(raw);
    if (parsed.success) for (const listener of [...listeners]) listener(parsed.data);
  });
  const next = <T extends ChildMessage['type']>(type: T, timeoutMs: number): Promise<Extract<ChildMessage, { type: T }>> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => done(new Error(`${options.entry}: no ${type} message within ${timeoutMs} ms\n${logTail()}`)), timeoutMs);
      const listener = (m: ChildMessage) => {
        if (m.type === type) done(undefined, m as Extract<ChildMessage, { type: T }>);
        else if (m.type === 'failed') done(new Error(`${options.entry} failed: ${m.message}\n${logTail()}`));
      };
      const onExit = () => done(new Error(`${options.entry} exited (code ${child.exitCode})\n${logTail()}`));
      function done(err: Error | undefined, value?: Extract<ChildMessage, { type: T }>) {
        clearTimeout(timer);
        listeners.delete(listener);
        child.off('exit', onExit);
        if (err) reject(err);
        else resolve(value!);
      }
      listeners.add(listener);
      child.once('exit', onExit);
    });
  const send = (message: ParentMessage) => {
    if (child.connected) child.send(message);
  };

  let ready: Extract<ChildMessage, { type: 'ready' }>;
  try {
    ready = await next('ready', options.timeoutMs ?? 30_000);
  } catch (err) {
    kill(child);
    await exited;
    throw err;
  }
  let stopping: Promise<void> | undefined;
  const stats = async () => {
    const answer = next('stats', 5000);
    send({ type: 'stats' });
    return answer;
  };
  const memory = async () => {
    const s = await stats();
    const mb = (n: number) => Math.round((n / 2 ** 20) * 10) / 10;
    return { peakRss: mb(s.peakRssBytes), rss: mb(s.rssBytes), peakHeapTotal: mb(s.peakHeapTotalBytes), peakHeapUsed: mb(s.peakHeapUsedBytes), peakExternal: mb(s.peakExternalBytes) };
  };
  return {
    url: `http://127.0.0.1:${ready.port}`,
    port: ready.port,
    pid: child.pid!,
    logPath: options.logPath,
    logTail,
    peakRssMb: async () => (await memory()).peakRss,
    memory,
    cpuMicros: async () => (await stats()).cpuMicros,
    stop(timeoutMs = 30_000) {
      stopping ??= (async () => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        send({ type: 'stop' });
        const timer = setTimeout(() => kill(child), timeoutMs);
        await exited;
        clearTimeout(timer);
      })();
      return stopping;
    },
  };
}

function kill(child: ChildProcess): void {
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}
