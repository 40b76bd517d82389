import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { Alert } from '../core/incident.js';
import { incidentRedisKeys } from '../core/incident-store.js';
import { defineRedisScript } from '../core/redis-script.js';

/**
 * The alerts waiting for their incident's worker, one per incident key: the accept script
 * (accept.ts) keeps the newest one there (by the sender's time) and queues one intake job
 * per incident, not one per delivery; the worker takes the newest, applies it under the
 * incident's lock and clears it only if nothing newer arrived meanwhile — else it applies
 * that one too. A storm of deliveries for one incident is a handful of jobs, the latest wins.
 *
 * Per incident key a hash `<prefix>:intake-pending:<hash of key>`: `alert` (JSON), `at`
 * (its time, ms; `atJson` as stored on incidents), `v1`…`v7` (the visible fields, encoded as
 * the store encodes them), `key`, `version` (bumped by every delivery), `retrigger` (the
 * version of the last delivery that re-triggered), `applied` (the last version a round
 * applied), `queuedAt` (ms of the last job queued for it); and a
 * sorted set `<prefix>:intake-pending` of those hashes by first arrival, for the sweep.
 */
export function pendingKeys(prefix: string) {
  return {
    hash: (incidentKey: string) => `${prefix}:intake-pending:${keyHashOf(incidentKey)}`,
    index: `${prefix}:intake-pending`,
  };
}

/** Hashes of recent incident keys: a storm hashes a few keys thousands of times (accept, drain). */
const keyHashes = new Map<string, string>();
const maxKeyHashes = 4096;

export function keyHashOf(incidentKey: string): string {
  let hash = keyHashes.get(incidentKey);
  if (hash === undefined) {
    hash = createHash('sha256').update(incidentKey).digest('hex').slice(0, 32);
    if (keyHashes.size >= maxKeyHashes) keyHashes.clear();
    keyHashes.set(incidentKey, hash);
  }
  return hash;
}

/**
 * After a round applied version ARGV[1]: clears the pending hash if nothing newer arrived —
 * or if what arrived changes nothing the thread shows (the storm's common case, compared as
 * the accept script does against the incident just written): then it only records the
 * newest event time. Else it notes what was applied and returns 0 (another round).
 * KEYS: hash, index, incident key index; ARGV: version, index member, incident hash prefix.
 */
const completeScript = defineRedisScript(`
local function done()
  redis.call('DEL', KEYS[1])
  redis.call('ZREM', KEYS[2], ARGV[2])
  return 1
end
local p = redis.call('HMGET', KEYS[1], 'version', 'retrigger', 'at', 'atJson', 'v1', 'v2', 'v3', 'v4', 'v5', 'v6', 'v7')
if p[1] == ARGV[1] or not p[1] then return done() end
redis.call('HSET', KEYS[1], 'applied', ARGV[1])
if p[2] and tonumber(p[2]) > tonumber(ARGV[1]) then return 0 end
local id = redis.call('GET', KEYS[3])
if not id or not p[3] or not p[4] then return 0 end
local h = ARGV[3] .. id
local f = redis.call('HMGET', h, 'threadTs', 'channel', 'lastEventMs', 'status', 'triggerCount', 'analysisQueuedFor',
  'title', 'severity', 'status', 'target', 'members', 'truncatedAlerts', 'links')
local owed = f[4] == '"triggered"' and (tonumber(f[6] or '0') or 0) < (tonumber(f[5] or '1') or 1)
if not (f[1] and f[2] and f[3]) or owed then return 0 end
for i = 1, 7 do
  if f[6 + i] ~= p[4 + i] then return 0 end
end
if tonumber(p[3]) >= tonumber(f[3]) then
  redis.call('HSET', h, 'lastEventAt', p[4], 'lastEventMs', p[3])
end
return done()
`);

