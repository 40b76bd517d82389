import type { V1CronJob, V1DaemonSet, V1Deployment, V1Job, V1PersistentVolumeClaim, V1Pod, V1Service, V1StatefulSet } from '@kubernetes/client-node';
import type { Finding, ProposedAction } from '../types.js';

/** What a sweep looks at, in the order its lines are ranked among equals. */
export const sweepKinds = ['Deployment', 'StatefulSet', 'DaemonSet', 'CronJob', 'Job', 'Pod', 'Service', 'PersistentVolumeClaim'] as const;
export type SweepKind = (typeof sweepKinds)[number];

export interface SweepRef {
  kind: SweepKind;
  namespace: string;
  name: string;
}

/** failing: down or broken; degraded: serving, but something is wrong; healthy: nothing seen. */
export const healths = ['failing', 'degraded', 'healthy'] as const;
export type Health = (typeof healths)[number];

/** One thing a namespace runs, with the pods (and, for a CronJob, the Jobs) that are its own. */
export type SweepUnit = { ref: SweepRef; pods: V1Pod[] } & (
  | { kind: 'Deployment'; object: V1Deployment }
  | { kind: 'StatefulSet'; object: V1StatefulSet }
  | { kind: 'DaemonSet'; object: V1DaemonSet }
  | { kind: 'Job'; object: V1Job }
  | { kind: 'CronJob'; object: V1CronJob; jobs: V1Job[] }
  | { kind: 'Pod'; object: V1Pod }
  | { kind: 'Service'; object: V1Service }
  | { kind: 'PersistentVolumeClaim'; object: V1PersistentVolumeClaim }
);

/** What the listed status alone says about a unit (no events, no logs). */
export interface Triage {
  health: Health;
  /** Why it is not healthy, in words; absent when healthy. */
  reason?: string;
  /** e.g. "2/3 ready", "completed", "Bound". */
  state?: string;
  /** When the trouble began (ms since epoch), when the status tells. */
  since?: number;
}

/** A unit's verdict: its status and, when examined, what the analyzers found. */
export interface UnitVerdict {
  ref: SweepRef;
  health: Health;
  /** The root cause in one line (the most severe finding, or what the status shows). */
  cause?: string;
  state?: string;
  since?: number;
  /** Findings that make it unhealthy (critical, warning), most severe first. */
  findings: Finding[];
  proposals: ProposedAction[];
  /** Whether its events and logs were read and the analyzers ran on them. */
  examined: boolean;
}

export interface SweepReport {
  cluster: string;
  /** Undefined: the whole cluster. */
  namespace?: string;
  /** Every unit, ranked: failing, then degraded, then healthy. */
  verdicts: UnitVerdict[];
  /** Unhealthy units left unexamined (over the sweep's bound): their cause is the status alone. */
  unexamined: number;
  /** Lists cut or refused, reads that failed. */
  notes: string[];
  /** When the sweep read the cluster (ms since epoch). */
  at: number;
}
