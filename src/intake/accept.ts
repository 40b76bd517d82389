import { createHash } from 'node:crypto';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { Alert, incidentKeyOf } from '../core/incident.js';
import { incidentRedisKeys } from '../core/incident-store.js';
import { defineRedisScript } from '../core/redis-script.js';
import { safeJobId } from '../jobs/job-id.js';
import { systemClock, type Clock } from '../shared/clock.js';
import { AppError } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';
import { withTimeout } from '../shared/timeout.js';
import { clampToReceiveTime, type IntakeJobData } from './job.js';
import { keyHashOf, pendingKeys } from './pending.js';

/**
 * What became of a delivery: `duplicate` (its delivery id was seen), `unchanged` (its
 * incident is open, rooted, owes nothing and nothing visible changed: only its time was
 * recorded), `stale` (older than what its incident shows), `queued` (stored for its
 * incident's worker and a job queued) or `coalesced` (stored; the job already queued for the
 * incident will apply the newest).
 */
export type AcceptOutcome = 'duplicate' | 'unchanged' | 'stale' | 'queued' | 'coalesced';
export type AcceptAlert = (alert: Alert) => Promise<{ outcome: AcceptOutcome }>;

/** A delivery id is remembered a day (as long as the old per-delivery jobs were kept). */
const deliveryTtlSeconds = 24 * 3600;
/** A pending alert whose job was queued longer ago than this gets another job (a lost add). */
export const requeueAfterMs = 15_000;

/**
 * One round trip for every delivery. KEYS: delivery id, incident key index, pending hash,
 * pending index. ARGV: 1 delivery TTL (s), 2 incident hash prefix, 3 retrigger '1'|'0',
 * 4 event time (ms), 5 now (ms), 6 updatedAt (JSON), 7 lastEventAt (JSON), 8 alert (JSON),
 * 9 pending index member, 10 re-queue after (ms), 11–17 the visible fields as the incident
 * store encodes them (title, severity, status, target, members, truncatedAlerts, links),
 * 18 incident key. The incident's own fields are compared as stored JSON: a difference in
 * encoding only sends a delivery the slow way, never skips a change.
 */
const acceptScript = defineRedisScript(`
if not redis.call('SET', KEYS[1], '1', 'NX', 'EX', ARGV[1]) then return {'duplicate'} end
local at = tonumber(ARGV[4])
local now = tonumber(ARGV[5])
if ARGV[3] == '0' and redis.call('EXISTS', KEYS[3]) == 0 then
  local id = redis.call('GET', KEYS[2])
  if id then
    local h = ARGV[2] .. id
    local f = redis.call('HMGET', h, 'threadTs', 'channel', 'lastEventMs', 'status', 'triggerCount', 'analysisQueuedFor',
      'title', 'severity', 'status', 'target', 'members', 'truncatedAlerts', 'links')
    local owed = f[4] == '"triggered"' and (tonumber(f[6] or '0') or 0) < (tonumber(f[5] or '1') or 1)
    if f[1] and f[2] and f[3] and not owed then
      if at < math.min(tonumber(f[3]), now) then return {'stale'} end
      local same = true
      for i = 1, 7 do
        if f[6 + i] ~= ARGV[10 + i] then same = false end
      end
      if same then
        redis.call('HSET', h, 'lastEventAt', ARGV[7], 'lastEventMs', ARGV[4], 'updatedAt', ARGV[6])
        return {'unchanged'}
      end
    end
  end
end
local version = redis.call('HINCRBY', KEYS[3], 'version', 1)
local pendingAt = redis.call('HGET', KEYS[3], 'at')
if (not pendingAt) or at >= tonumber(pendingAt) then
  -- The visible fields and the time, for the worker's completion to compare (pending.ts).
  redis.call('HSET', KEYS[3], 'alert', ARGV[8], 'at', ARGV[4], 'atJson', ARGV[7], 'key', ARGV[18],
    'v1', ARGV[11], 'v2', ARGV[12], 'v3', ARGV[13], 'v4', ARGV[14], 'v5', ARGV[15], 'v6', ARGV[16], 'v7', ARGV[17])
end
-- A re-trigger is remembered by its version: it is owed until a round past it is applied.
if ARGV[3] == '1' then redis.call('HSET', KEYS[3], 'retrigger', version) end
redis.call('ZADD', KEYS[4], 'NX', now, ARGV[9])
local queued = tonumber(redis.call('HGET', KEYS[3], 'queuedAt') or '0')
if now - queued >= tonumber(ARGV[10]) then
  redis.call('HSET', KEYS[3], 'queuedAt', ARGV[5])
  -- The job id must be new: the hash (and its version) starts over once applied.
  return {'queued', ARGV[5] .. '-' .. tostring(version)}
end
return {'coalesced', tostring(version)}
`);

