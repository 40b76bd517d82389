import { incidentKeyOf, isClosedStatus } from '../core/incident.js';
import type { IncidentStore } from '../core/incident-store.js';
import type { Locks } from '../core/lock.js';
import type { WorkloadAliases } from '../core/workload-aliases.js';
import type { DecisionsPort } from '../decisions/port.js';
import { buildIncidentRootMessage } from '../intake/port.js';
import { inlineCode, md, message } from '../slack/blocks/mrkdwn.js';
import type { SlackMessenger } from '../slack/messenger.js';
import type { Logger } from '../shared/logger.js';
import type { Detection } from './cluster-watch.js';
import type { IncidentStatusChange } from '../core/incident-events.js';

export interface RecoverDeps {
  incidents: IncidentStore;
  locks: Locks;
  aliases: WorkloadAliases;
  slack: SlackMessenger;
  audit: Pick<DecisionsPort['audit'], 'appendOnce'>;
  /** Pending proposals of the incident lose their buttons (the decision loop's resolve hook). */
  expireProposals: (incidentId: string) => Promise<void>;
  recoverAfterMs: number;
  /** The lifecycle hook (audit, metrics) every status change goes through. */
  statusChanged: (change: IncidentStatusChange) => Promise<void>;
  log: Logger;
}

/**
 * RECOVERY: a watched workload healthy for `recoverAfter`. Its open incident becomes
 * `recovered`: the root is edited, the thread told, pending proposals expire, the workload
 * alias is released (a new failure may open a new incident) and the audit records it. Slack
 * and the hooks go first and are idempotent, the status last, so a failed step is retried by
 * the next detection tick and finds the work still to do.
 */
export async function recoverWatchedIncident(deps: RecoverDeps, detection: Detection): Promise<'recovered' | 'not_open'> {
  const key = incidentKeyOf({ source: 'watch', externalId: detection.workloadKey });
  return deps.locks.withLock(`incident:${key}`, async () => {
    const incident = await deps.incidents.getByKey(key);
    if (!incident || isClosedStatus(incident.status)) return 'not_open';
    const trigger = incident.triggerCount ?? 1;
    const seconds = Math.round(deps.recoverAfterMs / 1000);
    const workload = `${detection.kind.toLowerCase()}/${detection.name}`;
    if (incident.channel && incident.threadTs) {
      await deps.slack.update({ channel: incident.channel, ts: incident.threadTs, message: buildIncidentRootMessage({ ...incident, status: 'recovered' }) });
      await deps.slack.post({
        channel: incident.channel,
        threadTs: incident.threadTs,
        idempotencyKey: `watch-recovered:${incident.id}:${trigger}`,
        message: message(md`:seedling: Recovered: ${inlineCode(workload)} in ${inlineCode(detection.namespace)} has been healthy for ${seconds}s. Pending proposals expired.`),
      });
    }
    await deps.expireProposals(incident.id);
    await deps.aliases.release(incident.id);
    await deps.audit.appendOnce(`watch-recovery:${incident.id}:${trigger}`, {
      type: 'recovery',
      actor: 'deckhand',
      ...(incident.channel ? { channel: incident.channel } : {}),
      incidentId: incident.id,
      cluster: detection.cluster,
      summary: `${detection.kind} ${detection.namespace}/${detection.name} healthy for ${seconds}s: incident recovered`,
    });
    await deps.incidents.update(incident.id, { status: 'recovered' });
    await deps.statusChanged({ incidentId: incident.id, from: incident.status, to: 'recovered', at: new Date().toISOString(), cause: `watch: ${detection.kind} ${detection.namespace}/${detection.name} healthy for ${seconds}s` });
    deps.log.info({ incidentId: incident.id, workload: detection.workloadKey }, 'watched incident recovered');
    return 'recovered';
  });
}
