import { type Alert, type Incident, isClosedStatus } from '../core/incident.js';
import type { IncidentStore } from '../core/incident-store.js';
import { workloadKeysOfTarget, type WorkloadAliases } from '../core/workload-aliases.js';
import type { Logger } from '../shared/logger.js';

export interface JoinDeps {
  store: IncidentStore;
  aliases: WorkloadAliases;
  /** The cluster of a routed channel, for alerts whose labels name none. */
  clusterOfChannel: (channel: string | undefined) => string | undefined;
}

/**
 * One problem, one thread: before an incident gets its thread (or a closed one re-opens),
 * its workload is claimed. When another source's open incident already holds it (the cluster
 * watch's, Alertmanager's or PagerDuty's), this alert's key is pointed at that incident (the
 * unposted one is dropped) and the alert applies to it. Runs under the alert key's lock; the claim itself is
 * atomic across processes (core/workload-aliases.ts).
 */
export async function joinWorkloadIncident(deps: JoinDeps, incident: Incident, alert: Alert, log: Logger): Promise<Incident> {
  const opening = incident.threadTs === undefined || (alert.status === 'triggered' && isClosedStatus(incident.status));
  if (!opening) return incident;
  const cluster = alert.target.cluster ?? deps.clusterOfChannel(incident.channel);
  const { keys, candidates } = workloadKeysOfTarget(alert.target, cluster);
  const winner = await deps.aliases.claim(keys, candidates, incident.id);
  if (winner === incident.id) return incident;
  const into = await deps.store.get(winner);
  // Sources merge, a source's own incidents do not: an Alertmanager alert joins the thread a
  // PagerDuty incident (or the watch) opened for its workload and the reverse, while two
  // PagerDuty incidents (or two Alertmanager groups) about one Deployment keep their own
  // threads, as their source acknowledges and resolves them apart.
  if (!into || alert.source === into.source) return incident;
  await deps.store.relinkKey(incident.key, winner, incident.threadTs === undefined ? incident.id : undefined);
  log.info({ incidentId: winner, joined: incident.id, source: alert.source }, 'alert joins the open incident of its workload');
  // The incident's event times are another source's clock: they order nothing for this alert.
  const { lastEventAt: _otherSourceClock, ...joined } = into;
  return joined;
}