export interface AlertAccepterOptions {
  queue: Queue;
  /** A connection that fails fast while Redis is down (AppContext.producer). */
  redis: Redis;
  prefix: string;
  log: Logger;
  timeoutMs?: number;
  clock?: Clock;
  /** A pending alert whose job was queued this long ago gets another one (default 15 s). */
  requeueAfterMs?: number;
}

/**
 * Records a delivery durably in Redis before it is answered 2xx. The common case — another
 * delivery for an open incident whose thread shows it already — is one EVALSHA and no lock:
 * the script de-duplicates the delivery id, compares what the thread would show and records
 * the event's time. Anything else is stored as its incident's newest pending alert (the
 * latest wins) and, unless a job is already queued for that incident, one intake job is
 * added (its id names the incident and version, so a retry adds nothing twice). Redis down
 * or slow: AppError('unavailable') → 503, and the sender retries.
 */
export function createAlertAccepter(options: AlertAccepterOptions): AcceptAlert {
  const timeoutMs = options.timeoutMs ?? 3000;
  const clock = options.clock ?? systemClock;
  const incidentKeys = incidentRedisKeys(options.prefix);
  const pending = pendingKeys(options.prefix);
  const deliveryKey = (alert: Alert) => `${options.prefix}:intake-delivery:${alert.source}:${createHash('sha256').update(alert.deliveryId).digest('hex').slice(0, 32)}`;
  const enqueue = enqueuerFor(options.queue);
  const incidentHashPrefix = incidentKeys.hash('');
  const requeueAfter = options.requeueAfterMs ?? requeueAfterMs;

  const accept = async (alert: Alert, now: number): Promise<{ outcome: AcceptOutcome }> => {
    const key = incidentKeyOf(alert);
    const at = Date.parse(alert.occurredAt);
    const reply = (await acceptScript.run(
      options.redis,
      [deliveryKey(alert), incidentKeys.keyIndex(key), pending.hash(key), pending.index],
      [
        deliveryTtlSeconds,
        incidentHashPrefix,
        alert.retrigger ? '1' : '0',
        at,
        now,
        JSON.stringify(new Date(now).toISOString()),
        JSON.stringify(alert.occurredAt),
        JSON.stringify(alert),
        keyHashOf(key),
        requeueAfter,
        // The visible fields, encoded as the incident store encodes them (ARGV 11–17).
        JSON.stringify(alert.title),
        JSON.stringify(alert.severity),
        JSON.stringify(alert.status),
        JSON.stringify(alert.target),
        JSON.stringify(alert.members),
        JSON.stringify(alert.truncatedAlerts),
        JSON.stringify(alert.links),
        key,
      ],
    )) as [AcceptOutcome, string?];
    const [outcome, version] = reply;
    if (outcome === 'queued' && version !== undefined) {
      // The alert is durable already: should this add fail, the sweep queues it (pending.ts).
      await enqueue(key, version).catch((err: unknown) => {
        options.log.warn({ incidentKey: key, err: err instanceof Error ? err.message : String(err) }, 'intake job not queued, the sweep will');
      });
    }
    return { outcome };
  };

  return async (received) => {
    const now = clock();
    // Parsed here as the worker parses it, so its fields encode exactly as the store wrote them.
    const parsed = Alert.safeParse({ ...received, occurredAt: clampToReceiveTime(received.occurredAt, now) });
    if (!parsed.success) throw new AppError('bad_request', 'the alert has fields out of range', { cause: parsed.error });
    try {
      return await withTimeout(accept(parsed.data, now), timeoutMs, () => {
        throw new AppError('unavailable', 'queue did not answer in time');
      });
    } catch (err) {
      if (err instanceof AppError) throw err;
      throw new AppError('unavailable', 'alert queue unavailable, retry later', { cause: err });
    }
  };
}

/** Adds the intake job of one incident key and version; the same pair adds nothing twice. */
export function enqueuerFor(queue: Queue): (incidentKey: string, version: string) => Promise<void> {
  return async (incidentKey, version) => {
    const data: IntakeJobData = { incidentKey };
    await queue.add('incident', data, { jobId: safeJobId('intake', keyHashOf(incidentKey), version) });
  };
}
