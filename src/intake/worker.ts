import { randomUUID } from 'node:crypto';
import type { ChannelConfig, Route } from '../core/config/file.js';
import type { Metrics } from '../metrics/metrics.js';
import { buildIncidentRootMessage } from './blocks/incident.js';
import type { SlackMessenger } from '../slack/messenger.js';
import { buildMinimalIncidentRootMessage } from './blocks/incident.js';
import { isSlackValidationError, type SlackMessage } from '../slack/messenger.js';
import type { Clock } from '../shared/clock.js';
import { AppError } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';
import type { Locks } from '../core/lock.js';
import { type Alert, type Incident, incidentKeyOf } from '../core/incident.js';
import { joinWorkloadIncident, type JoinDeps } from './join.js';
import { routeAlert } from './routing.js';
import type { IncidentPatch, IncidentStore } from '../core/incident-store.js';
import type { IncidentStatusChange } from '../core/incident-events.js';
import { isRetrigger, nextIncidentStatus } from './lifecycle.js';

export type IntakeOutcome = 'opened' | 'updated' | 'retriggered' | 'unchanged' | 'stale' | 'ignored';

export interface IntakeDeps {
  store: IncidentStore;
  locks: Locks;
  slack: SlackMessenger;
  routes: readonly Route[];
  fallbackChannel: string | undefined;
  /** deckhand.yaml `channels`: with no route and no ALERT_CHANNEL, the one covering the workload. */
  channels?: Readonly<Record<string, ChannelConfig>>;
  /** Enqueues analysis for one trigger of an incident; must be idempotent per (incident, trigger). */
  enqueueAnalysis: (incidentId: string, trigger: number) => Promise<void>;
  /** Called when an incident becomes resolved (e.g. its pending proposals expire); must be idempotent. */
  onResolved?: (incidentId: string) => Promise<void>;
  /** Called when an incident opens or its status changes (the audit); must be idempotent. */
  onStatusChanged?: (change: IncidentStatusChange) => Promise<void>;
  log: Logger;
  metrics: Metrics;
  clock: Clock;
  newId?: () => string;
  /** Workload aliases: an alert about a workload with an open incident joins its thread. */
  join?: JoinDeps;
}

/** Applies an alert under its incident's lock; `applyHeld` when the caller holds that lock. */
export type IntakeProcessor = ((alert: Alert) => Promise<IntakeOutcome>) & { applyHeld: (alert: Alert) => Promise<IntakeOutcome> };

/**
 * Applies one alert to its incident: opens the thread (root message in the routed channel)
 * for a new incident, edits the root on acknowledge / resolve / re-trigger, and asks for
 * analysis of each trigger. Everything for one incident runs under its Redis lock, so
 * duplicates and concurrent deliveries — in any process — see each other's results.
 */
