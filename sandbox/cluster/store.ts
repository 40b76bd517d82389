import { newUid } from './names.js';
import type { SimClock } from './sim-clock.js';
import type { KubeObject, StoreEvent, WatchEventType } from './types.js';

/** Resources whose spec changes bump metadata.generation, as on a real API server. */
const generational = new Set(['deployments', 'replicasets', 'statefulsets', 'daemonsets', 'horizontalpodautoscalers', 'jobs', 'cronjobs', 'poddisruptionbudgets']);
const historySize = 5000;

export interface ObjectStore {
  get(resource: string, namespace: string | undefined, name: string): KubeObject | undefined;
  list(resource: string, namespace?: string): KubeObject[];
  /** Like list, without copying: for reads only (the controller's hot path). Never mutate the result. */
  scan(resource: string, namespace?: string): readonly KubeObject[];
  /** Stores a new object; fills uid, resourceVersion, creationTimestamp and generation. */
  create(resource: string, object: KubeObject): KubeObject;
  /** Replaces an object. Writes nothing (and returns the stored copy) when nothing changed. */
  update(resource: string, object: KubeObject): KubeObject;
  remove(resource: string, namespace: string | undefined, name: string): KubeObject | undefined;
  currentVersion(): string;
  subscribe(listener: (event: StoreEvent) => void): () => void;
  /** Events after `rv`, or undefined when `rv` is older than the kept history (410 Gone). */
  eventsSince(rv: number): StoreEvent[] | undefined;
  /**
   * The objects of one resource as they were at `rv` (a consistent list snapshot, rebuilt from the
   * kept history), or undefined when `rv` is older than that history — etcd's "compacted".
   */
  snapshot(resource: string, rv: number): KubeObject[] | undefined;
  /** The oldest version a watch or snapshot can start from; older ones get 410 Expired. */
  oldestVersion(): number;
}

export function createObjectStore(clock: SimClock): ObjectStore {
  const tables = new Map<string, Map<string, KubeObject>>();
  const listeners = new Set<(event: StoreEvent) => void>();
  const history: StoreEvent[] = [];
  const comparable = new Map<string, string>();
  let rv = 1000;
  // Versions up to the store's start are "compacted", as a fresh API server's watch cache is.
  let floor = rv;

  const tableOf = (resource: string): Map<string, KubeObject> => {
    let t = tables.get(resource);
    if (!t) tables.set(resource, (t = new Map<string, KubeObject>()));
    return t;
  };
  const keyOf = (namespace: string | undefined, name: string): string => `${namespace ?? ''}/${name}`;

  const emit = (type: WatchEventType, resource: string, object: KubeObject, previous?: KubeObject): void => {
    // Stored objects are never mutated in place (updates replace them), so events can share them.
    const event: StoreEvent = { type, resource, object, rv, ...(previous ? { previous } : {}) };
    history.push(event);
    if (history.length > historySize) floor = history.shift()?.rv ?? floor;
    for (const l of listeners) l(event);
  };

  return {
    get(resource, namespace, name) {
      const o = tableOf(resource).get(keyOf(namespace, name));
      return o ? structuredClone(o) : undefined;
    },
    list(resource, namespace) {
      const out: KubeObject[] = [];
      for (const o of tableOf(resource).values()) {
        if (namespace === undefined || o.metadata.namespace === namespace) out.push(structuredClone(o));
      }
      return out.sort((a, b) =>
        keyOf(a.metadata.namespace, a.metadata.name).localeCompare(keyOf(b.metadata.namespace, b.metadata.name)),
      );
    },
    scan(resource, namespace) {
      const out: KubeObject[] = [];
      for (const o of tableOf(resource).values()) if (namespace === undefined || o.metadata.namespace === namespace) out.push(o);
      return out;
    },
    create(resource, object) {
      const o = structuredClone(object);
      rv += 1;
      o.metadata.uid = o.metadata.uid || newUid();
      o.metadata.resourceVersion = String(rv);
      o.metadata.creationTimestamp = o.metadata.creationTimestamp || clock.iso();
      if (generational.has(resource)) o.metadata.generation = o.metadata.generation || 1;
      const key = keyOf(o.metadata.namespace, o.metadata.name);
      tableOf(resource).set(key, o);
      comparable.set(`${resource}|${key}`, JSON.stringify({ ...o, metadata: { ...o.metadata, resourceVersion: '' } }));
      emit('ADDED', resource, o);
      return structuredClone(o);
    },
    update(resource, object) {
      const table = tableOf(resource);
      const key = keyOf(object.metadata.namespace, object.metadata.name);
      const old = table.get(key);
      if (!old) return this.create(resource, object);
      let generation = old.metadata.generation;
      if (generational.has(resource) && JSON.stringify(object.spec) !== JSON.stringify(old.spec)) generation = (generation ?? 1) + 1;
      const candidate = {
        ...object,
        metadata: { ...object.metadata, uid: old.metadata.uid, creationTimestamp: old.metadata.creationTimestamp, resourceVersion: '', ...(generation !== undefined ? { generation } : {}) },
      };
      // Compared as JSON with the resourceVersion blanked: the controller rewrites every pod each pass.
      const json = JSON.stringify(candidate);
      if (json === comparable.get(`${resource}|${key}`)) return { ...candidate, metadata: { ...candidate.metadata, resourceVersion: old.metadata.resourceVersion } };
      comparable.set(`${resource}|${key}`, json);
      rv += 1;
      const stored = JSON.parse(json) as KubeObject;
      stored.metadata.resourceVersion = String(rv);
      table.set(key, stored);
      emit('MODIFIED', resource, stored, old);
      return structuredClone(stored);
    },
    remove(resource, namespace, name) {
      const table = tableOf(resource);
      const key = keyOf(namespace, name);
      const old = table.get(key);
      if (!old) return undefined;
      table.delete(key);
      comparable.delete(`${resource}|${key}`);
      rv += 1;
      const gone = { ...old, metadata: { ...old.metadata, resourceVersion: String(rv) } };
      emit('DELETED', resource, gone, old);
      return structuredClone(gone);
    },
    currentVersion: () => String(rv),
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    eventsSince(since) {
      if (since < floor) return undefined;
      return history.filter((e) => e.rv > since);
    },
    snapshot(resource, at) {
      if (at < floor) return undefined;
      const table = new Map(tableOf(resource));
      for (let i = history.length - 1; i >= 0; i--) {
        const e = history[i];
        if (!e || e.rv <= at) break;
        if (e.resource !== resource) continue;
        const key = keyOf(e.object.metadata.namespace, e.object.metadata.name);
        if (e.type === 'ADDED') table.delete(key);
        else if (e.previous) table.set(key, e.previous);
      }
      return [...table.values()].map((o) => structuredClone(o));
    },
    oldestVersion: () => floor,
  };
}
