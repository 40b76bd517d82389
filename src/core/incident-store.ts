import type { Redis } from 'ioredis';
import { AppError } from '../shared/errors.js';
import { Incident, isClosedStatus } from './incident.js';

/**
 * Incidents and their Slack thread mapping, in Redis. An incident is a hash (one field per
 * top-level property, JSON-encoded), so an update writes only the fields it changes and is
 * atomic without read-modify-write. Indexes: incident key → id (created with SET NX: exactly
 * one incident per key, whichever process gets there first), thread (channel+ts) → id, and
 * the set of open (not resolved) incidents.
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

const createScript = `
local existing = redis.call('GET', KEYS[1])
if existing then return existing end
redis.call('SET', KEYS[1], ARGV[1])
redis.call('HSET', KEYS[2], unpack(ARGV, 3))
if ARGV[2] == '1' then redis.call('SADD', KEYS[3], ARGV[1]) end
return ARGV[1]
`;

export function createIncidentStore(options: { redis: Redis; prefix: string; clock?: () => number }): IncidentStore {
  const { redis, prefix } = options;
  const clock = options.clock ?? Date.now;
  const hashKey = (id: string) => `${prefix}:incident:${id}`;
  const keyIndex = (key: string) => `${prefix}:incident-key:${key}`;
  const threadIndex = (channel: string, ts: string) => `${prefix}:incident-thread:${channel}:${ts}`;
  const openSet = `${prefix}:incidents:open`;

  const get = async (id: string): Promise<Incident | undefined> => {
    const raw = await redis.hgetall(hashKey(id));
    if (Object.keys(raw).length === 0) return undefined;
    const fields: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(raw)) fields[name] = JSON.parse(value) as unknown;
    const parsed = Incident.safeParse(fields);
    if (!parsed.success) throw new AppError('internal', `stored incident ${id} is invalid`, { cause: parsed.error, retryable: false });
    return parsed.data;
  };

  const getByIndex = async (indexKey: string) => {
    const id = await redis.get(indexKey);
    return id === null ? undefined : get(id);
  };

  return {
    async create(incident) {
      const valid = Incident.parse(incident);
      const args: string[] = [valid.id, isClosedStatus(valid.status) ? '0' : '1', ...encodeFields(valid)];
      const id = (await redis.eval(createScript, 3, keyIndex(valid.key), hashKey(valid.id), openSet, ...args)) as string;
      if (id === valid.id) {
        if (valid.channel && valid.threadTs) await redis.set(threadIndex(valid.channel, valid.threadTs), valid.id);
        return { created: true, incident: valid };
      }
      const existing = await get(id);
      if (!existing) throw new AppError('internal', `incident index points at missing incident ${id}`, { retryable: true });
      return { created: false, incident: existing };
    },
    get,
    getByKey: (key) => getByIndex(keyIndex(key)),
    getByThread: (channel, ts) => getByIndex(threadIndex(channel, ts)),
    async update(id, patch) {
      if ((await redis.exists(hashKey(id))) === 0) throw new AppError('not_found', `no incident ${id}`, { retryable: false });
      const fields = encodeFields({ ...patch, updatedAt: new Date(clock()).toISOString() });
      const tx = redis.multi().hset(hashKey(id), ...fields);
      if (patch.status !== undefined && isClosedStatus(patch.status)) tx.srem(openSet, id);
      else if (patch.status !== undefined) tx.sadd(openSet, id);
      if (patch.channel && patch.threadTs) tx.set(threadIndex(patch.channel, patch.threadTs), id);
      await tx.exec();
      const updated = await get(id);
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

function encodeFields(values: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const [name, value] of Object.entries(values)) {
    if (value !== undefined) out.push(name, JSON.stringify(value));
  }
  return out;
}
