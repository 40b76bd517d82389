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

/**
 * Events newest first, one line per event, with how many were left out. The same event on
 * sibling pods (the pods of one ReplicaSet or StatefulSet: same type, reason and message but
 * for the pod's own name and uid) shares one line: `Pod/checkout-6f7d-{a1,b2,c3}`, the newest
 * one's message, the counts summed (`x27 over 8h, 3 pods`). A namespace's events are mostly
 * such repeats, and each line costs the model the same tokens again.
 */
export function formatEvents(events: readonly CoreV1Event[], options: FormatEventsOptions = {}): string {
  const now = options.now ?? new Date();
  const limit = options.limit ?? 20;
  if (events.length === 0) return 'events: none';
  const groups = groupSiblingEvents(sortEventsNewestFirst(events));
  const shown = groups.slice(0, limit);
  const shownEvents = shown.reduce((n, g) => n + g.length, 0);
  const header = events.length > shownEvents ? `events (newest first, ${shownEvents} of ${events.length}):` : 'events (newest first):';
  const lines = shown.map((group) => `  ${formatGroupLine(group, now)}`);
  return boundHead([header, ...lines].join('\n'), options.maxChars ?? defaultMaxChars);
}

const uid = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/g;

/** A pod's siblings share its name up to the last dash (`checkout-6f7d-x1abc`, `redis-0`). */
function podFamily(name: string): string | undefined {
  const dash = name.lastIndexOf('-');
  return dash > 0 ? name.slice(0, dash) : undefined;
}

/** Sorted events in groups of the same event on sibling pods, each group in the order of its newest member. */
function groupSiblingEvents(sorted: readonly CoreV1Event[]): CoreV1Event[][] {
  const groups: CoreV1Event[][] = [];
  const byKey = new Map<string, CoreV1Event[]>();
  for (const event of sorted) {
    const { kind, name } = event.involvedObject;
    const family = kind === 'Pod' && name ? podFamily(name) : undefined;
    if (family === undefined || !name) {
      groups.push([event]);
      continue;
    }
    const message = (event.message ?? '').split(name).join('\u0000').replace(uid, '\u0001');
    const key = JSON.stringify([event.type ?? 'Normal', event.reason ?? '', family, message]);
    const group = byKey.get(key);
    if (group && !group.some((e) => e.involvedObject.name === name)) {
      group.push(event);
      continue;
    }
    const fresh = [event];
    groups.push(fresh);
    if (!group) byKey.set(key, fresh);
  }
  return groups;
}

/** One event's line, or one for the same event on several sibling pods: newest age and message, summed count, every pod. */
function formatGroupLine([newest, ...older]: readonly CoreV1Event[], now: Date): string {
  if (!newest) return '';
  if (older.length === 0) return formatEventLine(newest, now);
  const group = [newest, ...older];
  const names = group.map((e) => e.involvedObject.name ?? '?');
  const family = podFamily(newest.involvedObject.name ?? '') ?? '';
  const suffixes = names.map((n) => n.slice(family.length + 1));
  const count = group.reduce((n, e) => n + eventCount(e), 0);
  const firsts = group.map((e) => (toDate(e.firstTimestamp) ?? toDate(e.eventTime))?.getTime()).filter((t): t is number => t !== undefined);
  const first = firsts.length > 0 ? new Date(Math.min(...firsts)) : undefined;
  const seen = eventLastSeen(newest);
  const message = clip(newest.message ?? '', 400);
  return `${formatAge(seen, now)} ago  ${newest.type ?? 'Normal'}  ${newest.reason ?? '?'}  Pod/${family}-{${suffixes.join(',')}}  ${message} (x${count}${first ? ` over ${formatAge(first, now)}` : ''}, ${group.length} pods)`;
}
