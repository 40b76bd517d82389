import { randomUUID } from 'node:crypto';
import type { Action } from '../../src/decisions/actions/catalog.js';
import type { Proposal } from '../../src/decisions/actions/proposal.js';
import type { ChannelConfig } from '../../src/core/config/file.js';

export const t0 = Date.parse('2026-11-21T12:00:00Z');

export function makeProposal(overrides: Partial<Proposal> = {}): Proposal {
  const action: Action = { type: 'scale', namespace: 'shop', kind: 'Deployment', name: 'web', replicas: 4 };
  return {
    id: `p-${randomUUID().slice(0, 8)}`,
    incidentId: 'inc-1',
    channel: 'C0OPS',
    threadTs: '1700000000.000100',
    cluster: 'prod',
    action,
    risk: 'medium',
    riskReasons: [],
    confidence: 0.85,
    rationale: 'pods are overloaded',
    origin: 'analyzer:test',
    target: { kind: 'Deployment', namespace: 'shop', name: 'web', generation: 3, resourceVersion: '100', current: { replicas: 2 } },
    createdAt: new Date(t0).toISOString(),
    expiresAt: new Date(t0 + 30 * 60_000).toISOString(),
    messageTs: '1700000000.000200',
    ...overrides,
  };
}

export function makeChannel(overrides: Partial<ChannelConfig> = {}): ChannelConfig {
  return {
    mode: 'approval',
    cluster: 'prod',
    namespaces: ['shop'],
    approvers: { users: ['UALICE', 'UBOB', 'UCAROL'], groups: [] },
    yolo: { maxRisk: 'medium', minConfidence: 0.8, allowHigh: false },
    protectedNamespaces: [],
    deny: [],
    ...overrides,
  };
}

/** A clock the test moves by hand. */
export function manualClock(start = t0): { now: () => number; advance: (ms: number) => void; set: (ms: number) => void } {
  let current = start;
  return {
    now: () => current,
    advance: (ms) => {
      current += ms;
    },
    set: (ms) => {
      current = ms;
    },
  };
}
