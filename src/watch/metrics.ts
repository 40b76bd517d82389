import { Counter, Gauge, type Registry } from 'prom-client';
import type { WatchStatus } from './port.js';

export interface WatchMetrics {
  reconnects: Counter<'cluster' | 'resource'>;
  relists: Counter<'cluster' | 'resource'>;
  detections: Counter<'cluster' | 'outcome'>;
}

/** The watch's series on the app's registry; gauges are read from the live status at scrape time. */
export function createWatchMetrics(registry: Registry, status: () => WatchStatus[]): WatchMetrics {
  const registers = [registry];
  new Gauge({
    name: 'deckhand_watch_leader',
    help: 'Whether this replica holds the cluster watch Lease (1) or not (0)',
    labelNames: ['cluster'] as const,
    registers,
    collect() {
      this.reset();
      for (const s of status()) this.set({ cluster: s.cluster }, s.role === 'leader' ? 1 : 0);
    },
  });
  new Gauge({
    name: 'deckhand_watch_up',
    help: 'Watches of this replica that are open (1) or listing / backing off (0), per resource',
    labelNames: ['cluster', 'resource', 'namespace'] as const,
    registers,
    collect() {
      this.reset();
      for (const s of status()) for (const i of s.informers) this.set({ cluster: s.cluster, resource: i.resource, namespace: i.namespace ?? '*' }, i.phase === 'watching' ? 1 : 0);
    },
  });
  new Gauge({
    name: 'deckhand_watch_objects',
    help: 'Trimmed objects held by the watch, per resource',
    labelNames: ['cluster', 'resource'] as const,
    registers,
    collect() {
      this.reset();
      for (const s of status()) {
        const sums = new Map<string, number>();
        for (const i of s.informers) sums.set(i.resource, (sums.get(i.resource) ?? 0) + i.objects);
        for (const [resource, n] of sums) this.set({ cluster: s.cluster, resource }, n);
      }
    },
  });
  return {
    reconnects: new Counter({ name: 'deckhand_watch_reconnects_total', help: 'Watches resumed after a drop, a timeout or an error', labelNames: ['cluster', 'resource'] as const, registers }),
    relists: new Counter({ name: 'deckhand_watch_relists_total', help: 'Full lists after the first (410 Gone or a failed resume)', labelNames: ['cluster', 'resource'] as const, registers }),
    detections: new Counter({ name: 'deckhand_watch_detections_total', help: 'Watched workloads that opened (fired) or recovered an incident', labelNames: ['cluster', 'outcome'] as const, registers }),
  };
}
