import { createProductDeckhand } from './compose.js';
import { loadConfig } from './core/config/load.js';
import { isAppError } from './shared/errors.js';
import { createLogger } from './shared/logger.js';

/** Start-up: loadConfig → every feature and the cluster registry (src/compose.ts) → start; SIGTERM / SIGINT stop it gracefully. */
async function main(): Promise<void> {
  const config = orExit(() => loadConfig(process.env));
  const log = createLogger({ level: config.env.LOG_LEVEL });
  const deckhand = orExit(() => createProductDeckhand({ config, log, clusterEnv: process.env }));
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

/** A configuration problem prints its one message (every problem listed, no stack) and exits 1. */
function orExit<T>(build: () => T): T {
  try {
    return build();
  } catch (err) {
    process.stderr.write(`${isAppError(err) ? err.message : String(err)}\n`);
    process.exit(1);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`deckhand failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