export function createIntakeProcessor(deps: IntakeDeps): IntakeProcessor {
  const newId = deps.newId ?? (() => `inc-${randomUUID().replaceAll('-', '').slice(0, 16)}`);
  const now = () => new Date(deps.clock()).toISOString();

  const ensureRoot = async (incident: Incident): Promise<Incident> => {
    if (incident.threadTs && incident.channel) return incident;
    const channel = incident.channel;
    if (!channel) throw new AppError('internal', `incident ${incident.id} has no channel`, { retryable: false });
    // The key makes a retried job (or another process) get this post's ts, never a second root.
    const post = (message: SlackMessage) => deps.slack.post({ channel, message, idempotencyKey: `incident-root:${incident.id}` });
    const posted = await withMinimalFallback(incident, post);
    return deps.store.update(incident.id, { channel: posted.channel, threadTs: posted.ts });
  };

  /**
   * Sends the Block Kit root; when Slack refuses it for its content (invalid_blocks,
   * msg_too_long…), the plain-text root instead: an incident never loses its thread to what
   * its sender wrote.
   */
  const withMinimalFallback = async <T>(incident: Incident, send: (message: SlackMessage) => Promise<T>): Promise<T> => {
    try {
      return await send(buildIncidentRootMessage(incident));
    } catch (err) {
      if (!isSlackValidationError(err)) throw err;
      deps.log.warn({ incidentId: incident.id, err: err instanceof Error ? err.message : String(err) }, 'slack refused the incident root, sending it as plain text');
      return send(buildMinimalIncidentRootMessage(incident));
    }
  };

  /**
   * Queues the analysis a triggered incident is owed and records it. Run on every pass, so
   * a job that died between storing an incident (or a re-trigger) and queueing its analysis
   * queues it when retried, while a duplicate delivery finds nothing owed.
   */
  const owedAnalysis = async (incident: Incident): Promise<Incident> => {
    const trigger = incident.triggerCount ?? 1;
    if (incident.status !== 'triggered' || (incident.analysisQueuedFor ?? 0) >= trigger) return incident;
    await deps.enqueueAnalysis(incident.id, trigger);
    return deps.store.update(incident.id, { analysisQueuedFor: trigger });
  };

  /** Opens the incident of a routed alert — or, when its key has one, applies the alert to it. */
  const open = async (alert: Alert, channel: string, log: Logger): Promise<IntakeOutcome> => {
    const at = now();
    const { created, incident } = await deps.store.create({
      id: newId(),
      key: incidentKeyOf(alert),
      source: alert.source,
      externalId: alert.externalId,
      title: alert.title,
      severity: alert.severity,
      status: alert.status,
      labels: alert.labels,
      target: alert.target,
      ...(alert.service ? { service: alert.service } : {}),
      links: alert.links,
      members: alert.members,
      truncatedAlerts: alert.truncatedAlerts,
      channel,
      triggerCount: 1,
      lastEventAt: alert.occurredAt,
      createdAt: at,
      updatedAt: at,
    });
    const joined = deps.join ? await joinWorkloadIncident(deps.join, incident, alert, log) : incident;
    const rooted = await ensureRoot(joined);
    if (!created || joined.id !== incident.id) return apply(await owedAnalysis(rooted), alert, log);
    await deps.onStatusChanged?.({ incidentId: rooted.id, to: rooted.status, at: alert.occurredAt, cause: `${alert.source} ${alert.eventType}` });
    await owedAnalysis(rooted);
    log.info({ incidentId: rooted.id, channel: rooted.channel, threadTs: rooted.threadTs }, 'incident opened');
    return 'opened';
  };

  const apply = async (current: Incident, alert: Alert, log: Logger): Promise<IntakeOutcome> => {
    // A stored time in the future (from before receive times were clamped) orders nothing.
    if (current.lastEventAt && Date.parse(alert.occurredAt) < Math.min(Date.parse(current.lastEventAt), deps.clock())) {
      log.info({ incidentId: current.id, occurredAt: alert.occurredAt }, 'older event ignored');
      return 'stale';
    }
    const retrigger = isRetrigger(current.status, alert);
    const status = nextIncidentStatus(current.status, alert.status, retrigger);
    const patch: IncidentPatch = {
      title: alert.title,
      severity: alert.severity,
      status,
      labels: alert.labels,
      target: alert.target,
      links: alert.links,
      members: alert.members,
      truncatedAlerts: alert.truncatedAlerts,
      lastEventAt: alert.occurredAt,
    };
    if (retrigger) patch.triggerCount = (current.triggerCount ?? 1) + 1;
    const next: Incident = { ...current, ...patch };
    const visible = (i: Incident) => JSON.stringify([i.title, i.severity, i.status, i.target, i.members, i.truncatedAlerts, i.links]);
    if (!retrigger && visible(next) === visible(current)) {
      await deps.store.update(current.id, { lastEventAt: alert.occurredAt });
      return 'unchanged';
    }
    // Slack first: if the edit fails the job retries and finds the change still to apply.
    if (current.channel && current.threadTs) {
      const { channel, threadTs } = current;
      await withMinimalFallback(next, (message) => deps.slack.update({ channel, ts: threadTs, message }));
    }
    // Before the store update: if a hook fails, the retried job still sees the change to apply.
    if (alert.status === 'resolved' && current.status !== 'resolved') await deps.onResolved?.(current.id);
    if (status !== current.status) await deps.onStatusChanged?.({ incidentId: current.id, from: current.status, to: status, at: alert.occurredAt, cause: `${alert.source} ${alert.eventType}` });
    const stored = await deps.store.update(current.id, patch);
    if (retrigger) {
      await owedAnalysis(stored);
      log.info({ incidentId: stored.id, trigger: stored.triggerCount }, 'incident re-triggered');
      return 'retriggered';
    }
    log.info({ incidentId: stored.id, status: stored.status }, 'incident updated');
    return 'updated';
  };

  const applyHeld = async (alert: Alert): Promise<IntakeOutcome> => {
    const key = incidentKeyOf(alert);
    const log = deps.log.child({ incidentKey: key, deliveryId: alert.deliveryId, eventType: alert.eventType });
    // A routed alert goes straight to the create script, which answers with the incident its
    // key already has: one round trip before a new incident's thread root instead of two.
    const channel = alert.status === 'resolved' ? undefined : routeAlert(alert, deps.routes, deps.fallbackChannel, deps.channels);
    if (channel) return open(alert, channel, log);
    const existing = await deps.store.getByKey(key);
    if (!existing) {
      if (alert.status === 'resolved') {
        log.info('resolve for an unknown incident ignored');
        return 'ignored';
      }
      deps.metrics.intakeUnroutable.inc({ source: alert.source });
      log.error({ title: alert.title, labels: alert.labels }, 'no route, no ALERT_CHANNEL and no channel covering its namespace for alert');
      throw new AppError('not_found', 'no channel for this alert: add a route to deckhand.yaml, set ALERT_CHANNEL, or give a channel its namespace', { retryable: false });
    }
    const joined = deps.join ? await joinWorkloadIncident(deps.join, existing, alert, log) : existing;
    return apply(await owedAnalysis(await ensureRoot(joined)), alert, log);
  };
  return Object.assign((alert: Alert) => deps.locks.withLock(incidentLockName(incidentKeyOf(alert)), () => applyHeld(alert)), { applyHeld });
}

/** Serialise work on one incident (its Slack posts) across every process. */
export const incidentLockName = (incidentKey: string) => `incident:${incidentKey}`;
