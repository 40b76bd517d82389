import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { waitFor } from '../../sandbox/shared/wait.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

export interface BotProcess {
  child: ChildProcess;
  /** Everything the process wrote (pino JSON lines). */
  output(): string;
  exited: Promise<number | null>;
  /** Sends the signal and waits for the exit. */
  stop(signal: NodeJS.Signals): Promise<number | null>;
}

/**
 * Starts the real bot (test/helpers/fault-bot.ts, composed like src/main.ts) in a child
 * process with only the given env, and waits until it listens.
 */
export async function startBotProcess(env: Record<string, string>): Promise<BotProcess> {
  let output = '';
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/helpers/fault-bot.ts'], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const bot: BotProcess = {
    child,
    output: () => output,
    exited,
    async stop(signal) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
  try {
    await waitFor(() => output.includes('deckhand listening') || child.exitCode !== null, { timeoutMs: 90_000, message: 'the bot did not start listening' });
  } catch (err) {
    await bot.stop('SIGKILL');
    throw err;
  }
  if (child.exitCode !== null) throw new Error(`the bot exited at start-up:\n${output.slice(-2000)}`);
  return bot;
}
