/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-argument -- the simulated API handles Kubernetes wire JSON, whose shapes vary by kind */
import { randomHex } from '../names.js';
import type { SimClock } from '../sim-clock.js';
import type { ObjectStore } from '../store.js';
import type { KubeObject } from '../types.js';

export interface EventInput {
  involved: KubeObject;
  reason: string;
  message: string;
  type: 'Normal' | 'Warning';
  component: string;
  host?: string;
  fieldPath?: string;
  /** Absolute count (for events derived from a counter); omitted: each call counts one more. */
  count?: number;
  /** Distinguishes events with the same reason whose message changes (default: the message). */
  key?: string;
  /** When the first occurrence happened (seeded pods have a past); default now. */
  firstAt?: number;
  /** Written through events.k8s.io/v1 (the scheduler): eventTime and series instead of timestamps. */
  seriesStyle?: boolean;
}

export interface EventRecorder {
  record(input: EventInput): void;
}

function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

/** Writes core/v1 Events like kubelet and controllers do: one object per (object, reason, message), counted. */
export function createEventRecorder(store: ObjectStore, clock: SimClock): EventRecorder {
  // Per key: the event's name and what was last written, so unchanged counts cost nothing.
  const names = new Map<string, { name: string; count: number; message: string }>();
  return {
    record(input) {
      const o = input.involved;
      const ns = o.metadata.namespace ?? 'default';
      const key = `${o.metadata.uid}/${input.reason}/${input.key ?? input.message}`;
      const known = names.get(key);
      if (known && input.count !== undefined && known.count === input.count && known.message === input.message) return;
      const existing = known ? store.get('events', ns, known.name) : undefined;
      const now = clock.now();
      if (existing && known) {
        const count = input.count ?? (existing.count ?? existing.series?.count ?? 1) + 1;
        const previous = existing.series ? existing.series.count : existing.count;
        if (count === previous && existing.message === input.message) return;
        if (input.seriesStyle) existing.series = { count, lastObservedTime: microTime(now) };
        else {
          existing.count = count;
          existing.lastTimestamp = clock.iso(now);
        }
        existing.message = input.message;
        names.set(key, { name: known.name, count, message: input.message });
        store.update('events', existing);
        return;
      }
      if (input.count === 0) return;
      const name = `${o.metadata.name}.${randomHex(16)}`;
      const count = input.count ?? 1;
      names.set(key, { name, count, message: input.message });
      const involvedObject = {
        kind: o.kind,
        namespace: ns,
        name: o.metadata.name,
        uid: o.metadata.uid,
        apiVersion: o.apiVersion,
        resourceVersion: o.metadata.resourceVersion,
        ...(input.fieldPath ? { fieldPath: input.fieldPath } : {}),
      };
      const base = { apiVersion: 'v1', kind: 'Event', metadata: { name, namespace: ns, uid: '', resourceVersion: '', creationTimestamp: clock.iso(now) }, involvedObject, reason: input.reason, message: input.message, type: input.type };
      const event = input.seriesStyle
        ? {
            ...base,
            source: {},
            firstTimestamp: null,
            lastTimestamp: null,
            eventTime: microTime(now),
            ...(count > 1 ? { series: { count, lastObservedTime: microTime(now) } } : {}),
            action: 'Scheduling',
            reportingComponent: input.component,
            reportingInstance: `${input.component}-control-plane`,
          }
        : {
            ...base,
            source: { component: input.component, ...(input.host ? { host: input.host } : {}) },
            firstTimestamp: clock.iso(Math.min(now, input.firstAt ?? now)),
            lastTimestamp: clock.iso(now),
            count,
            eventTime: null,
            reportingComponent: input.component,
            reportingInstance: input.host ?? '',
          };
      store.create('events', event);
    },
  };
}

/** The events.k8s.io/v1 view of a stored core/v1 Event. */
export function toEventsV1(e: KubeObject): KubeObject {
  const count: number | undefined = e.series?.count ?? e.count;
  return {
    apiVersion: 'events.k8s.io/v1',
    kind: 'Event',
    metadata: e.metadata,
    eventTime: e.eventTime ?? null,
    ...(e.series ? { series: e.series } : {}),
    reportingController: e.reportingComponent ?? e.source?.component ?? '',
    reportingInstance: e.reportingInstance ?? '',
    ...(e.action ? { action: e.action } : {}),
    reason: e.reason,
    regarding: e.involvedObject,
    note: e.message,
    type: e.type,
    ...(e.source && Object.keys(e.source).length ? { deprecatedSource: e.source } : {}),
    ...(e.firstTimestamp ? { deprecatedFirstTimestamp: e.firstTimestamp } : {}),
    ...(e.lastTimestamp ? { deprecatedLastTimestamp: e.lastTimestamp } : {}),
    ...(!e.series && count !== undefined ? { deprecatedCount: count } : {}),
  };
}
