import type { Redis } from 'ioredis';
import { AppError } from '../shared/errors.js';
import { Incident, isClosedStatus } from './incident.js';
import { defineRedisScript } from './redis-script.js';

/**
 * Incidents and their Slack thread mapping, in Redis. An incident is a hash (one field per
 * top-level property, JSON-encoded), so an update writes only the fields it changes and is
 * atomic without read-modify-write. Indexes: incident key → id (created with SET NX: exactly
 * one incident per key, whichever process gets there first), thread (channel+ts) → id, and
 * the set of open (not resolved or recovered) incidents.
 */
export interface IncidentStore {
  /**
   * Creates the incident unless one with the same key exists. Atomic: of two concurrent
   * creates for one key, exactly one gets `created: true`; both get the stored incident.
   */
  create(incident: Incident): Promise<{ created: boolean; incident: Incident }>;
  get(id: string): Promise<Incident | undefined>;
  getByKey(key: string): Promise<Incident | undefined>;
  /** The incident whose thread root is this message (for thread replies and buttons). */
  getByThread(channel: string, threadTs: string): Promise<Incident | undefined>;
  /** Writes the given fields (and updatedAt); throws AppError('not_found') for an unknown id. */
  update(id: string, patch: IncidentPatch): Promise<Incident>;
  listOpen(): Promise<Incident[]>;
  /**
   * Points `key` at incident `intoId` (an alert joining the incident of its workload, see
   * workload-aliases.ts). When `discardId` is given, that incident — created for the key but
   * never posted — is deleted.
   */
  relinkKey(key: string, intoId: string, discardId?: string): Promise<void>;
}

export type IncidentPatch = Partial<Omit<Incident, 'id' | 'key' | 'createdAt'>>;

/**
 * Creates an incident unless its key has one: {id} when created, else {existing id, its
 * fields}, in one round trip. KEYS: key index, hash, open set; ARGV: id, open ('1' | '0'),
 * hash prefix, field, value…
 */
const createScript = defineRedisScript(`
local existing = redis.call('GET', KEYS[1])
if existing then return {existing, redis.call('HGETALL', ARGV[3] .. existing)} end
redis.call('SET', KEYS[1], ARGV[1])
redis.call('HSET', KEYS[2], unpack(ARGV, 4))
if ARGV[2] == '1' then redis.call('SADD', KEYS[3], ARGV[1]) end
return {ARGV[1]}
`);

/**
 * Writes fields of an existing incident and returns all of them, in one round trip.
 * KEYS: hash, open set, thread index ('' when unchanged); ARGV: id, open ('1' | '0' | ''), field, value…
 */
const updateScript = defineRedisScript(`
if redis.call('EXISTS', KEYS[1]) == 0 then return false end
redis.call('HSET', KEYS[1], unpack(ARGV, 3))
if ARGV[2] == '1' then redis.call('SADD', KEYS[2], ARGV[1]) elseif ARGV[2] == '0' then redis.call('SREM', KEYS[2], ARGV[1]) end
if KEYS[3] ~= '' then redis.call('SET', KEYS[3], ARGV[1]) end
return redis.call('HGETALL', KEYS[1])
`);

/**
 * Where the store keeps an incident in Redis. Exported for intake's accept script, which reads
 * and touches an incident in the same round trip as it records a delivery. Beside the
 * incident's JSON fields the hash holds `lastEventMs` (lastEventAt in epoch ms, for scripts).
 */
export function incidentRedisKeys(prefix: string) {
  return {
    hash: (id: string) => `${prefix}:incident:${id}`,
    keyIndex: (key: string) => `${prefix}:incident-key:${key}`,
    threadIndex: (channel: string, ts: string) => `${prefix}:incident-thread:${channel}:${ts}`,
    openSet: `${prefix}:incidents:open`,
  };
}

export function createIncidentStore(options: { redis: Redis; prefix: string; clock?: () => number }): IncidentStore {
  const { redis, prefix } = options;
  const clock = options.clock ?? Date.now;
  const { hash: hashKey, keyIndex, threadIndex, openSet } = incidentRedisKeys(prefix);

  const get = async (id: string): Promise<Incident | undefined> => decodeIncident(id, await redis.hgetall(hashKey(id)));

  const getByIndex = async (indexKey: string) => {
    const id = await redis.get(indexKey);
    return id === null ? undefined : get(id);
  };

  return {
    async create(incident) {
      const valid = Incident.parse(incident);
      const args: string[] = [valid.id, isClosedStatus(valid.status) ? '0' : '1', hashKey(''), ...encodeFields(valid)];
      const [id, raw] = (await createScript.run(redis, [keyIndex(valid.key), hashKey(valid.id), openSet], args)) as [string, string[]?];
      if (id === valid.id) {
        if (valid.channel && valid.threadTs) await redis.set(threadIndex(valid.channel, valid.threadTs), valid.id);
        return { created: true, incident: valid };
      }
      // The incident already there comes back in the same round trip.
      const existing = raw ? decodeIncident(id, pairsOf(raw)) : undefined;
      if (!existing) throw new AppError('internal', `incident index points at missing incident ${id}`, { retryable: true });
      return { created: false, incident: existing };
    },
    get,
    getByKey: (key) => getByIndex(keyIndex(key)),
    getByThread: (channel, ts) => getByIndex(threadIndex(channel, ts)),
    async update(id, patch) {
      const fields = encodeFields({ ...patch, updatedAt: new Date(clock()).toISOString() });
      const open = patch.status === undefined ? '' : isClosedStatus(patch.status) ? '0' : '1';
      const thread = patch.channel && patch.threadTs ? threadIndex(patch.channel, patch.threadTs) : '';
      const raw = (await updateScript.run(redis, [hashKey(id), openSet, thread], [id, open, ...fields])) as string[] | null;
      const updated = raw ? decodeIncident(id, pairsOf(raw)) : undefined;
      if (!updated) throw new AppError('not_found', `no incident ${id}`, { retryable: false });
      return updated;
    },
    async listOpen() {
      const ids = await redis.smembers(openSet);
      const incidents = await Promise.all(ids.map((id) => get(id)));
      return incidents.filter((i): i is Incident => i !== undefined);
    },
    async relinkKey(key, intoId, discardId) {
      const tx = redis.multi().set(keyIndex(key), intoId);
      if (discardId !== undefined && discardId !== intoId) tx.del(hashKey(discardId)).srem(openSet, discardId);
      await tx.exec();
    },
  };
}

/** The incident of a hash's fields (JSON each; `lastEventMs` and other script fields are dropped by the schema). */
function decodeIncident(id: string, raw: Record<string, string>): Incident | undefined {
  if (Object.keys(raw).length === 0) return undefined;
  const fields: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(raw)) fields[name] = JSON.parse(value) as unknown;
  const parsed = Incident.safeParse(fields);
  if (!parsed.success) throw new AppError('internal', `stored incident ${id} is invalid`, { cause: parsed.error, retryable: false });
  return parsed.data;
}

function pairsOf(flat: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) {
    const [name, value] = [flat[i], flat[i + 1]];
    if (name !== undefined && value !== undefined) out[name] = value;
  }
  return out;
}

function encodeFields(values: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const [name, value] of Object.entries(values)) {
    if (value !== undefined) out.push(name, JSON.stringify(value));
  }
  // For scripts that order events without parsing dates (intake's accept script).
  const lastEventMs = typeof values.lastEventAt === 'string' ? Date.parse(values.lastEventAt) : Number.NaN;
  if (Number.isFinite(lastEventMs)) out.push('lastEventMs', String(lastEventMs));
  return out;
}
