import type { CoreV1Event } from '@kubernetes/client-node';
import { boundHead, clip, defaultMaxChars, type BoundOptions } from './bound.js';
import { eventCount, eventLastSeen, formatAge, sortEventsNewestFirst, toDate } from './time.js';

export interface FormatEventsOptions extends BoundOptions {
  /** Most events shown (newest kept). Default 20. */
  limit?: number;
  now?: Date;
}

/** One event on one line: age, type, reason, object, message, repeat count. */
export function formatEventLine(event: CoreV1Event, now: Date): string {
  const seen = eventLastSeen(event);
  const object = `${event.involvedObject.kind ?? '?'}/${event.involvedObject.name ?? '?'}`;
  const count = eventCount(event);
  const first = toDate(event.firstTimestamp) ?? toDate(event.eventTime);
  const repeated = count > 1 ? ` (x${count}${first ? ` over ${formatAge(first, now)}` : ''})` : '';
  const message = clip(event.message ?? '', 400);
  return `${formatAge(seen, now)} ago  ${event.type ?? 'Normal'}  ${event.reason ?? '?'}  ${object}  ${message}${repeated}`;
}

/** Events newest first, one per line, with how many were left out. */
export function formatEvents(events: readonly CoreV1Event[], options: FormatEventsOptions = {}): string {
  const now = options.now ?? new Date();
  const limit = options.limit ?? 20;
  if (events.length === 0) return 'events: none';
  const sorted = sortEventsNewestFirst(events).slice(0, limit);
  const header = events.length > sorted.length ? `events (newest first, ${sorted.length} of ${events.length}):` : 'events (newest first):';
  const lines = sorted.map((event) => `  ${formatEventLine(event, now)}`);
  return boundHead([header, ...lines].join('\n'), options.maxChars ?? defaultMaxChars);
}
