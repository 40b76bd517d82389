import { createAnalysisFeature } from './analysis/feature.js';
import { createDeckhand, type CreateDeckhandOptions, type Deckhand } from './app.js';
import { createCommandsFeature } from './commands/feature.js';
import { createConversationFeature } from './conversation/feature.js';
import type { Feature } from './core/feature.js';
import { analysisRequests } from './analysis/job.js';
import { createDecisionsFeature, type DecisionsTuning } from './decisions/feature.js';
import { createIntakeFeature } from './intake/feature.js';
import { createClusterRegistry, type ClusterEnv } from './kube/connection.js';

export interface ProductOptions extends Omit<CreateDeckhandOptions, 'features' | 'clusters'> {
  /** Env for kubeconfig lookup and `tokenEnv` (process.env in production). */
  clusterEnv: ClusterEnv;
  /** Decision-loop tuning (tests and the demo shorten the verifier's windows). */
  decisions?: DecisionsTuning;
}

/**
 * Every feature of the product, wired through declared ports: analysis and conversation hand
 * proposals to the decision loop's port (risk, store, yolo, buttons); /k8s drives the same
 * stores through it (so a mode set by /k8s is the mode the buttons obey) and hands `ask` to
 * the conversation's port.
 */
export function createProductFeatures(options: { decisions?: DecisionsTuning } = {}): Feature[] {
  const decisions = createDecisionsFeature({ ...options.decisions, analysis: analysisRequests });
  const analysis = createAnalysisFeature({ decisions });
  const conversation = createConversationFeature({ decisions });
  const commands = createCommandsFeature({ decisions, conversation });
  return [createIntakeFeature(), decisions, analysis, conversation, commands];
}

/**
 * The product as `npm start` and `npm run demo` run it. Builds the cluster registry from
 * deckhand.yaml; an invalid cluster entry throws AppError 'config_invalid' listing every problem.
 */
export function createProductDeckhand(options: ProductOptions): Deckhand {
  const { clusterEnv, decisions, ...rest } = options;
  const clusters = createClusterRegistry({ clusters: options.config.file.clusters, env: clusterEnv });
  return createDeckhand({ ...rest, clusters, features: createProductFeatures(decisions ? { decisions } : {}) });
}
