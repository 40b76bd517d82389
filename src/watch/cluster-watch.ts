import { KubernetesObjectApi, Watch, type KubeConfig } from '@kubernetes/client-node';
import { workloadKeyOf } from '../core/workload-aliases.js';
import type { Logger } from '../shared/logger.js';
import { isIdle, stepDetection, type DetectionTimes, type Track } from './detector.js';
import { evaluateWorkload } from './health.js';
import { createInformer, type Informer, type InformerDeps, type InformerState } from './informer.js';
import { resourceSpecs } from './resources.js';
import type { TrimmedNamespace, TrimmedPod, TrimmedWorkload, WorkloadKind } from './trim.js';

/** A workload that has been failing for `for` (fire) or healthy for `recoverAfter` (recover). */
export interface Detection {
  cluster: string;
  /** `cluster/namespace/Kind/name` (core/workload-aliases.ts). */
  workloadKey: string;
  kind: WorkloadKind;
  namespace: string;
  name: string;
  reason: string;
  pods: string[];
  /** When the failure began (ms): one episode, one alert delivery. */
  since: number;
}

export interface ClusterWatchOptions {
  cluster: string;
  kubeConfig: KubeConfig;
  /** Namespaces to watch; `*` in the list watches all. */
  namespaces: readonly string[];
  times: DetectionTimes;
  log: Logger;
  now: () => number;
  fire: (detection: Detection) => Promise<void>;
  recover: (detection: Detection) => Promise<void>;
  /** Workload keys of this cluster's open watched incidents (Redis), so recovery survives restarts and leader changes. */
  openWorkloads: () => Promise<string[]>;
  tickMs?: number;
  informer?: Pick<InformerDeps<unknown>, 'pageSize' | 'backoff' | 'watchTimeoutSeconds'>;
  onReconnect?: (resource: string) => void;
  onRelist?: (resource: string) => void;
}

export interface ClusterWatch {
  /** Starts the informers and detection (on becoming leader). */
  start(): void;
  /** Stops them and forgets the cache (on losing leadership, or shutdown). */
  stop(): Promise<void>;
  running(): boolean;
  informers(): InformerState[];
  /** Workloads currently failing, and those with an open incident. */
  counts(): { workloads: number; pods: number; failing: number; open: number };
}

/**
 * The watch of one cluster: informers for namespaces, pods and the workload kinds, an index
 * of pods by workload, and detection over it. Changes mark their workload dirty; a tick
 * evaluates the dirty workloads and those being tracked, so an idle cluster costs nothing.
 */
