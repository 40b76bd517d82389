import type { WorkloadHealth } from './health.js';

/** What detection remembers of one workload: when it turned unhealthy / healthy, and whether an incident is open. */
export interface Track {
  unhealthySince?: number | undefined;
  healthySince?: number | undefined;
  /** An incident about this workload is open (opened by this watch, or found open at start). */
  open: boolean;
  reason: string;
}

export type Verdict = 'fire' | 'recover' | 'none';

export interface DetectionTimes {
  forMs: number;
  recoverAfterMs: number;
}

/**
 * One step of a workload's detection, at time `now`: unhealthy for `forMs` with no incident
 * open → `fire`; healthy for `recoverAfterMs` with one open → `recover`. Flapping inside
 * those windows changes nothing: the open incident stays the one thread. The caller marks
 * `open` once the fire (or recover) has been carried out, so a failed one is retried. Pure.
 */
export function stepDetection(track: Track, health: WorkloadHealth, now: number, times: DetectionTimes): Verdict {
  if (!health.healthy) {
    track.healthySince = undefined;
    track.unhealthySince ??= now;
    track.reason = health.reason;
    return !track.open && now - track.unhealthySince >= times.forMs ? 'fire' : 'none';
  }
  track.unhealthySince = undefined;
  if (!track.open) return 'none';
  track.healthySince ??= now;
  return now - track.healthySince >= times.recoverAfterMs ? 'recover' : 'none';
}

/** A track that no longer needs remembering: healthy and no incident open. */
export function isIdle(track: Track): boolean {
  return !track.open && track.unhealthySince === undefined;
}
