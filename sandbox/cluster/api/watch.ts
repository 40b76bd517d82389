import type { ServerResponse } from 'node:http';
import type { ClusterContext } from '../controller/context.js';
import { apiVersionOf, storeKeyOf } from '../resources.js';
import type { KubeObject, StoreEvent } from '../types.js';
import { present, type Target } from './objects.js';
import { queryFlag } from './query.js';
import { parseFieldSelector, parseLabelSelector } from './selectors.js';
import { badRequest, tooLargeResourceVersion } from './status.js';
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

/** The API server's default when a watch names no timeoutSeconds (its --min-request-timeout). */
const defaultTimeoutSeconds = 1800;
/** The watch cache sends a bookmark about once a minute, and one 2s before the watch's deadline. */
const bookmarkEveryMs = 60_000;
const bookmarkBeforeDeadlineMs = 2_000;

/** Checks what must fail with an HTTP error before the stream starts (a future resourceVersion). */
export function checkWatchRequest(ctx: ClusterContext, query: URLSearchParams): void {
  const rv = query.get('resourceVersion');
  if (!rv || rv === '0') return;
  if (!/^\d+$/.test(rv)) throw badRequest(`invalid resource version: ${rv}`);
  const current = Number(ctx.store.currentVersion());
  if (Number(rv) > current) throw tooLargeResourceVersion(Number(rv), current);
}

/**
 * A watch: one JSON event per line on a chunked response, in store order. Without a
 * resourceVersion (or "0") it starts with ADDED for every matching object; with one it replays
 * what happened since, or sends a 410 Expired ERROR event when that is older than the kept
 * history. Selectors apply to both sides of a change: an object that stops matching is DELETED,
 * one that starts matching is ADDED. `allowWatchBookmarks` adds BOOKMARK events; the server ends
 * the watch after `timeoutSeconds`.
 */
export function serveWatch(ctx: ClusterContext, t: Target, query: URLSearchParams, res: ServerResponse, asTable: boolean, registry: WatchRegistry): void {
  const labels = parseLabelSelector(query.get('labelSelector'));
  const fields = parseFieldSelector(query.get('fieldSelector'));
  const table = storeKeyOf(t.info);
  const inScope = (o: KubeObject): boolean => !t.info.namespaced || t.namespace === undefined || o.metadata.namespace === t.namespace;
  const matches = (o: KubeObject): boolean => labels(o) && fields(o);
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
  /** The watch event a store event becomes for this watcher, as the cacher converts it. */
  const deliver = (e: StoreEvent): void => {
    if (e.resource !== table || !inScope(e.object)) return;
    const now = matches(present(t.info, e.object));
    const before = e.previous !== undefined && e.type === 'MODIFIED' && matches(present(t.info, e.previous));
    if (e.type === 'MODIFIED' && now && !before) send('ADDED', render(present(t.info, e.object)));
    else if (e.type === 'MODIFIED' && !now && before && e.previous) {
      // The object as it last matched, at the version of the change.
      const gone = present(t.info, e.previous);
      send('DELETED', render({ ...gone, metadata: { ...gone.metadata, resourceVersion: e.object.metadata.resourceVersion } }));
    } else if (now) send(e.type, render(present(t.info, e.object)));
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
      send('ERROR', { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: `too old resource version: ${rv} (${ctx.store.oldestVersion()})`, reason: 'Expired', code: 410 });
      res.end();
      return;
    }
    for (const e of past) deliver(e);
  }
  const unsubscribe = ctx.store.subscribe(deliver);
  const timeoutRaw = Number(query.get('timeoutSeconds') ?? defaultTimeoutSeconds);
  const timeoutMs = Math.max(1, Number.isFinite(timeoutRaw) ? timeoutRaw : defaultTimeoutSeconds) * 1000;
  const deadline = Date.now() + timeoutMs;
  const bookmark = (): void => {
    // Only the kind and metadata.resourceVersion: how far this watch has seen.
    send('BOOKMARK', { kind: t.info.kind, apiVersion: apiVersionOf(t.info), metadata: { resourceVersion: ctx.store.currentVersion() } });
    scheduleBookmark();
  };
  let bookmarkTimer: NodeJS.Timeout | undefined;
  const scheduleBookmark = (): void => {
    if (!queryFlag(query, 'allowWatchBookmarks') || asTable) return;
    const now = Date.now();
    const beforeDeadline = deadline - bookmarkBeforeDeadlineMs;
    const at = beforeDeadline > now ? Math.min(now + bookmarkEveryMs, beforeDeadline) : now + bookmarkEveryMs;
    if (at < deadline) bookmarkTimer = setTimeout(bookmark, at - now);
  };
  const close = (): void => {
    clearTimeout(timer);
    clearTimeout(bookmarkTimer);
    unsubscribe();
    unregister();
    if (!res.writableEnded) res.end();
  };
  const timer = setTimeout(close, timeoutMs);
  const unregister = registry.add(close);
  scheduleBookmark();
  res.on('close', close);
}
