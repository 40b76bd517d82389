import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { findFreePort } from '../shared/net.js';
import { AppError } from '../shared/product.js';

export interface DemoRedis {
  url: string;
  /** pid of redis-server itself (not of its guard shell). */
  pid: number;
  /** Stops redis-server and waits until it has exited. Safe to call twice. */
  stop(): Promise<void>;
}

export interface StartRedisOptions {
  /** Working directory of redis-server (it writes nothing there: persistence is off). */
  dir: string;
  /** Default: a free port on 127.0.0.1. */
  port?: number;
  /** How long to wait for the first PONG; default 10 s. */
  timeoutMs?: number;
  /** Binary to run; default `redis-server` from PATH. */
  binary?: string;
  /** More redis-server options, after the defaults (the bench turns AOF on: `--appendonly yes`). */
  extraArgs?: readonly string[];
}

/** How to get redis-server, for the message shown when it is missing. */
export const redisInstallHint =
  'redis-server was not found on PATH. Install it (Debian/Ubuntu: `sudo apt-get install redis-server`, ' +
  'Fedora: `sudo dnf install redis`, macOS: `brew install redis`), or point REDIS_URL at a Redis the demo may use.';

/*
 * redis-server runs under a tiny guard shell in its own process group: Ctrl-C in the terminal
 * reaches only the demo (which then shuts the bot down while Redis still answers), and when
 * the demo dies in any way — even SIGKILL — the guard's stdin reaches EOF and it stops Redis,
 * so no redis-server outlives the demo. The guard prints redis-server's pid first.
 */
const guardScript = [
  // Keep our pipe as fd 3: an asynchronous list would otherwise get /dev/null as stdin.
  'exec 3<&0',
  '"$0" "$@" <&- 3<&- &',
  'pid=$!',
  'echo "pid $pid"',
  // The watcher returns on EOF: the demo closed the pipe, or died.
  '{ read _line <&3; kill -TERM "$pid" 2>/dev/null; } &',
  'watcher=$!',
  'wait "$pid"',
  'code=$?',
  'kill "$watcher" 2>/dev/null',
  'exit "$code"',
].join('\n');

/**
 * Starts a private, non-persistent redis-server on 127.0.0.1 and waits until it answers.
 * A free port picked for it may be taken in between: then it tries another, twice.
 */
export async function startRedisServer(options: StartRedisOptions): Promise<DemoRedis> {
  const binary = options.binary ?? 'redis-server';
  if (!(await isOnPath(binary))) throw new AppError('config_invalid', redisInstallHint, { retryable: false });
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(binary, options.port ?? (await findFreePort()), options);
    } catch (err) {
      if (options.port !== undefined || attempt >= 3 || !/Address already in use/.test(String(err))) throw err;
    }
  }
}

async function startOnce(binary: string, port: number, options: StartRedisOptions): Promise<DemoRedis> {
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', options.dir, '--protected-mode', 'yes', ...(options.extraArgs ?? [])];
  const guard = spawn('sh', ['-c', guardScript, binary, ...args], { detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-4000);
  };
  guard.stdout.on('data', collect);
  guard.stderr.on('data', collect);
  const exited = new Promise<void>((resolve) => guard.once('exit', () => resolve()));
  let gone = false;
  void exited.then(() => (gone = true));

  const stop = once(async () => {
    if (!gone) {
      guard.stdin.end();
      await Promise.race([exited, delay(5000)]);
    }
    if (!gone) killGroup(guard);
    await exited;
  });

  try {
    const pid = await readPid(guard, () => output, () => gone, options.timeoutMs ?? 10_000);
    await waitForOwnServer(port, pid, () => gone, () => output, options.timeoutMs ?? 10_000);
    return { url: `redis://127.0.0.1:${port}`, pid, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

function once(fn: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined;
  return () => (running ??= fn());
}

function killGroup(child: ChildProcess): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

/** Whether a process with this pid exists (signal 0 only checks). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

async function readPid(guard: ChildProcess, output: () => string, gone: () => boolean, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const match = /^pid (\d+)$/m.exec(output());
    if (match?.[1]) return Number(match[1]);
    if (gone() || Date.now() > deadline) throw startFailure(output(), guard.exitCode);
    await delay(10);
  }
}

/** Waits until the server on `port` is ours (another Redis may already hold the port). */
async function waitForOwnServer(port: number, pid: number, gone: () => boolean, output: () => string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if ((await redisProcessId(port)) === pid) return;
    if (gone() || Date.now() > deadline) throw startFailure(output(), null);
    await delay(25);
  }
}

function startFailure(output: string, exitCode: number | null): AppError {
  const tail = output.trim().split('\n').slice(-5).join('\n');
  return new AppError('unavailable', `redis-server did not start${exitCode === null ? '' : ` (exit code ${exitCode})`}${tail ? `:\n${tail}` : ''}`, {
    retryable: false,
  });
}

/** The `process_id` of the Redis answering on 127.0.0.1:port, or undefined when none answers. */
export function redisProcessId(port: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    let answer = '';
    const done = (pid: number | undefined) => {
      socket.destroy();
      resolve(pid);
    };
    socket.setTimeout(1000, () => done(undefined));
    socket.on('connect', () => socket.write('INFO server\r\n'));
    socket.on('data', (chunk: Buffer) => {
      answer += chunk.toString('utf8');
      const match = /process_id:(\d+)/.exec(answer);
      if (match?.[1]) done(Number(match[1]));
      else if (answer.startsWith('-') && answer.includes('\r\n')) done(undefined);
    });
    socket.on('error', () => done(undefined));
    socket.on('close', () => done(undefined));
  });
}


/** Whether `command -v binary` finds it (absolute paths are checked as given). */
function isOnPath(binary: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = spawn('sh', ['-c', 'command -v "$0" >/dev/null 2>&1', binary], { stdio: 'ignore' });
    probe.on('error', () => resolve(false));
    probe.on('exit', (code) => resolve(code === 0));
  });
}

export { findFreePort };
