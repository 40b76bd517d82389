import type { Action } from './actions/catalog.js';
import type { CircuitBreaker } from './breaker.js';
import { inverseAction } from './actions/inverse.js';
import { decideAutoRun } from './policy.js';
import type { Proposal, TargetSnapshot } from './actions/proposal.js';
import type { RiskResult } from './actions/risk.js';
import type { AuditLog } from './audit-log.js';
import type { ChannelConfig } from '../core/config/file.js';
import type { ModeStore } from './mode-store.js';
import type { PauseSwitch } from './pause.js';
import type { Clock } from '../shared/clock.js';
import type { Logger } from '../shared/logger.js';
import type { SlackMessenger } from '../slack/messenger.js';
import { type RenderProposal, renderProposalMessage } from './messages.js';
import type { ActionConnections } from './connections.js';
import type { DecisionRecord, ProposalStore } from './proposal-store.js';
import type { DecisionLoopMetrics } from '../metrics/metrics.js';
import type { RunAsPolicy } from './run-as.js';
import { escapeMrkdwn } from '../slack/blocks/text.js';

/** The bot's own "approver" id when yolo runs something by itself. */
export const yoloActor = 'deckhand:yolo';

export type ClassifyRisk = (action: Action, input: { cluster: string; channel: string; target: TargetSnapshot | undefined }) => RiskResult;

export interface SubmitDeps {
  store: ProposalStore;
  audit: AuditLog;
  messenger: SlackMessenger;
  modes: Pick<ModeStore, 'effectiveMode'>;
  pause: Pick<PauseSwitch, 'isPaused'>;
  breaker: Pick<CircuitBreaker, 'state'>;
  channelConfig: (channel: string) => ChannelConfig;
  enqueueExecution: (proposalId: string) => Promise<void>;
  runAs: RunAsPolicy;
  log: Logger;
  /** Prometheus counters of the loop (absent in unit tests that do not look at them). */
  metrics?: DecisionLoopMetrics;
}

export type SubmitOutcome = 'auto_run' | 'awaiting_approval' | 'shown' | 'duplicate';

/**
 * The one way a proposal enters the decision loop: store it, then, by the channel's effective
 * mode and policy, run it by itself (yolo), post it with Approve / Reject, or only show it
 * (plan mode, forbidden). `allowAuto: false` always asks a human (the inverse offered after a
 * failed verification must not undo things on its own). Idempotent per proposal id: a retry
 * of a submit that stored the proposal but failed before its message was posted finishes the
 * job (see resumeUnposted); the store's state machine still decides whether it may run.
 */
export async function submitProposal(
  deps: SubmitDeps,
  proposal: Proposal,
  /** `resumeAfter` (ms): finish an already stored, unposted proposal only when it was created before this. */
  options: { allowAuto: boolean; resumeAfter?: number },
): Promise<SubmitOutcome> {
  const render = renderProposalMessage;
  if (await deps.store.save(proposal)) {
    // origin 'analyzer:crash-loop' → 'analyzer': a label of few values.
    deps.metrics?.proposals.inc({ origin: proposal.origin.split(':')[0] ?? proposal.origin, risk: proposal.risk });
    await deps.audit.append({
      type: 'proposal',
      actor: proposal.requestedBy ?? 'deckhand',
      channel: proposal.channel,
      incidentId: proposal.incidentId,
      proposalId: proposal.id,
      cluster: proposal.cluster,
      summary: `proposed ${proposal.action.type} (${proposal.risk} risk, confidence ${proposal.confidence.toFixed(2)}) from ${proposal.origin}`,
      details: { action: JSON.stringify(proposal.action) },
    });
  } else {
    const resumed = await resumeUnposted(deps, proposal, render, options.resumeAfter);
    if (resumed !== 'decide') return resumed;
  }
  const config = deps.channelConfig(proposal.channel);
  const mode = await deps.modes.effectiveMode(proposal.channel);
  const [paused, breaker] = await Promise.all([deps.pause.isPaused(), deps.breaker.state(proposal.cluster)]);
  const auto = decideAutoRun({ mode, risk: proposal.risk, confidence: proposal.confidence, yolo: config.yolo, breakerOpen: breaker.open, paused });

  if (auto.run && options.allowAuto) {
    // The store re-checks the kill switch atomically; only a real approval is announced.
    const approved = await deps.store.approve(proposal.id, yoloActor, { auto: true });
    if (approved.outcome === 'approved') return announceAutoRun(deps, proposal, render);
    deps.log.warn({ proposalId: proposal.id, outcome: approved.outcome }, 'yolo approval did not apply');
  }
  const buttons = auto.run || auto.fallback === 'approval';
  // In yolo mode, say why this one waits for a human (breaker open, paused, thresholds).
  const yoloNote = mode === 'yolo' && !auto.run ? `:raised_hand: Not running by itself: ${auto.explanation}.` : undefined;
  const accessNote = buttons ? await describeWhoMayRun(deps, proposal, config) : undefined;
  const note = [yoloNote, accessNote].filter((n) => n !== undefined).join('\n');
  await post(deps, proposal, render(proposal, { buttons, planMode: mode === 'plan', ...(note ? { note } : {}) }));
  return buttons ? 'awaiting_approval' : 'shown';
}