/** Drops the pending hash if its version is still ARGV[1] (a final failure). KEYS: hash, index; ARGV: version, member. */
const dropScript = defineRedisScript(`
if redis.call('HGET', KEYS[1], 'version') == ARGV[1] then
  redis.call('DEL', KEYS[1])
  redis.call('ZREM', KEYS[2], ARGV[2])
  return 1
end
return 0
`);

/** Marks a job queued for the hash if the last one is older than ARGV[2] ms. KEYS: hash; ARGV: now, after. */
const requeueScript = defineRedisScript(`
if redis.call('EXISTS', KEYS[1]) == 0 then return false end
local queued = tonumber(redis.call('HGET', KEYS[1], 'queuedAt') or '0')
if tonumber(ARGV[1]) - queued < tonumber(ARGV[2]) then return false end
redis.call('HSET', KEYS[1], 'queuedAt', ARGV[1])
return {redis.call('HGET', KEYS[1], 'key'), redis.call('HGET', KEYS[1], 'version')}
`);

export interface PendingAlerts {
  /**
   * Applies the newest pending alert of `incidentKey` with `apply`, and again while newer
   * ones arrived; call it holding the incident's lock. A failure that retrying cannot fix
   * drops the alert it was about (and is rethrown); any other failure leaves it pending for
   * the job's retry. `undefined` when nothing was pending (an earlier job took it).
   */
  drain<T>(incidentKey: string, apply: (alert: Alert) => Promise<T>, isFinal: (err: unknown) => boolean): Promise<T | undefined>;
  /** Queues a job (by `enqueue`) for every alert pending longer than `staleMs` whose last job is that old. */
  sweep(enqueue: (incidentKey: string, version: string) => Promise<void>, staleMs: number, now: number): Promise<number>;
}

/** How many newer alerts one job applies before it leaves the rest to a fresh job. */
const maxRoundsPerJob = 20;

export function createPendingAlerts(options: { redis: Redis; prefix: string }): PendingAlerts {
  const { redis } = options;
  const keys = pendingKeys(options.prefix);
  const incidentKeys = incidentRedisKeys(options.prefix);
  return {
    async drain(incidentKey, apply, isFinal) {
      const hash = keys.hash(incidentKey);
      let result;
      for (let round = 0; round < maxRoundsPerJob; round++) {
        const pending = await redis.hgetall(hash);
        if (pending.alert === undefined || pending.version === undefined) return result;
        const alert = Alert.parse(JSON.parse(pending.alert));
        // A re-trigger stored after the last applied round is still owed, even if a later
        // delivery (without the flag) replaced its alert.
        if (Number(pending.retrigger ?? 0) > Number(pending.applied ?? 0) && alert.status === 'triggered') alert.retrigger = true;
        try {
          result = await apply(alert);
        } catch (err) {
          if (isFinal(err)) await dropScript.run(redis, [hash, keys.index], [pending.version, keyHashOf(incidentKey)]);
          throw err;
        }
        const complete = await completeScript.run(redis, [hash, keys.index, incidentKeys.keyIndex(incidentKey)], [pending.version, keyHashOf(incidentKey), incidentKeys.hash('')]);
        if (complete === 1) return result;
      }
      // Still more after many rounds: let the next delivery or the sweep queue a fresh job.
      await redis.hset(hash, 'queuedAt', '0');
      return result;
    },
    async sweep(enqueue, staleMs, now) {
      const members = await redis.zrangebyscore(keys.index, '-inf', now - staleMs, 'LIMIT', 0, 200);
      let queued = 0;
      for (const member of members) {
        const hash = `${options.prefix}:intake-pending:${member}`;
        const due = (await requeueScript.run(redis, [hash], [now, staleMs])) as [string | null, string | null] | null;
        if (!due) {
          // The hash is gone (applied since) or was queued recently; drop a stale index entry.
          if ((await redis.exists(hash)) === 0) await redis.zrem(keys.index, member);
          continue;
        }
        const [incidentKey, version] = due;
        if (incidentKey === null || version === null) continue;
        await enqueue(incidentKey, `${version}-s${now}`);
        queued++;
      }
      return queued;
    },
  };
}
