import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { createLogger, isAppError } from '../shared/product.js';
import { formatBanner, formatSentAlerts } from './banner.js';
import { startDemo, type Demo } from './start-demo.js';

const usage = `npm run demo [-- --port <ui port>] [--time-scale <n>] [--no-alerts]

  --port <p>         port of the local Slack page (default: DEMO_PORT, else a free port)
  --time-scale <n>   simulated seconds per real second in the sandbox cluster (default 4)
  --no-alerts        start everything but send no sample alerts
Environment: REDIS_URL (use this Redis instead of a private redis-server), ANTHROPIC_API_KEY
(add Claude to the built-in analyzers), LOG_LEVEL (the bot's log level, default warn).`;

function parsePort(value: string | undefined, what: string): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`${what} must be a port number (0-65535), got "${value}"`);
  return port;
}

/** `npm run demo`: the whole product offline, until Ctrl-C (SIGINT) or SIGTERM. */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      'time-scale': { type: 'string' },
      'no-alerts': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    return;
  }
  const uiPort = parsePort(values.port, '--port') ?? parsePort(process.env.DEMO_PORT, 'DEMO_PORT');
  const timeScale = values['time-scale'] === undefined ? undefined : Number(values['time-scale']);
  if (timeScale !== undefined && !(timeScale >= 1 && timeScale <= 1000)) throw new Error(`--time-scale must be a number from 1 to 1000, got "${values['time-scale']}"`);
  const logLevel = process.env.LOG_LEVEL?.trim() || 'warn';
  const log = createLogger({ level: logLevel, name: 'deckhand-demo', destination: process.stderr });

  // Set once startDemo returns; the signal handler may run before that.
  const running: { demo?: Demo } = {};
  let signals = 0;
  let firstSignalAt = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    signals += 1;
    // The same Ctrl-C may arrive twice (from the terminal and relayed by a wrapper): only a
    // signal well after the first one means "stop at once".
    if (signals > 1 && Date.now() - firstSignalAt < 1000) return;
    if (signals > 1) {
      // A second Ctrl-C: leave now. The redis-server guard stops Redis when we are gone.
      process.stderr.write('Stopping at once.\n');
      if (running.demo) rmSync(dirname(running.demo.configPath), { recursive: true, force: true });
      process.exit(130);
    }
    firstSignalAt = Date.now();
    process.stdout.write(`\n${signal}: stopping the bot, the sandboxes and Redis…\n`);
    // While starting, main() stops what was started once startDemo returns.
    if (!running.demo) return;
    // Workers finish the jobs they are running (a verification waits out its settle window).
    setTimeout(() => process.stdout.write('Waiting for running jobs to finish (at most ~20 s); press Ctrl-C again to stop at once.\n'), 2000).unref();
    running.demo.stop().then(
      () => {
        process.stdout.write('Demo stopped.\n');
        process.exit(0);
      },
      (err: unknown) => {
        process.stderr.write(`demo did not stop cleanly: ${err instanceof Error ? err.message : String(err)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  process.stdout.write('Starting the Deckhand demo: redis-server, sandbox cluster, local Slack, bot…\n');
  const demo = await startDemo({ ...(uiPort === undefined ? {} : { uiPort }), ...(timeScale === undefined ? {} : { timeScale }), logLevel, log });
  running.demo = demo;
  if (signals > 0) {
    // Ctrl-C arrived while starting: the handler found nothing to stop yet.
    await demo.stop();
    process.stdout.write('Demo stopped.\n');
    process.exit(0);
  }
  process.stdout.write(formatBanner(demo));
  if (!values['no-alerts']) {
    try {
      process.stdout.write(formatSentAlerts(await demo.fireAlerts()));
    } catch (err) {
      process.stderr.write(`could not send the sample alerts: ${err instanceof Error ? err.message : String(err)}\n`);
    }
  }
}

main().catch((err: unknown) => {
  const inUse = (err as NodeJS.ErrnoException | undefined)?.code === 'EADDRINUSE';
  const message = inUse
    ? `${(err as Error).message}: that port is taken; choose another with --port <p> or DEMO_PORT, or leave both unset for a free one`
    : isAppError(err) || err instanceof Error
      ? err.message
      : String(err);
  process.stderr.write(`demo failed to start: ${message}\n`);
  process.exit(1);
});
