/**
 * The product as `npm start` composes it (src/main.ts: loadConfig → cluster registry →
 * createProductDeckhand → start; SIGTERM stops it gracefully), for fault tests that kill it
 * as a child process. Two settings the product takes as composition options rather than
 * env come from env here, as the demo passes them: FAULT_REDIS_PREFIX (tests share one
 * Redis) and FAULT_VERIFY_SETTLE_MS (the verifier's settle window; the product's is 10 s).
 */
import { createProductDeckhand } from '../../src/compose.js';
import { loadConfig } from '../../src/config/load.js';
import { createClusterRegistry } from '../../src/kube/connection.js';
import { createLogger } from '../../src/shared/logger.js';

const config = loadConfig(process.env);
const log = createLogger({ level: config.env.LOG_LEVEL });
const clusters = createClusterRegistry({ clusters: config.file.clusters, env: process.env, log });
const settleMs = Number(process.env.FAULT_VERIFY_SETTLE_MS ?? 10_000);
const deckhand = createProductDeckhand({
  config,
  log,
  clusters,
  redisPrefix: process.env.FAULT_REDIS_PREFIX ?? 'deckhand',
  decisions: { verification: { settleMs, pollMs: 200, timeoutMs: 60_000 } },
});
// As src/main.ts: stop() is bounded step by step; 25 s is the backstop.
const shutdown = (signal: string) => {
  log.info({ signal }, 'shutdown requested');
  setTimeout(() => process.exit(1), 25_000).unref();
  deckhand.stop().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.once('SIGTERM', () => shutdown('SIGTERM'));
await deckhand.start();
