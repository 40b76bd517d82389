import { createDeckhand } from './app.js';
import { loadConfig } from './config/load.js';
import { isAppError } from './shared/errors.js';
import { createLogger } from './shared/logger.js';

/** Start-up: loadConfig → createDeckhand → start; SIGTERM / SIGINT stop it gracefully. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    // The one message that lists every problem, for the operator; no stack trace.
    process.stderr.write(`${isAppError(err) ? err.message : String(err)}\n`);
    process.exit(1);
  }
  const log = createLogger({ level: config.env.LOG_LEVEL });
  const deckhand = createDeckhand({ config, log });
  const shutdown = (signal: string) => {
    log.info({ signal }, 'shutdown requested');
    deckhand.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        log.error({ err: err instanceof Error ? err.message : String(err) }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
  await deckhand.start();
}

main().catch((err: unknown) => {
  process.stderr.write(`deckhand failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
