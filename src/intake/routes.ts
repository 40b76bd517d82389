import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type * as z from 'zod';
import type { Config } from '../core/config/load.js';
import { readBody } from '../http/body.js';
import { parseJsonBody } from '../http/json.js';
import { sendError, sendJson, sendText } from '../http/respond.js';
import type { Route } from '../http/server.js';
import type { Metrics, RejectReason } from '../metrics/metrics.js';
import type { Clock } from '../shared/clock.js';
import { AppError, toAppError } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';
import { redactText } from '../shared/redact.js';
import { normalizeAlertmanager } from './alertmanager/normalize.js';
import { AlertmanagerPayload } from './alertmanager/schema.js';
import { verifyBearer } from './bearer.js';
import type { AcceptAlert, AcceptOutcome } from './accept.js';
import { normalizePagerDuty } from './pagerduty/normalize.js';
import { PagerDutyEnvelope, PagerDutyIncident, isHandledPagerDutyEvent } from './pagerduty/schema.js';
import { verifyPagerDutySignature } from './pagerduty/verify.js';

export interface IngestDeps {
  config: Config;
  /** Records a delivery durably (accept.ts); resolves only once it is. */
  accept: AcceptAlert;
  metrics: Metrics;
  log: Logger;
  clock: Clock;
}

type Source = 'pagerduty' | 'alertmanager';

/** The webhook routes: verify → parse → normalise → enqueue → 2xx. Nothing is queued on any refusal. */
export function createIngestRoutes(deps: IngestDeps): Route[] {
  return [
    { method: 'POST', path: '/webhooks/pagerduty', handler: guarded('pagerduty', deps, (req, res, log) => handlePagerDuty(req, res, log, deps)) },
    { method: 'POST', path: '/webhooks/alertmanager', handler: guarded('alertmanager', deps, (req, res, log) => handleAlertmanager(req, res, log, deps)) },
  ];
}

/** The request's logger, made on first use: a webhook that logs nothing (the storm's repeats) makes none. */
type LogOf = () => Logger;
type Handler = (req: IncomingMessage, res: ServerResponse, log: LogOf) => Promise<void>;

/** Counts every request, turns AppErrors into the JSON error answer and the rejection metric. */
function guarded(source: Source, deps: IngestDeps, handler: Handler) {
  // Bound once: the counter's label lookup is not repeated per request.
  const received = deps.metrics.webhooksReceived.labels({ source });
  return async (req: IncomingMessage, res: ServerResponse) => {
    received.inc();
    // A child logger masks its bindings (every string through the redactor) when made:
    // made only for a line that is written.
    let child: Logger | undefined;
    const log = () => (child ??= deps.log.child({ source, webhookId: headerOf(req, 'x-webhook-id') }));
    try {
      await handler(req, res, log);
    } catch (err) {
      const error = toAppError(err);
      const reason = reasonOf(error);
      deps.metrics.webhooksRejected.inc({ source, reason });
      if (reason === 'unavailable') log().warn({ err: error.message }, 'webhook refused: queue unavailable');
      else if (reason === 'bad_request') log().warn({ err: error.message }, 'webhook refused: bad request');
      else log().warn({ reason }, 'webhook refused');
      if (!req.readableEnded) discardRest(req, res);
      sendError(res, error);
    }
  };
}

async function handlePagerDuty(req: IncomingMessage, res: ServerResponse, log: LogOf, deps: IngestDeps): Promise<void> {
  const secrets = deps.config.env.PAGERDUTY_WEBHOOK_SECRETS;
  if (secrets.length === 0) throw notConfigured('PAGERDUTY_WEBHOOK_SECRETS');
  const raw = await readBody(req);
  if (!verifyPagerDutySignature(raw, headerOf(req, 'x-pagerduty-signature'), secrets)) {
    throw new AppError('unauthorized', 'X-PagerDuty-Signature does not match any configured secret');
  }
  const envelope = parseWith(PagerDutyEnvelope, parseJsonBody(raw), 'PagerDuty webhook');
  const { event } = envelope;
  if (!isHandledPagerDutyEvent(event.event_type)) {
    log().info({ eventType: event.event_type }, 'pagerduty event type ignored');
    sendJson(res, 200, { ok: true, ignored: event.event_type });
    return;
  }
  const incident = parseWith(PagerDutyIncident, event.data, 'event.data');
  const alert = normalizePagerDuty({
    eventType: event.event_type,
    eventId: event.id,
    occurredAt: event.occurred_at,
    incident,
    deliveryId: headerOf(req, 'x-webhook-id') ?? event.id,
    services: deps.config.file.pagerduty.services,
  });
  const { outcome } = await deps.accept(alert);
  logAccepted(deps.log, log, outcome, () => ({ eventType: alert.eventType, externalId: alert.externalId }));
  sendAccepted(res, outcome);
}

