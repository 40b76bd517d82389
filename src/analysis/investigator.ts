import type { Incident } from '../core/incident.js';
import type { ClusterReader } from '../kube/reader.js';
import type { AnalyzerResult, Evidence, ProposedAction, TokenUsage } from './types.js';

export interface InvestigationInput {
  incident: Incident;
  cluster: string;
  reader: ClusterReader;
  evidence: Evidence;
  /** The built-in analyzers' result: seeds the first message. */
  seed: AnalyzerResult;
  /** Namespaces the channel may act on (told to the model; enforced by classifyRisk). */
  allowedNamespaces: readonly string[];
}

export interface InvestigationResult {
  /** The model's closing summary and any other text it wrote (posted as findings text). */
  text: string;
  /** Valid catalog proposals (risk not yet computed). */
  proposals: ProposedAction[];
  /** Why each invalid propose_action call was refused. */
  rejected: string[];
  usage: TokenUsage;
  /** Set when a bound stopped the loop: which one. */
  stopped?: string;
}

/**
 * An AI investigator (Claude in src/analysis/agent/). Throws AppError('unavailable' |
 * 'rate_limited' | 'timeout') when the model cannot be reached after its retries; the
 * analysis then posts the analyzers' result and says the AI analysis is unavailable.
 */
export interface Investigator {
  investigate(input: InvestigationInput): Promise<InvestigationResult>;
}
