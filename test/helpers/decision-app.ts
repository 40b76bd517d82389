import { analysisRequests } from '../../src/analysis/job.js';
import { createAnalysisFeature } from '../../src/analysis/feature.js';
import { createDecisionsFeature, type DecisionsFeature } from '../../src/decisions/feature.js';
import type { SlackSandboxOptions } from '../../sandbox/slack/index.js';
import { startTestApp, type TestApp, type TestClusters } from './app.js';

/**
 * The decision-flow tests' app: intake, analysis and the decision loop over the sandbox
 * cluster, with a verifier that waits up to 30 s for the workload to heal.
 */
export async function startDecisionApp(options: { yaml: string; clusters: TestClusters; slackOptions: SlackSandboxOptions }): Promise<{ app: TestApp; decisions: DecisionsFeature }> {
  const decisions = createDecisionsFeature({ analysis: analysisRequests, sweepIntervalMs: 0, verification: { timeoutMs: 30_000, settleMs: 500, pollMs: 100 } });
  const app = await startTestApp({ ...options, features: [decisions, createAnalysisFeature({ decisions })] });
  return { app, decisions };
}
