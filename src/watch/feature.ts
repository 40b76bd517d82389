import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { CoordinationV1Api } from '@kubernetes/client-node';
import type { AppContext, Feature } from '../core/feature.js';
import { createWorkloadAliases } from '../core/workload-aliases.js';
import type { DecisionsProvider } from '../decisions/port.js';
import { createAlertAccepter } from '../intake/port.js';
import { queueNames } from '../jobs/queues.js';
import { alertOfDetection } from './alert.js';
import { createClusterWatch, type ClusterWatch } from './cluster-watch.js';
import type { InformerDeps } from './informer.js';
import { createLeaderElector, type LeaderElector } from './lease.js';
import { createWatchMetrics } from './metrics.js';
import type { WatchStatus, WatchStatusProvider } from './port.js';
import { recoverWatchedIncident } from './recover.js';

export interface WatchFeatureOptions {
  decisions: DecisionsProvider;
  /** Lease duration (default 15 s): how long a dead leader's clusters go unwatched at most. */
  leaseDurationMs?: number;
  renewMs?: number;
  tickMs?: number;
  informer?: Pick<InformerDeps<unknown>, 'pageSize' | 'backoff' | 'watchTimeoutSeconds'>;
  /** This replica's name in the Leases (default host-pid-random). */
  identity?: string;
}

export interface WatchFeature extends Feature, WatchStatusProvider {}

interface Watched {
  cluster: string;
  watch: ClusterWatch;
  elector: LeaderElector;
}

/** The Lease that elects one watcher per cluster, in `detection.leaseNamespace`. */
export const watchLeaseName = 'deckhand-watch';

/**
 * The cluster watch as a Feature (runs where the worker role runs): per cluster a Lease
 * election, and on the leader the informers and detection. A failing workload enters intake
 * as a `watch` alert (intake's port); a healed one is recovered here (recover.ts). Followers
 * only campaign. State is on /readyz (`checks.watch`), /metrics and `/k8s clusters`.
 */
export function createWatchFeature(options: WatchFeatureOptions): WatchFeature {
  const watched: Watched[] = [];
  const reconnects = new Map<string, number>();
  const relists = new Map<string, number>();
  let enabled = false;

  const status = (): WatchStatus[] =>
    watched.map(({ cluster, watch, elector }) => {
      const lease = elector.state();
      const informers = watch.informers();
      return {
        cluster,
        role: lease.leader ? 'leader' : 'follower',
        holder: lease.holder,
        informers,
        reconnects: reconnects.get(cluster) ?? 0,
        relists: relists.get(cluster) ?? 0,
        ...watch.counts(),
        lastError: informers.find((i) => i.phase === 'backoff')?.lastError ?? lease.lastError,
      };
    });

  return {
    name: 'watch',
    status,
    start(ctx) {
      const detection = ctx.config.file.detection;
      const metrics = createWatchMetrics(ctx.metrics.registry, status);
      ctx.addReadinessCheck('watch', () => Promise.resolve(readinessOf(enabled, status())));
      if (!detection.enabled) return;
      enabled = true;
      const log = ctx.log.child({ feature: 'watch' });
      const enqueue = createAlertAccepter({ queue: ctx.queues.get(queueNames.intake), redis: ctx.producer, prefix: ctx.prefix, log, clock: ctx.clock });
      const aliases = createWorkloadAliases({ redis: ctx.redis, prefix: ctx.prefix });
      const decisions = options.decisions.port(ctx);
      const times = { forMs: detection.for, recoverAfterMs: detection.recoverAfter };
      const identity = options.identity ?? `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
      for (const cluster of ctx.clusters.names()) {
        const namespaces = namespacesToWatch(ctx, cluster);
        if (namespaces.length === 0) {
          log.info({ cluster }, 'no namespace to watch on this cluster (detection.namespaces, or a channel’s namespaces)');
          continue;
        }
        const connection = ctx.clusters.get(cluster);
        const bump = (counts: Map<string, number>) => counts.set(cluster, (counts.get(cluster) ?? 0) + 1);
        const watch = createClusterWatch({
          cluster,
          kubeConfig: connection.kubeConfig,
          namespaces,
          times,
          log,
          now: ctx.clock,
          ...(options.tickMs === undefined ? {} : { tickMs: options.tickMs }),
          ...(options.informer ? { informer: options.informer } : {}),
          onReconnect: (resource) => {
            bump(reconnects);
            metrics.reconnects.inc({ cluster, resource });
          },
          onRelist: (resource) => {
            bump(relists);
            metrics.relists.inc({ cluster, resource });
          },
          fire: async (d) => {
            await enqueue(alertOfDetection(d, ctx.clock()));
            metrics.detections.inc({ cluster, outcome: 'fired' });
            log.info({ cluster, workload: d.workloadKey, reason: d.reason }, 'workload failing: incident raised');
          },
          recover: async (d) => {
            const outcome = await recoverWatchedIncident(
              {
                incidents: ctx.incidents,
                locks: ctx.locks,
                aliases,
                slack: ctx.slack,
                audit: decisions.audit,
                expireProposals: (id) => ctx.incidentEvents.emitResolved(id),
                recoverAfterMs: detection.recoverAfter,
                statusChanged: (change) => ctx.incidentEvents.emitStatusChanged(change),
                log,
              },
              d,
            );
            if (outcome === 'recovered') metrics.detections.inc({ cluster, outcome: 'recovered' });
          },
          openWorkloads: async () => (await ctx.incidents.listOpen()).filter((i) => i.source === 'watch').map((i) => i.externalId),
        });
        const elector = createLeaderElector({
          api: connection.kubeConfig.makeApiClient(CoordinationV1Api),
          namespace: detection.leaseNamespace,
          name: watchLeaseName,
          identity,
          leaseDurationMs: options.leaseDurationMs ?? 15_000,
          ...(options.renewMs === undefined ? {} : { renewMs: options.renewMs }),
          log: log.child({ cluster }),
          now: ctx.clock,
          onStartedLeading: () => watch.start(),
          onStoppedLeading: () => void watch.stop(),
        });
        watched.push({ cluster, watch, elector });
        elector.start();
      }
    },
    async stop() {
      await Promise.all(watched.map(async ({ watch, elector }) => {
        await elector.stop();
        await watch.stop();
      }));
    },
  };
}

/** detection.namespaces, else every namespace a channel on this cluster may touch. */
function namespacesToWatch(ctx: AppContext, cluster: string): string[] {
  const configured = ctx.config.file.detection.namespaces;
  if (configured) return [...configured];
  const fromChannels = Object.values(ctx.config.file.channels).filter((c) => c.cluster === cluster).flatMap((c) => c.namespaces);
  return fromChannels.includes('*') ? ['*'] : [...new Set(fromChannels)];
}

/** `checks.watch` of /readyz: always ok (a watch reconnects by itself), with each cluster's state. */
function readinessOf(enabled: boolean, clusters: WatchStatus[]) {
  const details = Object.fromEntries(
    clusters.map((s) => [s.cluster, { role: s.role, holder: s.holder ?? null, reconnects: s.reconnects, relists: s.relists, workloads: s.workloads, pods: s.pods, failing: s.failing, open: s.open, watches: s.informers.map((i) => ({ resource: i.resource, namespace: i.namespace ?? '*', phase: i.phase, objects: i.objects })), lastError: s.lastError ?? null }]),
  );
  return { ok: true, message: enabled ? `${clusters.filter((s) => s.role === 'leader').length} of ${clusters.length} clusters watched by this replica` : 'detection disabled', details };
}
