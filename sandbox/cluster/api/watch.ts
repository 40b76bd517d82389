import type { ServerResponse } from 'node:http';
import type { ClusterContext } from '../controller/context.js';
import { storeKeyOf } from '../resources.js';
import type { KubeObject } from '../types.js';
import { present, type Target } from './objects.js';
import { parseFieldSelector, parseLabelSelector } from './selectors.js';
import { buildTable } from './tables.js';

export interface WatchRegistry {
  add(close: () => void): () => void;
  dropAll(): void;
}

export function createWatchRegistry(): WatchRegistry {
  const open = new Set<() => void>();
  return {
    add(close) {
      open.add(close);
      return () => open.delete(close);
    },
    dropAll() {
      for (const close of [...open]) close();
      open.clear();
    },
  };
}

/**
 * A watch: one JSON event per line on a chunked response. Without a resourceVersion (or "0")
 * it starts with ADDED for every matching object; with one it replays what happened since,
 * or sends a 410 Expired ERROR event when that is older than the kept history.
 */
export function serveWatch(ctx: ClusterContext, t: Target, query: URLSearchParams, res: ServerResponse, asTable: boolean, registry: WatchRegistry): void {
  const labels = parseLabelSelector(query.get('labelSelector'));
  const fields = parseFieldSelector(query.get('fieldSelector'));
  const table = storeKeyOf(t.info);
  const matches = (o: KubeObject): boolean =>
    (!t.info.namespaced || t.namespace === undefined || o.metadata.namespace === t.namespace) && labels(o) && fields(o);
  let first = true;
  const render = (o: KubeObject): unknown => {
    if (!asTable) return o;
    const tableObject = buildTable(t.info.plural, [o], o.metadata.resourceVersion, ctx.clock.now(), query.get('includeObject'));
    if (!first) tableObject.columnDefinitions = [];
    first = false;
    return tableObject;
  };
  res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private', 'Transfer-Encoding': 'chunked' });
  // Clients wait for the headers before they read events, and may close before the first one.
  res.flushHeaders();
  const send = (type: string, o: unknown): void => {
    if (!res.writableEnded) res.write(`${JSON.stringify({ type, object: o })}\n`);
  };
  const rv = query.get('resourceVersion');
  if (!rv || rv === '0') {
    for (const raw of ctx.store.list(table, t.info.namespaced ? t.namespace : undefined)) {
      const o = present(t.info, raw);
      if (matches(o)) send('ADDED', render(o));
    }
  } else {
    const past = ctx.store.eventsSince(Number(rv));
    if (!past) {
      send('ERROR', { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: `too old resource version: ${rv} (${ctx.store.currentVersion()})`, reason: 'Expired', code: 410 });
      res.end();
      return;
    }
    for (const e of past) {
      if (e.resource !== table) continue;
      const o = present(t.info, e.object);
      if (matches(o)) send(e.type, render(o));
    }
  }
  const unsubscribe = ctx.store.subscribe((e) => {
    if (e.resource !== table) return;
    const o = present(t.info, e.object);
    if (matches(o)) send(e.type, render(o));
  });
  const timeoutSeconds = Number(query.get('timeoutSeconds') ?? 1800);
  const close = (): void => {
    clearTimeout(timer);
    unsubscribe();
    unregister();
    if (!res.writableEnded) res.end();
  };
  const timer = setTimeout(close, Math.max(1, timeoutSeconds) * 1000);
  const unregister = registry.add(close);
  res.on('close', close);
}
