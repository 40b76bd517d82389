import type { CoordinationV1Api, V1Lease, V1LeaseSpec } from '@kubernetes/client-node';
import { statusCodeOf } from '../kube/errors.js';
import type { Logger } from '../shared/logger.js';

export interface LeaderElectorOptions {
  api: CoordinationV1Api;
  namespace: string;
  name: string;
  /** This process, unique among replicas (host, pid and a random part). */
  identity: string;
  leaseDurationMs: number;
  /** How often the leader renews (default a third of the lease); followers retry as often. */
  renewMs?: number;
  log: Logger;
  now?: () => number;
  onStartedLeading: () => void;
  onStoppedLeading: () => void;
}

export interface LeaderElector {
  start(): void;
  /** Stops campaigning; a leader releases the Lease so a follower takes over at once. */
  stop(): Promise<void>;
  isLeader(): boolean;
  state(): { leader: boolean; holder: string | undefined; transitions: number; lastError: string | undefined };
}

/**
 * Leader election over a coordination.k8s.io/v1 Lease, as client-go's leaderelection does:
 * the holder renews every `renewMs`; a follower takes the Lease over once it has seen the
 * same record unchanged for the lease duration (measured on its own clock, so clock skew
 * between replicas does not matter); every write carries the resourceVersion read, so of two
 * candidates exactly one wins (409 for the other). A leader that cannot renew within the
 * lease duration stops leading before anyone may take over.
 */
export function createLeaderElector(options: LeaderElectorOptions): LeaderElector {
  const now = options.now ?? Date.now;
  const renewMs = options.renewMs ?? Math.max(200, Math.floor(options.leaseDurationMs / 3));
  const durationSeconds = Math.max(1, Math.ceil(options.leaseDurationMs / 1000));
  const { api, namespace, name, identity, log } = options;
  let leader = false;
  let stopped = true;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let lastRenewed = 0;
  let observed: { record: string; at: number } | undefined;
  const status = { holder: undefined as string | undefined, transitions: 0, lastError: undefined as string | undefined };

  const setLeader = (value: boolean) => {
    if (value === leader) return;
    leader = value;
    log.info({ lease: `${namespace}/${name}`, identity, leader }, value ? 'became the cluster watch leader' : 'stopped leading the cluster watch');
    if (value) options.onStartedLeading();
    else options.onStoppedLeading();
  };

  const spec = (lease: V1Lease | undefined, taking: boolean): V1LeaseSpec => {
    const at = new Date(now());
    return {
      holderIdentity: identity,
      leaseDurationSeconds: durationSeconds,
      acquireTime: taking ? at : (lease?.spec?.acquireTime ?? at),
      renewTime: at,
      leaseTransitions: (lease?.spec?.leaseTransitions ?? 0) + (taking && lease ? 1 : 0),
    };
  };

  async function attempt(): Promise<void> {
    let lease: V1Lease | undefined;
    try {
      lease = await api.readNamespacedLease({ name, namespace });
    } catch (err) {
      if (statusCodeOf(err) !== 404) throw err;
    }
    if (!lease) {
      await api.createNamespacedLease({ namespace, body: { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name, namespace }, spec: spec(undefined, true) } });
      won();
      return;
    }
    const holder = lease.spec?.holderIdentity ?? '';
    status.holder = holder || undefined;
    status.transitions = lease.spec?.leaseTransitions ?? 0;
    const record = JSON.stringify([holder, String(lease.spec?.renewTime ?? ''), lease.metadata?.resourceVersion]);
    if (observed?.record !== record) observed = { record, at: now() };
    const mine = holder === identity;
    // The holder's own lease duration counts, as client-go's elector reads it from the record.
    const duration = (lease.spec?.leaseDurationSeconds ?? durationSeconds) * 1000;
    const expired = holder === '' || now() - observed.at >= duration;
    if (!mine && !expired) {
      setLeader(false);
      return;
    }
    await api.replaceNamespacedLease({ name, namespace, body: { ...lease, spec: spec(lease, !mine) } });
    won();
  }

  function won(): void {
    lastRenewed = now();
    status.holder = identity;
    status.lastError = undefined;
    setLeader(true);
  }

  async function tick(): Promise<void> {
    try {
      await attempt();
    } catch (err) {
      const code = statusCodeOf(err);
      status.lastError = code === 409 ? 'another replica won the lease' : err instanceof Error ? err.message : String(err);
      if (code !== 409) log.warn({ lease: `${namespace}/${name}`, err: status.lastError }, 'lease renewal failed');
      // Stop leading before anyone else may take over: the lease counts from our last renewal.
      if (leader && (code === 409 || now() - lastRenewed >= options.leaseDurationMs - renewMs)) setLeader(false);
    }
  }

  function schedule(): void {
    if (stopped) return;
    timer = setTimeout(() => {
      running = tick().finally(schedule);
    }, renewMs);
  }

  return {
    start() {
      if (!stopped) return;
      stopped = false;
      running = tick().finally(schedule);
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
      if (!leader) return;
      setLeader(false);
      try {
        const lease = await api.readNamespacedLease({ name, namespace });
        if (lease.spec?.holderIdentity === identity) {
          await api.replaceNamespacedLease({ name, namespace, body: { ...lease, spec: { ...lease.spec, holderIdentity: '', leaseDurationSeconds: 1 } } });
        }
      } catch (err) {
        log.warn({ err: err instanceof Error ? err.message : String(err) }, 'lease release failed; a follower takes over when it expires');
      }
    },
    isLeader: () => leader,
    state: () => ({ leader, ...status }),
  };
}
