/**
 * What other capabilities may use of analysis: its stage's entry (enqueueAnalysis, in job.ts)
 * and the investigation kit the conversation answers with — evidence gathering, the built-in
 * analyzers, the namespace / cluster sweep over them, the Claude tool loop and its read tools.
 */
export { createAnthropicMessages, type MessagesApi } from './agent/client.js';
export { runToolLoop, totalTokens, type ToolLoopLimits } from './agent/loop.js';
export { systemPrompt } from './agent/prompt.js';
export { defaultRetryOptions, type RetryOptions } from './agent/retry.js';
export { gatherEvidence, type GatherTarget } from './gather.js';
export { targetOfIncident } from './target.js';
export { actionKey, runAnalyzers } from './run-analyzers.js';
export { readTools } from './tools/index.js';
export { sweep, defaultSweepOptions, type SweepOptions } from './sweep/sweep.js';
export { assessEvidence, causeOf, rankVerdicts, refLabel } from './sweep/verdict.js';
export { podProblem, type PodProblem } from './sweep/pod-problems.js';
export { ageSince, describeSweep, describeVerdict } from './sweep/summary.js';
export type { Health, SweepKind, SweepRef, SweepReport, UnitVerdict } from './sweep/types.js';
export type { Evidence, ProposedAction, TokenUsage } from './types.js';
