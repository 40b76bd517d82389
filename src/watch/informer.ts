import type { KubernetesObjectApi, Watch } from '@kubernetes/client-node';
import type { Logger } from '../shared/logger.js';
import { withTimeout } from '../shared/timeout.js';
import { backoffMs } from './backoff.js';

/** One watched resource: how to list it, where to watch it, how to trim it. */
export interface ResourceSpec<T> {
  /** Plural name, for logs, /readyz and metrics: `pods`. */
  resource: string;
  apiVersion: string;
  kind: string;
  /** The namespace to list and watch; undefined: all namespaces. */
  namespace: string | undefined;
  /** The watch path, e.g. `/api/v1/pods` or `/apis/apps/v1/namespaces/shop/deployments`. */
  path: string;
  trim: (raw: unknown) => T | undefined;
}

export type InformerPhase = 'listing' | 'watching' | 'backoff' | 'stopped';

export interface InformerState {
  resource: string;
  namespace: string | undefined;
  phase: InformerPhase;
  objects: number;
  /** Watches started again after the first one (drops, server timeouts, errors). */
  reconnects: number;
  /** Full lists after the first (410 Gone, or a failure before the watch began). */
  relists: number;
  resourceVersion: string | undefined;
  lastError: string | undefined;
}

export interface InformerDeps<T> {
  objects: KubernetesObjectApi;
  watch: Watch;
  log: Logger;
  onUpsert: (key: string, next: T, previous: T | undefined) => void;
  onDelete: (key: string, previous: T) => void;
  /** Each watch reconnect and relist, for metrics. */
  onReconnect?: () => void;
  onRelist?: () => void;
  pageSize?: number;
  backoff?: { baseMs: number; maxMs: number };
  /** Server-side watch timeout (default 300 s, jittered ±20 %); the watch is then resumed. */
  watchTimeoutSeconds?: number;
  listTimeoutMs?: number;
}

export interface Informer<T> {
  readonly objects: ReadonlyMap<string, T>;
  start(): void;
  stop(): Promise<void>;
  state(): InformerState;
  /** The first list has completed: `objects` reflects the cluster. */
  synced(): boolean;
}

/** A watch event's object: a Kubernetes object, or a Status for ERROR events. */
interface WatchObject {
  code?: number;
  message?: string;
  metadata?: { namespace?: string; name?: string; resourceVersion?: string };
}

type WatchEnd = { kind: 'gone' } | { kind: 'closed'; events: number } | { kind: 'error'; message: string };

const keyOf = (metadata: { namespace?: string; name?: string } | undefined) => `${metadata?.namespace ?? ''}/${metadata?.name ?? ''}`;

/**
 * A reflector for one resource: a paginated list (`limit`/`continue`), then a watch from the
 * list's resourceVersion with bookmarks; on `410 Gone` it lists again, on any other drop it
 * resumes from the last version seen after an exponential back-off with jitter. It never
 * gives up: a cluster outage ends when the cluster comes back. Holds trimmed objects only.
 */
