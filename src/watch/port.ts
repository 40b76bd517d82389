import type { InformerState } from './informer.js';

/** The watch of one cluster as this process sees it. */
export interface WatchStatus {
  cluster: string;
  /** leader: this process watches; follower: another replica holds the Lease; off: detection disabled. */
  role: 'leader' | 'follower' | 'off';
  /** The replica holding the cluster's Lease, when known. */
  holder: string | undefined;
  informers: InformerState[];
  reconnects: number;
  relists: number;
  workloads: number;
  pods: number;
  failing: number;
  open: number;
  lastError: string | undefined;
}

/** What other capabilities may use of the watch: its state, for `/k8s clusters`. */
export interface WatchStatusProvider {
  status(): WatchStatus[];
}

/** One line for `/k8s clusters`: "watching 1234 pods, 2 failing, 3 reconnects". Pure. */
export function describeWatch(status: WatchStatus): string {
  if (status.role === 'off') return 'not watched';
  if (status.role === 'follower') return `watched by another replica${status.holder ? ` (${status.holder})` : ''}`;
  const phases = new Set(status.informers.map((i) => i.phase));
  const phase = phases.has('backoff') ? 'reconnecting' : phases.has('listing') ? 'listing' : 'watching';
  const problem = phase === 'reconnecting' && status.lastError ? `; last error: ${status.lastError}` : '';
  return `${phase} ${status.workloads} workloads, ${status.pods} pods; ${status.failing} failing, ${status.open} open; ${status.reconnects} reconnects, ${status.relists} relists${problem}`;
}
