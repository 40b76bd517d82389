import type { CoreV1Event } from '@kubernetes/client-node';

/** client-node gives Dates; objects built by hand or parsed from JSON give strings. */
export function toDate(value: Date | string | null | undefined): Date | undefined {
  if (value === null || value === undefined) return undefined;
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** How far ahead of our clock a timestamp may be and still read as "now" (API times are whole seconds). */
const skewToleranceMs = 2000;

/**
 * kubectl-style age: 45s, 3m, 2h, 4d, measured from `now` (the wall clock). A time ahead of it
 * (a cluster clock running fast) reads "?": a clamped "0s" would be wrong and look right.
 */
export function formatAge(value: Date | string | null | undefined, now: Date): string {
  const date = toDate(value);
  if (!date || date.getTime() - now.getTime() > skewToleranceMs) return '?';
  const seconds = Math.max(0, Math.floor((now.getTime() - date.getTime()) / 1000));
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 120) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours}h`;
  return `${Math.floor(hours / 24)}d`;
}

export function formatTimestamp(value: Date | string | null | undefined): string {
  const date = toDate(value);
  return date ? date.toISOString().replace(/\.\d{3}Z$/, 'Z') : '?';
}

/**
 * When an event was last seen. Accepts both shapes: core/v1 (`lastTimestamp`, `count`) and
 * events.k8s.io written through core/v1 (`eventTime`, `series`, null timestamps).
 */
export function eventLastSeen(event: CoreV1Event): Date | undefined {
  return (
    toDate(event.series?.lastObservedTime) ??
    toDate(event.lastTimestamp) ??
    toDate(event.eventTime) ??
    toDate(event.firstTimestamp) ??
    toDate(event.metadata.creationTimestamp)
  );
}

export function eventCount(event: CoreV1Event): number {
  return Math.max(event.series?.count ?? 0, event.count ?? 0, 1);
}

/** Newest first; events without any time go last. */
export function sortEventsNewestFirst(events: readonly CoreV1Event[]): CoreV1Event[] {
  return [...events].sort((a, b) => (eventLastSeen(b)?.getTime() ?? 0) - (eventLastSeen(a)?.getTime() ?? 0));
}