/**
 * With runAs approver, a proposal says before any click who of the channel's approvers the
 * cluster would let run it (SubjectAccessReviews), so nobody approves in vain. Best effort:
 * if the cluster cannot be asked, the proposal is posted without the line.
 */
async function describeWhoMayRun(deps: SubmitDeps, proposal: Proposal, config: ChannelConfig): Promise<string | undefined> {
  if (proposal.risk === 'forbidden') return undefined;
  let found;
  try {
    found = await deps.runAs.whoMayRun({ approvers: config.approvers, cluster: proposal.cluster, action: proposal.action });
  } catch (err) {
    deps.log.warn({ proposalId: proposal.id, err: err instanceof Error ? err.message : String(err) }, 'access review for the proposal failed');
    return undefined;
  }
  if (!found) return undefined;
  const needed = proposal.risk === 'high' ? 2 : 1;
  if (found.permitted.length === 0) {
    return found.mapped.length === 0
      ? ':no_entry_sign: No approver of this channel is mapped to a Kubernetes identity, so nobody here can approve it (it runs as the approver).'
      : ':no_entry_sign: The cluster would refuse this to every mapped approver of this channel: nobody here can approve it.';
  }
  const who = found.permitted.map((u) => `<@${escapeMrkdwn(u)}>`).join(', ');
  const short = found.permitted.length < needed ? ` (needs ${needed} different approvers: not enough here)` : '';
  return `:key: Runs as the approver. The cluster would let ${who} run it${short}.`;
}

/**
 * A proposal with this id is stored already. When an earlier submit stored it but failed
 * before its message was posted (a Slack outage outlasting the retries, then a retried job),
 * finish that submit instead of losing the proposal: still pending → decide again (the
 * store's approve is the guard against a second yolo run); approved by yolo → post and
 * enqueue it (execution is idempotent per proposal and guarded by the store). Anything
 * posted or decided otherwise stays a duplicate.
 */
async function resumeUnposted(deps: SubmitDeps, proposal: Proposal, render: RenderProposal, resumeAfter: number | undefined): Promise<SubmitOutcome | 'decide'> {
  const record = await deps.store.get(proposal.id);
  // A click racing the one that stored it (six people pressing Undo at once) is a duplicate:
  // only a stored proposal old enough for its own submit to have died is finished here.
  if (resumeAfter !== undefined && record && Date.parse(record.proposal.createdAt) > resumeAfter) return 'duplicate';
  if (record?.status === 'approved' && record.auto && record.proposal.messageTs !== undefined) {
    // Announced, but the attempt may have died before its execution job was queued. Queueing
    // is idempotent per proposal, and the store's state machine guards the run itself; to the
    // caller it stays a duplicate (a second Undo click is refused as before).
    await deps.enqueueExecution(proposal.id);
    return 'duplicate';
  }
  if (!record || record.proposal.messageTs !== undefined) return 'duplicate';
  if (record.status === 'pending') {
    deps.log.info({ proposalId: proposal.id }, 'posting a stored proposal whose message was never posted');
    return 'decide';
  }
  if (record.status === 'approved' && record.auto) {
    deps.log.info({ proposalId: proposal.id }, 'announcing a yolo approval whose message was never posted');
    return announceAutoRun(deps, record.proposal, render);
  }
  return 'duplicate';
}