export function createClusterWatch(options: ClusterWatchOptions): ClusterWatch {
  const { cluster, log, now, times } = options;
  const objects = KubernetesObjectApi.makeApiClient(options.kubeConfig);
  const watch = new Watch(options.kubeConfig);
  const all = options.namespaces.includes('*');
  const watched = new Set(options.namespaces);
  const workloads = new Map<string, TrimmedWorkload>();
  const podsByWorkload = new Map<string, Map<string, TrimmedPod>>();
  const ignoredNamespaces = new Set<string>();
  const tracks = new Map<string, Track>();
  const dirty = new Set<string>();
  const busy = new Set<string>();
  let informers: Informer<unknown>[] = [];
  let timer: NodeJS.Timeout | undefined;
  let active = false;
  let generation = 0;

  const wkey = (namespace: string, kind: string, name: string) => `${namespace}/${kind}/${name}`;
  const shared = { objects, watch, log: log.child({ cluster }), ...options.informer };
  const base = (resource: string) => ({ ...shared, onReconnect: () => options.onReconnect?.(resource), onRelist: () => options.onRelist?.(resource) });

  const onPod = (key: string, pod: TrimmedPod | undefined, previous: TrimmedPod | undefined) => {
    if (previous?.workload && previous.workload !== pod?.workload) {
      const w = `${previous.namespace}/${previous.workload}`;
      const pods = podsByWorkload.get(w);
      pods?.delete(key);
      if (pods?.size === 0) podsByWorkload.delete(w);
      dirty.add(w);
    }
    if (pod?.workload) {
      const w = `${pod.namespace}/${pod.workload}`;
      let pods = podsByWorkload.get(w);
      if (!pods) podsByWorkload.set(w, (pods = new Map<string, TrimmedPod>()));
      pods.set(key, pod);
      dirty.add(w);
    }
  };
  const onWorkload = (workload: TrimmedWorkload | undefined, previous: TrimmedWorkload | undefined) => {
    const w = workload ?? previous;
    if (!w) return;
    const key = wkey(w.namespace, w.kind, w.name);
    if (workload) workloads.set(key, workload);
    else workloads.delete(key);
    dirty.add(key);
  };
  const onNamespace = (ns: TrimmedNamespace | undefined, previous: TrimmedNamespace | undefined) => {
    const name = ns?.name ?? previous?.name ?? '';
    if (ns?.ignored) ignoredNamespaces.add(name);
    else ignoredNamespaces.delete(name);
    if (Boolean(ns?.ignored) !== Boolean(previous?.ignored)) for (const key of workloads.keys()) if (key.startsWith(`${name}/`)) dirty.add(key);
  };

  function buildInformers(): Informer<unknown>[] {
    const list: Informer<unknown>[] = [];
    const namespaces = all ? [undefined] : [...watched];
    const ns = resourceSpecs.namespaces();
    list.push(createInformer(ns, { ...base(ns.resource), onUpsert: (_k, n, p) => onNamespace(n, p), onDelete: (_k, p) => onNamespace(undefined, p) }));
    for (const namespace of namespaces) {
      const pods = resourceSpecs.pods(namespace);
      list.push(createInformer(pods, { ...base(pods.resource), onUpsert: (k, n, p) => onPod(k, n, p), onDelete: (k, p) => onPod(k, undefined, p) }));
      for (const spec of resourceSpecs.workloads(namespace)) {
        list.push(createInformer(spec, { ...base(spec.resource), onUpsert: (_k, n, p) => onWorkload(n, p), onDelete: (_k, p) => onWorkload(undefined, p) }));
      }
    }
    return list;
  }

  const skipped = (key: string, workload: TrimmedWorkload | undefined) => {
    const namespace = key.slice(0, key.indexOf('/'));
    return (!all && !watched.has(namespace)) || ignoredNamespaces.has(namespace) || workload?.ignored === true;
  };

  function evaluate(key: string): void {
    if (busy.has(key)) return;
    const workload = workloads.get(key);
    const pods = [...(podsByWorkload.get(key)?.values() ?? [])];
    const health = skipped(key, workload) ? { healthy: true, reason: '', pods: [] } : evaluateWorkload(workload, pods);
    let track = tracks.get(key);
    if (!track) {
      if (health.healthy) return;
      tracks.set(key, (track = { open: false, reason: '' }));
    }
    const at = now();
    const since = track.unhealthySince ?? at;
    const verdict = stepDetection(track, health, at, times);
    if (verdict === 'none') {
      if (isIdle(track)) tracks.delete(key);
      return;
    }
    const [namespace = '', kind = '', name = ''] = key.split('/');
    const detection: Detection = { cluster, workloadKey: workloadKeyOf(cluster, namespace, kind, name), kind: kind as WorkloadKind, namespace, name, reason: track.reason, pods: health.pods, since };
    const current = track;
    const started = generation;
    busy.add(key);
    const act = verdict === 'fire' ? options.fire(detection) : options.recover(detection);
    act.then(
      () => {
        if (started !== generation) return;
        current.open = verdict === 'fire';
        if (verdict === 'recover') current.healthySince = undefined;
        if (isIdle(current)) tracks.delete(key);
      },
      (err: unknown) => log.warn({ cluster, workload: key, verdict, err: err instanceof Error ? err.message : String(err) }, 'watch detection step failed, retrying'),
    ).finally(() => busy.delete(key));
  }

  function tick(): void {
    if (!informers.every((i) => i.synced())) return;
    const keys = new Set([...dirty, ...tracks.keys()]);
    dirty.clear();
    for (const key of keys) evaluate(key);
  }

  return {
    start() {
      if (active) return;
      active = true;
      generation++;
      const started = generation;
      informers = buildInformers();
      for (const informer of informers) informer.start();
      options.openWorkloads().then(
        (keys) => {
          if (started !== generation) return;
          for (const full of keys) {
            if (!full.startsWith(`${cluster}/`)) continue;
            const key = full.slice(cluster.length + 1);
            const track = tracks.get(key) ?? { open: false, reason: '' };
            track.open = true;
            tracks.set(key, track);
          }
        },
        (err: unknown) => log.warn({ cluster, err: err instanceof Error ? err.message : String(err) }, 'reading open watched incidents failed'),
      );
      timer = setInterval(tick, options.tickMs ?? Math.max(200, Math.min(2000, Math.floor(Math.min(times.forMs, times.recoverAfterMs) / 10))));
      timer.unref();
    },
    async stop() {
      if (!active) return;
      active = false;
      generation++;
      clearInterval(timer);
      await Promise.all(informers.map((i) => i.stop()));
      informers = [];
      workloads.clear();
      podsByWorkload.clear();
      ignoredNamespaces.clear();
      tracks.clear();
      dirty.clear();
    },
    running: () => active,
    informers: () => informers.map((i) => i.state()),
    counts: () => ({
      workloads: workloads.size,
      pods: [...podsByWorkload.values()].reduce((n, m) => n + m.size, 0),
      failing: [...tracks.values()].filter((t) => t.unhealthySince !== undefined).length,
      open: [...tracks.values()].filter((t) => t.open).length,
    }),
  };
}
