import type { Action } from '../decisions/actions/catalog.js';
import type { Proposal, TargetSnapshot } from '../decisions/actions/proposal.js';
import { classifyRisk } from '../decisions/actions/risk.js';
import type { ChannelConfig, DenyRule, ServiceMapping } from '../core/config/file.js';
import type { Incident } from '../core/incident.js';
import type { ClusterReader } from '../kube/reader.js';
import type { Clock } from '../shared/clock.js';
import { isAppError } from '../shared/errors.js';
import { redactText } from '../shared/redact.js';
import type { Logger } from '../shared/logger.js';
import { defaultGatherLimits, gatherEvidence, type GatherLimits } from './gather.js';
import type { Investigator } from './investigator.js';
import { dedupeProposals, runAnalyzers } from './run-analyzers.js';
import { targetOfIncident } from './target.js';
import type { AiStatus, Analyzer, Finding, ProposedAction, TokenUsage } from './types.js';

/** Proposals posted per analysis at most; more would bury the thread. */
export const maxProposalsPerAnalysis = 5;

export interface AnalysisPolicy {
  /** Global extra protected namespaces (policy.protectedNamespaces + the cluster's own). */
  protectedNamespaces: readonly string[];
  deny: readonly DenyRule[];
  proposalTtlMinutes: number;
}

export interface AnalyzeDeps {
  reader(cluster: string): ClusterReader;
  channel: ChannelConfig;
  policy: AnalysisPolicy;
  /** pagerduty.services of deckhand.yaml. */
  services?: Record<string, ServiceMapping>;
  investigator?: Investigator | undefined;
  /** B's snapshotTarget for the cluster; undefined when the target cannot be read. */
  snapshot(cluster: string, action: Action): Promise<TargetSnapshot | undefined>;
  clock: Clock;
  /** Id of a new proposal; the worker makes it stable per job so a retry re-uses it. */
  idFactory(proposed: ProposedAction): string;
  analyzers?: readonly Analyzer[];
  gatherLimits?: GatherLimits;
  log?: Logger;
}

export interface AnalysisOutcome {
  cluster: string;
  findings: Finding[];
  proposals: Proposal[];
  usage?: TokenUsage;
  aiStatus: AiStatus;
  aiText?: string;
  /** Model proposals refused by validation, with the reason. */
  rejected: string[];
  notes: string[];
}

/**
 * The whole analysis of one incident: resolve the target, gather evidence, run the
 * built-in analyzers, let the investigator (Claude) dig further when configured, then turn
 * every proposed action into a Proposal whose risk is computed here, by code.
 */
export async function analyzeIncident(incident: Incident, deps: AnalyzeDeps): Promise<AnalysisOutcome> {
  const { cluster: labelled, target } = targetOfIncident(incident, deps.services);
  const cluster = labelled ?? deps.channel.cluster;
  const notes: string[] = [];
  let reader: ClusterReader;
  try {
    reader = deps.reader(cluster);
  } catch (err) {
    notes.push(`cluster ${cluster} is not configured: ${err instanceof Error ? err.message : String(err)}`);
    return { cluster, findings: [], proposals: [], aiStatus: { state: 'disabled' }, rejected: [], notes };
  }
  const evidence = await gatherEvidence(reader, target, deps.gatherLimits ?? defaultGatherLimits);
  notes.push(...evidence.notes);
  const now = deps.clock();
  const seed = runAnalyzers(evidence, now, deps.analyzers);

  let aiStatus: AiStatus = { state: 'disabled' };
  let usage: TokenUsage | undefined;
  let aiText: string | undefined;
  let rejected: string[] = [];
  let proposed: ProposedAction[] = seed.proposals;
  if (deps.investigator) {
    try {
      const result = await deps.investigator.investigate({
        incident,
        cluster,
        reader,
        evidence,
        seed,
        allowedNamespaces: deps.channel.namespaces,
      });
      usage = result.usage;
      aiText = redactText(result.text);
      rejected = result.rejected;
      aiStatus = result.stopped === undefined ? { state: 'ok' } : { state: 'stopped', reason: result.stopped };
      proposed = dedupeProposals([...seed.proposals, ...result.proposals]);
    } catch (err) {
      const reason = isAppError(err) ? err.message : 'unexpected error';
      deps.log?.warn({ incidentId: incident.id, code: isAppError(err) ? err.code : undefined }, 'ai investigation failed');
      aiStatus = { state: 'unavailable', reason };
    }
  }
  if (proposed.length > maxProposalsPerAnalysis) notes.push(`${proposed.length - maxProposalsPerAnalysis} further proposal(s) left out`);

  const proposals: Proposal[] = [];
  for (const p of proposed.slice(0, maxProposalsPerAnalysis)) {
    proposals.push(await toProposal(incident, cluster, p, deps, now, notes));
  }
  const outcome: AnalysisOutcome = { cluster, findings: seed.findings, proposals, aiStatus, rejected, notes };
  if (usage) outcome.usage = usage;
  if (aiText !== undefined) outcome.aiText = aiText;
  return outcome;
}

async function toProposal(incident: Incident, cluster: string, p: ProposedAction, deps: AnalyzeDeps, now: number, notes: string[]): Promise<Proposal> {
  let target: TargetSnapshot | undefined;
  try {
    target = await deps.snapshot(cluster, p.action);
  } catch (err) {
    notes.push(`could not snapshot the target of ${p.action.type}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const risk = classifyRisk(p.action, {
    cluster,
    channel: deps.channel,
    protectedNamespaces: deps.policy.protectedNamespaces,
    deny: deps.policy.deny,
    target,
  });
  const proposal: Proposal = {
    id: deps.idFactory(p),
    incidentId: incident.id,
    channel: incident.channel ?? '',
    cluster,
    action: p.action,
    risk: risk.risk,
    riskReasons: risk.reasons,
    confidence: Math.max(0, Math.min(1, p.confidence)),
    rationale: p.rationale,
    origin: p.origin,
    createdAt: new Date(now).toISOString(),
    expiresAt: new Date(now + deps.policy.proposalTtlMinutes * 60_000).toISOString(),
  };
  if (incident.threadTs !== undefined) proposal.threadTs = incident.threadTs;
  if (target) proposal.target = target;
  return proposal;
}
