import { Counter, Gauge, type Registry } from 'prom-client';

/**
 * What an operator of an acting bot alerts on: every event and state of the decision loop.
 * Counters are incremented where the event happens; the gauges read their state when
 * scraped, from sources the features register (`setSource`) once they run.
 */
export interface DecisionLoopMetrics {
  /** Proposals entering the loop, by where they came from and their computed risk. */
  readonly proposals: Counter<'origin' | 'risk'>;
  /** approved / rejected / refused / expired; `by` human or yolo; `reason` for refusals. */
  readonly decisions: Counter<'decision' | 'by' | 'reason'>;
  /** Finished runs by outcome: executed, failed, dry_run_failed, unknown, paused. */
  readonly executions: Counter<'outcome'>;
  /** Verification verdicts: verified or failed. */
  readonly verifications: Counter<'verdict'>;
  /** Failures seen by watching clusters (no alert): the watch increments it. */
  readonly detections: Counter<'cluster' | 'reason'>;
  /** Incident status changes, by the status entered. */
  readonly incidentTransitions: Counter<'status'>;
  /** Registers what a state gauge reads at scrape time. */
  setSource<K extends keyof GaugeSources>(name: K, source: GaugeSources[K]): void;
}

export interface GaugeSources {
  /** Each configured cluster and whether its breaker is open. */
  breakers: () => Promise<{ cluster: string; open: boolean }[]>;
  paused: () => Promise<boolean>;
  /** Statuses of the open incidents. */
  openIncidents: () => Promise<string[]>;
}

/** The incident statuses a gauge always reports (0 when none), so an alert on absence works. */
const openStatuses = ['triggered', 'acknowledged', 'mitigated'];

export function createDecisionLoopMetrics(registry: Registry): DecisionLoopMetrics {
  const registers = [registry];
  const sources: Partial<GaugeSources> = {};
  // A source that fails (Redis down) leaves the gauge at its last value; /readyz says why.
  const read = async <T>(source: (() => Promise<T>) | undefined): Promise<T | undefined> => {
    try {
      return source ? await source() : undefined;
    } catch {
      return undefined;
    }
  };
  new Gauge({
    name: 'deckhand_breaker_open',
    help: 'Circuit breaker per cluster: 1 open (yolo falls back to approval), 0 closed',
    labelNames: ['cluster'] as const,
    registers,
    async collect() {
      for (const { cluster, open } of (await read(sources.breakers)) ?? []) this.set({ cluster }, open ? 1 : 0);
    },
  });
  new Gauge({
    name: 'deckhand_paused',
    help: '1 while /k8s pause stops all execution, else 0',
    registers,
    async collect() {
      const paused = await read(sources.paused);
      if (paused !== undefined) this.set(paused ? 1 : 0);
    },
  });
  new Gauge({
    name: 'deckhand_incidents_open',
    help: 'Open incidents by status (triggered, acknowledged, mitigated)',
    labelNames: ['status'] as const,
    registers,
    async collect() {
      const statuses = await read(sources.openIncidents);
      if (!statuses) return;
      const counts = new Map<string, number>(openStatuses.map((s) => [s, 0]));
      for (const status of statuses) counts.set(status, (counts.get(status) ?? 0) + 1);
      for (const [status, value] of counts) this.set({ status }, value);
    },
  });
  return {
    proposals: new Counter({ name: 'deckhand_proposals_total', help: 'Proposals entering the decision loop, by origin and risk', labelNames: ['origin', 'risk'] as const, registers }),
    decisions: new Counter({
      name: 'deckhand_decisions_total',
      help: 'Decisions on proposals: approved / rejected (by human or yolo), refused clicks (by reason), expired',
      labelNames: ['decision', 'by', 'reason'] as const,
      registers,
    }),
    executions: new Counter({ name: 'deckhand_executions_total', help: 'Finished executions by outcome (executed, failed, dry_run_failed, unknown, paused)', labelNames: ['outcome'] as const, registers }),
    verifications: new Counter({ name: 'deckhand_verifications_total', help: 'Verification verdicts (verified, failed)', labelNames: ['verdict'] as const, registers }),
    detections: new Counter({ name: 'deckhand_detections_total', help: 'Failures detected by watching clusters, by cluster and reason', labelNames: ['cluster', 'reason'] as const, registers }),
    incidentTransitions: new Counter({ name: 'deckhand_incident_transitions_total', help: 'Incident status changes, by the status entered', labelNames: ['status'] as const, registers }),
    setSource(name, source) {
      sources[name] = source;
    },
  };
}