export function createInformer<T>(spec: ResourceSpec<T>, deps: InformerDeps<T>): Informer<T> {
  const objects = new Map<string, T>();
  const pageSize = deps.pageSize ?? 500;
  const backoff = deps.backoff ?? { baseMs: 500, maxMs: 30_000 };
  const state: InformerState = { resource: spec.resource, namespace: spec.namespace, phase: 'stopped', objects: 0, reconnects: 0, relists: 0, resourceVersion: undefined, lastError: undefined };
  let stopped = true;
  let synced = false;
  let abort: AbortController | undefined;
  let wake: (() => void) | undefined;
  let loop: Promise<void> | undefined;
  const log = deps.log.child({ resource: spec.resource, namespace: spec.namespace ?? '*' });

  const upsert = (raw: unknown) => {
    const next = spec.trim(raw);
    if (!next) return;
    const key = keyOf((raw as { metadata?: { namespace?: string; name?: string } }).metadata);
    const previous = objects.get(key);
    objects.set(key, next);
    deps.onUpsert(key, next, previous);
  };
  const remove = (key: string) => {
    const previous = objects.get(key);
    if (previous === undefined) return;
    objects.delete(key);
    deps.onDelete(key, previous);
  };

  /** Lists every page of one snapshot and replaces the store with it; returns its resourceVersion. */
  async function relist(): Promise<string> {
    state.phase = 'listing';
    const seen = new Set<string>();
    let token: string | undefined;
    let version = '';
    do {
      const page = await withTimeout(
        deps.objects.list(spec.apiVersion, spec.kind, spec.namespace, undefined, undefined, undefined, undefined, undefined, pageSize, token),
        deps.listTimeoutMs ?? 60_000,
        () => {
          throw new Error(`list ${spec.resource} timed out`);
        },
      );
      for (const item of page.items) {
        seen.add(keyOf(item.metadata));
        upsert(item);
      }
      token = page.metadata?._continue || undefined;
      version = page.metadata?.resourceVersion ?? version;
    } while (token !== undefined && !stopped);
    for (const key of [...objects.keys()]) if (!seen.has(key)) remove(key);
    state.objects = objects.size;
    return version;
  }

  function watchOnce(from: string): Promise<WatchEnd> {
    return new Promise((resolve) => {
      let events = 0;
      let ended = false;
      const timeoutSeconds = Math.round((deps.watchTimeoutSeconds ?? 300) * (0.8 + Math.random() * 0.4));
      const finish = (end: WatchEnd) => {
        if (ended) return;
        ended = true;
        clearTimeout(watchdog);
        abort?.abort();
        resolve(end);
      };
      // A silent peer (a partition, a dead load balancer) would hang the watch: give up after the server's own timeout.
      const watchdog = setTimeout(() => finish({ kind: 'error', message: 'watch silent past its timeout' }), (timeoutSeconds + 30) * 1000);
      const onEvent = (type: string, object: WatchObject | null) => {
        events++;
        if (type === 'ERROR') {
          if (object?.code === 410) finish({ kind: 'gone' });
          else finish({ kind: 'error', message: String(object?.message ?? 'watch error') });
          return;
        }
        const version: unknown = object?.metadata?.resourceVersion;
        if (typeof version === 'string' && version !== '') state.resourceVersion = version;
        if (type === 'ADDED' || type === 'MODIFIED') upsert(object);
        else if (type === 'DELETED') remove(keyOf(object?.metadata));
        state.objects = objects.size;
      };
      const onDone = (err: unknown) => {
        const status = (err as { statusCode?: number } | null)?.statusCode;
        if (status === 410) finish({ kind: 'gone' });
        else if (err) finish({ kind: 'error', message: err instanceof Error ? err.message : JSON.stringify(err) });
        else finish({ kind: 'closed', events });
      };
      const query = { resourceVersion: from, allowWatchBookmarks: true, timeoutSeconds };
      deps.watch.watch(spec.path, query, onEvent, onDone).then(
        (controller) => {
          abort = controller;
          if (ended || stopped) controller.abort();
        },
        (err: unknown) => onDone(err ?? new Error('watch failed')),
      );
    });
  }

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  async function run(): Promise<void> {
    let failures = 0;
    let first = true;
    while (!stopped) {
      try {
        if (state.resourceVersion === undefined) {
          if (!first) {
            state.relists++;
            deps.onRelist?.();
          }
          state.resourceVersion = await relist();
          synced = true;
        }
        if (stopped) break;
        if (!first) {
          state.reconnects++;
          deps.onReconnect?.();
        }
        first = false;
        state.phase = 'watching';
        const end = await watchOnce(state.resourceVersion);
        if (stopped) break;
        if (end.kind === 'gone') {
          log.info('watch version too old (410 Gone), listing again');
          state.resourceVersion = undefined;
          failures = 0;
          continue;
        }
        if (end.kind === 'closed' && end.events > 0) {
          failures = 0;
          continue;
        }
        throw new Error(end.kind === 'error' ? end.message : 'watch closed without events');
      } catch (err) {
        if (stopped) break;
        first = false;
        failures++;
        state.lastError = err instanceof Error ? err.message : String(err);
        state.phase = 'backoff';
        const wait = backoffMs(failures - 1, backoff);
        log.warn({ err: state.lastError, failures, retryInMs: wait }, 'watch dropped, reconnecting after back-off');
        await sleep(wait);
      }
    }
    state.phase = 'stopped';
  }

  return {
    objects,
    start() {
      if (!stopped) return;
      stopped = false;
      loop = run();
    },
    async stop() {
      stopped = true;
      abort?.abort();
      wake?.();
      await loop;
    },
    state: () => ({ ...state }),
    synced: () => synced,
  };
}
