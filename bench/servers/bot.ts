import * as z from 'zod';
import { createProductDeckhand } from '../../src/compose.js';
import { loadConfig } from '../../src/core/config/load.js';
import type { DecisionsFeatureOptions } from '../../src/decisions/feature.js';
import { createLogger } from '../../src/shared/logger.js';
import { runChild } from '../lib/child-protocol.js';

/**
 * Deckhand under test: the product exactly as `npm start` composes it (every feature, the
 * real HTTP server, real Redis), configured through env and a deckhand.yaml like any
 * deployment. It logs JSON lines to stdout (the bench sends them to a file).
 */
const BotConfig = z.object({
  env: z.record(z.string(), z.string()),
  workDir: z.string(),
  redisPrefix: z.string(),
  decisions: z
    .object({
      sweepIntervalMs: z.number().optional(),
      verification: z.object({ timeoutMs: z.number().optional(), settleMs: z.number().optional(), pollMs: z.number().optional() }).optional(),
    })
    .optional(),
});

runChild(BotConfig, async ({ env, workDir, redisPrefix, decisions }) => {
  const config = loadConfig(env, { cwd: workDir });
  const log = createLogger({ level: config.env.LOG_LEVEL });
  const deckhand = createProductDeckhand({
    config,
    log,
    redisPrefix,
    clusterEnv: env,
    ...(decisions ? { decisions: stripUndefined(decisions) as DecisionsFeatureOptions } : {}),
  });
  const { port } = await deckhand.start();
  return { port, stop: () => deckhand.stop() };
});

/** exactOptionalPropertyTypes: zod's optional keys may hold undefined; the feature's may not. */
function stripUndefined(value: object): unknown {
  return JSON.parse(JSON.stringify(value));
}
