import type { ChannelMode, YoloPolicy } from '../core/config/file.js';
import { type RiskLevel, riskRank } from '../core/vocabulary.js';

/** Below this confidence nothing ever runs by itself, whatever the channel allows. */
export const autoRunConfidenceFloor = 0.7;
/** A high-risk action may run by itself only at this confidence or above (and with allowHigh). */
export const autoRunHighConfidence = 0.9;

export interface AutoRunInput {
  mode: ChannelMode;
  risk: RiskLevel;
  confidence: number;
  yolo: YoloPolicy;
  /** The cluster's circuit breaker is open. */
  breakerOpen: boolean;
  /** The kill switch is on. */
  paused: boolean;
}

export type AutoRunReason =
  | 'plan_mode'
  | 'approval_mode'
  | 'forbidden'
  | 'paused'
  | 'breaker_open'
  | 'confidence_floor'
  | 'low_confidence'
  | 'risk_above_max'
  | 'high_not_allowed'
  | 'high_low_confidence';

/**
 * What happens to a new proposal instead of running it: `approval` = Approve/Reject buttons,
 * `show` = shown without buttons (plan mode, forbidden actions).
 */
export type AutoRunFallback = 'approval' | 'show';

export type AutoRunDecision = { run: true } | { run: false; reason: AutoRunReason; fallback: AutoRunFallback; explanation: string };

/**
 * Whether a proposal runs by itself (yolo). Pure: every input is given, so the whole policy
 * is one table in its test. Order matters: the mode first, then the hard stops (forbidden,
 * pause, breaker, confidence floor), then the channel's thresholds.
 */
export function decideAutoRun(input: AutoRunInput): AutoRunDecision {
  const { mode, risk, confidence, yolo } = input;
  const no = (reason: AutoRunReason, fallback: AutoRunFallback, explanation: string): AutoRunDecision => ({
    run: false,
    reason,
    fallback,
    explanation,
  });
  if (mode === 'plan') return no('plan_mode', 'show', 'plan mode: Deckhand only proposes, nothing runs');
  if (risk === 'forbidden') return no('forbidden', 'show', 'forbidden actions can never run');
  if (mode === 'approval') return no('approval_mode', 'approval', 'approval mode: a human decides');
  if (input.paused) return no('paused', 'approval', 'Deckhand is paused (/k8s resume to allow execution again)');
  if (input.breakerOpen) {
    return no('breaker_open', 'approval', 'the circuit breaker of this cluster is open after repeated failures, so a human decides');
  }
  if (confidence < autoRunConfidenceFloor) {
    return no('confidence_floor', 'approval', `confidence ${formatConfidence(confidence)} is below ${autoRunConfidenceFloor}, which never runs by itself`);
  }
  if (risk === 'high') {
    if (yolo.maxRisk !== 'high' || !yolo.allowHigh) {
      return no('high_not_allowed', 'approval', 'high-risk actions need a human here (yolo.maxRisk: high and yolo.allowHigh: true allow them)');
    }
    if (confidence < Math.max(autoRunHighConfidence, yolo.minConfidence)) {
      return no('high_low_confidence', 'approval', `high risk runs by itself only at confidence ≥ ${Math.max(autoRunHighConfidence, yolo.minConfidence)}`);
    }
    return { run: true };
  }
  if (riskRank(risk) > riskRank(yolo.maxRisk)) {
    return no('risk_above_max', 'approval', `${risk} risk is above this channel's yolo limit (${yolo.maxRisk})`);
  }
  if (confidence < yolo.minConfidence) {
    return no('low_confidence', 'approval', `confidence ${formatConfidence(confidence)} is below this channel's ${yolo.minConfidence}`);
  }
  return { run: true };
}

function formatConfidence(confidence: number): string {
  return confidence.toFixed(2);
}