async function handleAlertmanager(req: IncomingMessage, res: ServerResponse, log: LogOf, deps: IngestDeps): Promise<void> {
  const token = deps.config.env.ALERTMANAGER_TOKEN;
  if (!token) throw notConfigured('ALERTMANAGER_TOKEN');
  if (!verifyBearer(headerOf(req, 'authorization'), token)) throw new AppError('unauthorized', 'missing or wrong bearer token');
  const raw = await readBody(req);
  const payload = parseWith(AlertmanagerPayload, parseJsonBody(raw), 'Alertmanager webhook');
  // Alertmanager sends no delivery id: a retry carries the same bytes, so their hash is one.
  const deliveryId = createHash('sha256').update(raw).digest('hex');
  const alert = normalizeAlertmanager(payload, { deliveryId, now: new Date(deps.clock()).toISOString() });
  const { outcome } = await deps.accept(alert);
  logAccepted(deps.log, log, outcome, () => ({ eventType: alert.eventType, alerts: payload.alerts.length }));
  sendAccepted(res, outcome);
}

/** A queued job is news; the storm's repeats (duplicate, unchanged, coalesced) are debug detail. */
function logAccepted(root: Logger, log: LogOf, outcome: AcceptOutcome, data: () => Record<string, unknown>): void {
  if (outcome === 'queued') log().info({ outcome, ...data() }, 'webhook queued');
  else if (root.isLevelEnabled('debug')) log().debug({ outcome, ...data() }, 'webhook accepted');
}

/** The 202 of each outcome, encoded once. */
const acceptedBodies = new Map<AcceptOutcome, string>();
function sendAccepted(res: ServerResponse, outcome: AcceptOutcome): void {
  let text = acceptedBodies.get(outcome);
  if (text === undefined) acceptedBodies.set(outcome, (text = JSON.stringify({ ok: true, outcome })));
  sendText(res, 202, text, 'application/json; charset=utf-8');
}

/**
 * A refused body is not buffered: the rest is read and dropped so the client can read our
 * answer (closing mid-upload makes many clients report a reset instead of the 401/413),
 * and the connection closes after the answer; a sender that keeps going is cut off.
 */
function discardRest(req: IncomingMessage, res: ServerResponse): void {
  res.setHeader('connection', 'close');
  req.resume();
  res.once('finish', () => {
    const timer = setTimeout(() => req.socket.destroy(), 2000);
    timer.unref();
    req.once('end', () => clearTimeout(timer));
  });
}

function notConfigured(setting: string): AppError {
  return new AppError('unauthorized', `endpoint disabled: ${setting} is not configured`, { details: { reason: 'not_configured' } });
}

/** Schema problems by path and zod's message (which names what was expected, never the value sent). */
function parseWith<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  // Paths may hold keys the sender chose (labels): cut long ones and mask what looks like a credential.
  const problems = result.error.issues
    .slice(0, 5)
    .map((i) => redactText(`${i.path.map((p) => String(p).slice(0, 40)).join('.') || '(root)'}: ${i.message}`));
  throw new AppError('bad_request', `invalid ${what}: ${problems.join('; ')}`, { details: { issues: problems } });
}

function headerOf(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function reasonOf(error: AppError): RejectReason {
  if (error.details?.reason === 'not_configured') return 'not_configured';
  switch (error.code) {
    case 'unauthorized':
      return 'unauthorized';
    case 'payload_too_large':
      return 'payload_too_large';
    case 'unavailable':
      return 'unavailable';
    case 'bad_request':
      return 'bad_request';
    default:
      return 'internal';
  }
}
