import type { IncidentStatus } from './incident.js';

/** One step of an incident's lifecycle, for the audit trail. */
export interface IncidentStatusChange {
  incidentId: string;
  /** Absent when the incident was just opened. */
  from?: IncidentStatus;
  to: IncidentStatus;
  /** When the change happened (ISO); with incidentId and to, it makes a change's identity. */
  at: string;
  /** What moved it, in words: "PagerDuty incident.acknowledged", "fix verified: …". */
  cause: string;
}

/** Incident lifecycle hooks: intake emits, other features subscribe (and the other way round). */
export interface IncidentEvents {
  onResolved(listener: (incidentId: string) => Promise<void>): void;
  /** Runs every listener; a failure fails the intake job, which is retried. */
  emitResolved(incidentId: string): Promise<void>;
  /** An incident's status changed (any of the five); listeners must be idempotent. */
  onStatusChanged(listener: (change: IncidentStatusChange) => Promise<void>): void;
  emitStatusChanged(change: IncidentStatusChange): Promise<void>;
  /**
   * A fix for the incident was verified (decisions emits it); intake marks the incident
   * mitigated when its source still fires. Listeners must be idempotent: a retried
   * verification job emits again.
   */
  onFixVerified(listener: (input: { incidentId: string; summary: string }) => Promise<void>): void;
  emitFixVerified(input: { incidentId: string; summary: string }): Promise<void>;
}

export function createIncidentEvents(): IncidentEvents {
  const resolved: ((incidentId: string) => Promise<void>)[] = [];
  const changed: ((change: IncidentStatusChange) => Promise<void>)[] = [];
  const verified: ((input: { incidentId: string; summary: string }) => Promise<void>)[] = [];
  return {
    onResolved: (listener) => {
      resolved.push(listener);
    },
    emitResolved: async (incidentId) => {
      for (const listener of resolved) await listener(incidentId);
    },
    onStatusChanged: (listener) => {
      changed.push(listener);
    },
    emitStatusChanged: async (change) => {
      for (const listener of changed) await listener(change);
    },
    onFixVerified: (listener) => {
      verified.push(listener);
    },
    emitFixVerified: async (input) => {
      for (const listener of verified) await listener(input);
    },
  };
}
