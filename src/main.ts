import { createProductDeckhand } from './compose.js';
import { type Config, loadConfig } from './config/load.js';
import { createClusterRegistry, type ClusterRegistry } from './kube/connection.js';
import { isAppError } from './shared/errors.js';
import { createLogger } from './shared/logger.js';

/** Start-up: loadConfig → cluster registry → every feature (src/compose.ts) → start; SIGTERM / SIGINT stop it gracefully. */
async function main(): Promise<void> {
  const config = orExit(() => loadConfig(process.env));
  const log = createLogger({ level: config.env.LOG_LEVEL });
  const clusters = orExit((): ClusterRegistry => createClusterRegistry({ clusters: config.file.clusters, env: process.env, log }));
  const deckhand = createProductDeckhand({ config, log, clusters });
  let stopping = false;
  const shutdown = (signal: string) => {
    // A second signal means "now": whatever was cut off is resumed by the next instance.
    if (stopping) process.exit(1);
    stopping = true;
    log.info({ signal }, 'shutdown requested');
    // Every step of stop() is bounded; this is the backstop if one is not.
    setTimeout(() => process.exit(1), hardStopMs).unref();
    deckhand.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        log.error({ err: err instanceof Error ? err.message : String(err) }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  await deckhand.start();
}

/** Shutdown waits up to 10 s for clicks and 10 s for jobs (src/app.ts), plus closing; never longer than this. */
const hardStopMs = 25_000;

/** A configuration problem prints its one message (every problem listed, no stack) and exits 1. */
function orExit<T extends Config | ClusterRegistry>(build: () => T): T {
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
