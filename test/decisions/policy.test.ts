import { describe, expect, it } from 'vitest';
import type { RiskLevel } from '../../src/core/vocabulary.js';
import { decideAutoRun } from '../../src/decisions/policy.js';
import type { ChannelMode, YoloPolicy } from '../../src/core/config/file.js';

const defaults: YoloPolicy = { maxRisk: 'medium', minConfidence: 0.8, allowHigh: false };
const highAllowed: YoloPolicy = { maxRisk: 'high', minConfidence: 0.8, allowHigh: true };
const lowOnly: YoloPolicy = { maxRisk: 'low', minConfidence: 0.6, allowHigh: false };

type Row = [ChannelMode, RiskLevel, number, YoloPolicy, { breakerOpen?: boolean; paused?: boolean }, string];

// [mode, risk, confidence, policy, flags, expected: 'run' or the refusal reason]
const table: Row[] = [
  ['plan', 'low', 1, defaults, {}, 'plan_mode'],
  ['approval', 'low', 1, defaults, {}, 'approval_mode'],
  ['approval', 'forbidden', 1, defaults, {}, 'forbidden'],
  ['yolo', 'low', 0.8, defaults, {}, 'run'],
  ['yolo', 'medium', 0.8, defaults, {}, 'run'],
  ['yolo', 'medium', 0.79, defaults, {}, 'low_confidence'],
  ['yolo', 'low', 0.69, lowOnly, {}, 'confidence_floor'],
  ['yolo', 'low', 0.7, lowOnly, {}, 'run'],
  ['yolo', 'medium', 0.95, lowOnly, {}, 'risk_above_max'],
  ['yolo', 'high', 0.99, defaults, {}, 'high_not_allowed'],
  ['yolo', 'high', 0.99, { ...defaults, allowHigh: true }, {}, 'high_not_allowed'],
  ['yolo', 'high', 0.99, { ...highAllowed, allowHigh: false }, {}, 'high_not_allowed'],
  ['yolo', 'high', 0.89, highAllowed, {}, 'high_low_confidence'],
  ['yolo', 'high', 0.9, highAllowed, {}, 'run'],
  ['yolo', 'high', 0.92, { ...highAllowed, minConfidence: 0.95 }, {}, 'high_low_confidence'],
  ['yolo', 'forbidden', 1, highAllowed, {}, 'forbidden'],
  ['yolo', 'low', 1, defaults, { breakerOpen: true }, 'breaker_open'],
  ['yolo', 'low', 1, defaults, { paused: true }, 'paused'],
  ['yolo', 'low', 0.5, { ...defaults, minConfidence: 0 }, {}, 'confidence_floor'],
];

describe('decideAutoRun', () => {
  it.each(table)('%s mode, %s risk, confidence %s → expected outcome (row %#)', (mode, risk, confidence, yolo, flags, expected) => {
    const decision = decideAutoRun({ mode, risk, confidence, yolo, breakerOpen: flags.breakerOpen ?? false, paused: flags.paused ?? false });
    expect(decision.run ? 'run' : decision.reason).toBe(expected);
  });

  it('shows plan-mode and forbidden proposals without buttons, and falls back to approval otherwise', () => {
    const base = { confidence: 1, yolo: defaults, breakerOpen: false, paused: false };
    expect(decideAutoRun({ ...base, mode: 'plan', risk: 'low' })).toMatchObject({ fallback: 'show' });
    expect(decideAutoRun({ ...base, mode: 'yolo', risk: 'forbidden' })).toMatchObject({ fallback: 'show' });
    expect(decideAutoRun({ ...base, mode: 'yolo', risk: 'low', breakerOpen: true })).toMatchObject({ fallback: 'approval' });
    const breaker = decideAutoRun({ ...base, mode: 'yolo', risk: 'low', breakerOpen: true });
    expect(!breaker.run && breaker.explanation).toContain('circuit breaker');
  });
});