/** After yolo's approval: the message without buttons, the execution job, the audit entry. */
async function announceAutoRun(deps: SubmitDeps, proposal: Proposal, render: RenderProposal): Promise<'auto_run'> {
  await post(deps, proposal, render(proposal, { buttons: false, note: ":robot_face: Running by itself under this channel's yolo policy." }));
  await deps.enqueueExecution(proposal.id);
  deps.metrics?.decisions.inc({ decision: 'approved', by: 'yolo', reason: '' });
  await deps.audit.append({
    type: 'approval',
    actor: yoloActor,
    channel: proposal.channel,
    incidentId: proposal.incidentId,
    proposalId: proposal.id,
    cluster: proposal.cluster,
    summary: `auto-approved ${proposal.action.type} under the yolo policy`,
  });
  return 'auto_run';
}

async function post(deps: SubmitDeps, proposal: Proposal, message: ReturnType<RenderProposal>): Promise<void> {
  const posted = await deps.messenger.post({
    channel: proposal.channel,
    ...(proposal.threadTs ? { threadTs: proposal.threadTs } : {}),
    message,
    idempotencyKey: `proposal-${proposal.id}`,
  });
  await deps.store.setMessageTs(proposal.id, posted.ts);
}

export interface FollowUpDeps extends SubmitDeps {
  connections: ActionConnections;
  classify: ClassifyRisk;
  clock: Clock;
  proposalTtlMs: number;
}

/**
 * Proposes the inverse of a proposal that ran (the Undo button, or a failed verification),
 * computed from the target as read before the run, through submitProposal. 'no_inverse' when
 * the action has none (a deleted pod cannot come back). `allowAuto: false` always asks a human.
 */
export async function proposeInverse(
  deps: FollowUpDeps,
  record: Pick<DecisionRecord, 'proposal' | 'preSnapshot'>,
  input: { kind: FollowUpInput['kind']; rationale: string; allowAuto: boolean },
): Promise<SubmitOutcome | 'no_inverse'> {
  const { proposal } = record;
  const inverse = inverseAction(proposal.action, record.preSnapshot ?? proposal.target);
  if (!inverse) return 'no_inverse';
  const target = await (await deps.connections.get(proposal.cluster)).snapshot(inverse).catch(() => undefined);
  const followUp = buildFollowUpProposal({
    parent: proposal,
    action: inverse,
    target,
    kind: input.kind,
    rationale: input.rationale,
    classify: deps.classify,
    clock: deps.clock,
    ttlMs: deps.proposalTtlMs,
  });
  // An Undo click is not a retry: a click that finds another click's undo already stored is a
  // duplicate, unless that one was stored long enough ago (30 s) for its submit to have died.
  return submitProposal(deps, followUp, { allowAuto: input.allowAuto, ...(input.kind === 'undo' ? { resumeAfter: deps.clock() - 30_000 } : {}) });
}

interface FollowUpInput {
  parent: Proposal;
  action: Action;
  target: TargetSnapshot | undefined;
  kind: 'undo' | 'inverse';
  rationale: string;
  classify: ClassifyRisk;
  clock: Clock;
  ttlMs: number;
}

/** A proposal that undoes `parent`, with a deterministic id so a retried job makes it once. */
function buildFollowUpProposal(input: FollowUpInput): Proposal {
  const { parent, action, target } = input;
  const risk = input.classify(action, { cluster: parent.cluster, channel: parent.channel, target });
  const now = input.clock();
  return {
    id: `${parent.id}-${input.kind}`,
    incidentId: parent.incidentId,
    channel: parent.channel,
    ...(parent.threadTs ? { threadTs: parent.threadTs } : {}),
    cluster: parent.cluster,
    action,
    risk: risk.risk,
    riskReasons: risk.reasons,
    // The inverse restores a known previous state; confidence is the parent's, never above it.
    confidence: parent.confidence,
    rationale: input.rationale,
    origin: input.kind,
    ...(target ? { target } : {}),
    undoOf: parent.id,
    createdAt: new Date(now).toISOString(),
    expiresAt: new Date(now + input.ttlMs).toISOString(),
  };
}
