/** Incident lifecycle hooks: intake emits, other features subscribe. */
export interface IncidentEvents {
  onResolved(listener: (incidentId: string) => Promise<void>): void;
  /** Runs every listener; a failure fails the intake job, which is retried. */
  emitResolved(incidentId: string): Promise<void>;
}

export function createIncidentEvents(): IncidentEvents {
  const resolved: ((incidentId: string) => Promise<void>)[] = [];
  return {
    onResolved: (listener) => {
      resolved.push(listener);
    },
    emitResolved: async (incidentId) => {
      for (const listener of resolved) await listener(incidentId);
    },
  };
}
