import type { IncidentStatusChange } from '../core/incident-events.js';
import { type Incident, type IncidentStatus, isClosedStatus } from '../core/incident.js';
import type { IncidentStore } from '../core/incident-store.js';
import type { Locks } from '../core/lock.js';
import type { Clock } from '../shared/clock.js';
import type { Logger } from '../shared/logger.js';
import { isSlackValidationError, type SlackMessenger } from '../slack/messenger.js';
import { buildIncidentRootMessage, buildMinimalIncidentRootMessage } from './blocks/incident.js';

/**
 * The status an incident moves to on an alert event. The source decides triggered /
 * acknowledged / resolved, except that a verified fix (`mitigated`) stands while the source
 * keeps firing or is acknowledged: only the source resolving it, or a re-trigger, moves it on.
 * Pure.
 */
export function nextIncidentStatus(current: IncidentStatus, alert: IncidentStatus, retrigger: boolean): IncidentStatus {
  if (retrigger) return 'triggered';
  if (alert === 'resolved') return 'resolved';
  if (current === 'mitigated' && (alert === 'triggered' || alert === 'acknowledged')) return 'mitigated';
  return alert;
}

/** A triggered event about a closed (resolved or recovered) incident opens it again. */
export function isRetrigger(current: IncidentStatus, alert: { status: IncidentStatus; retrigger: boolean }): boolean {
  return alert.status === 'triggered' && (alert.retrigger || isClosedStatus(current));
}

export interface MitigationDeps {
  store: IncidentStore;
  locks: Locks;
  slack: SlackMessenger;
  clock: Clock;
  log: Logger;
  onStatusChanged?: (change: IncidentStatusChange) => Promise<void>;
}

/**
 * A fix for the incident was verified: while its source still fires (triggered or
 * acknowledged) the incident becomes `mitigated` — the root says so, the audit records it.
 * Under the incident's lock, like every alert event; idempotent (a mitigated, resolved or
 * recovered incident is left as it is), so a retried verification changes nothing twice.
 */
export function createMitigation(deps: MitigationDeps): (input: { incidentId: string; summary: string }) => Promise<IncidentStatus | undefined> {
  return async ({ incidentId, summary }) => {
    const found = await deps.store.get(incidentId);
    if (!found) return undefined;
    return deps.locks.withLock(`incident:${found.key}`, async () => {
      const current = await deps.store.get(incidentId);
      if (!current) return undefined;
      if (current.status !== 'triggered' && current.status !== 'acknowledged') return current.status;
      const next: Incident = { ...current, status: 'mitigated' };
      // Slack first, then the audit, then the store: a failure retries with the change still to apply.
      if (current.channel && current.threadTs) await updateRoot(deps, next, current.channel, current.threadTs);
      await deps.onStatusChanged?.({ incidentId, from: current.status, to: 'mitigated', at: new Date(deps.clock()).toISOString(), cause: `fix verified: ${summary}` });
      await deps.store.update(incidentId, { status: 'mitigated' });
      deps.log.info({ incidentId }, 'incident mitigated');
      return 'mitigated';
    });
  };
}

async function updateRoot(deps: MitigationDeps, incident: Incident, channel: string, ts: string): Promise<void> {
  try {
    await deps.slack.update({ channel, ts, message: buildIncidentRootMessage(incident) });
  } catch (err) {
    if (!isSlackValidationError(err)) throw err;
    await deps.slack.update({ channel, ts, message: buildMinimalIncidentRootMessage(incident) });
  }
}
