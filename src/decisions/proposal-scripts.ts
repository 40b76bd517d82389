/**
 * Lua scripts of the proposal state machine. Each runs atomically in Redis, so two approvers
 * clicking at the same moment, a double click or two workers can never both move a proposal
 * forward. Every script answers a flat array: { outcome, detail? }.
 *
 * Hash fields: proposal (JSON), status, risk, required, approvals (JSON), expiresAtMs, auto,
 * decidedBy, decidedAt, reason, phase, owner, startedAt, finishedAt, outcome, summary, ...
 */

/** KEYS: hash, incident set, expiry zset. ARGV: proposal json, risk, required, expiresAtMs, retentionMs, id, createdAt, incidentId */
export const saveScript = `
if redis.call('EXISTS', KEYS[1]) == 1 then return {'exists'} end
redis.call('HSET', KEYS[1], 'proposal', ARGV[1], 'status', 'pending', 'risk', ARGV[2], 'required', ARGV[3],
  'approvals', '[]', 'expiresAtMs', ARGV[4], 'auto', '0', 'createdAt', ARGV[7])
redis.call('PEXPIRE', KEYS[1], ARGV[5])
redis.call('SADD', KEYS[2], ARGV[6])
redis.call('PEXPIRE', KEYS[2], ARGV[5])
redis.call('ZADD', KEYS[3], ARGV[4], ARGV[6])
return {'created'}
`;

/**
 * KEYS: hash, pause key, expiry zset, active zset. ARGV: user, nowMs, nowIso, auto ('1'|'0'), id
 * An approved proposal leaves the expiry set for the active set: what follows the decision
 * (its audit, the message edit, the run, the report, the verdict) is still owed, and the
 * resume sweep finds it there until every step is done.
 */
export const approveScript = `
local status = redis.call('HGET', KEYS[1], 'status')
if not status then return {'missing'} end
if redis.call('HGET', KEYS[1], 'risk') == 'forbidden' then return {'forbidden'} end
if status ~= 'pending' then return {'not_pending', status} end
if tonumber(ARGV[2]) >= tonumber(redis.call('HGET', KEYS[1], 'expiresAtMs')) then
  redis.call('HSET', KEYS[1], 'status', 'expired', 'decidedAt', ARGV[3], 'reason', 'expired')
  redis.call('ZREM', KEYS[3], ARGV[5])
  return {'expired'}
end
if redis.call('EXISTS', KEYS[2]) == 1 then return {'paused'} end
local approvals = cjson.decode(redis.call('HGET', KEYS[1], 'approvals'))
for _, a in ipairs(approvals) do
  if a.user == ARGV[1] then return {'duplicate', tostring(#approvals)} end
end
table.insert(approvals, { user = ARGV[1], at = ARGV[3] })
redis.call('HSET', KEYS[1], 'approvals', cjson.encode(approvals))
-- An auto (yolo) approval is the policy's decision and completes on its own.
if ARGV[4] == '1' or #approvals >= tonumber(redis.call('HGET', KEYS[1], 'required')) then
  redis.call('HSET', KEYS[1], 'status', 'approved', 'decidedAt', ARGV[3], 'auto', ARGV[4])
  redis.call('ZREM', KEYS[3], ARGV[5])
  redis.call('ZADD', KEYS[4], ARGV[2], ARGV[5])
  return {'approved', tostring(#approvals)}
end
return {'recorded', tostring(#approvals)}
`;

/**
 * Moves a proposal to a final state from one of the allowed ones. A rejection joins the active
 * set (its audit and message edit are owed, see approveScript).
 * KEYS: hash, expiry zset, active zset. ARGV: new status, allowed statuses (comma list), nowIso, by, reason, id, nowMs
 */
export const closeScript = `
local status = redis.call('HGET', KEYS[1], 'status')
if not status then return {'missing'} end
local allowed = false
for s in string.gmatch(ARGV[2], '[^,]+') do if s == status then allowed = true end end
if not allowed then return {'not_allowed', status} end
redis.call('HSET', KEYS[1], 'status', ARGV[1], 'decidedAt', ARGV[3])
if ARGV[4] ~= '' then redis.call('HSET', KEYS[1], 'decidedBy', ARGV[4]) end
if ARGV[5] ~= '' then redis.call('HSET', KEYS[1], 'reason', ARGV[5]) end
redis.call('ZREM', KEYS[2], ARGV[6])
if ARGV[1] == 'rejected' then redis.call('ZADD', KEYS[3], ARGV[7], ARGV[6]) end
return {'closed', status}
`;

/**
 * Takes the execution. approved → executing (phase dry_run) with a lock {owner, TTL}.
 * A proposal already executing is taken over only while the real run has provably not
 * started (phase dry_run) and nobody holds the lock; after that its outcome is unknown.
 * The kill switch is checked here, inside the same atomic step.
 * KEYS: hash, lock, pause. ARGV: owner, lockTtlMs, nowIso
 */
export const beginScript = `
local status = redis.call('HGET', KEYS[1], 'status')
if not status then return {'missing'} end
if status == 'executing' then
  local holder = redis.call('GET', KEYS[2])
  if holder then return {'in_progress', holder} end
  local phase = redis.call('HGET', KEYS[1], 'phase')
  if phase ~= 'dry_run' then return {'unknown', phase or ''} end
elseif status ~= 'approved' then
  return {'not_runnable', status}
end
if redis.call('EXISTS', KEYS[3]) == 1 then
  redis.call('HSET', KEYS[1], 'status', 'refused', 'reason', 'paused', 'decidedAt', ARGV[3])
  return {'paused'}
end
redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[2])
local resumed = status == 'executing'
redis.call('HSET', KEYS[1], 'status', 'executing', 'phase', 'dry_run', 'owner', ARGV[1])
if not resumed then redis.call('HSET', KEYS[1], 'startedAt', ARGV[3]) end
if resumed then return {'resumed'} end
return {'started'}
`;

/**
 * The persisted "real run started" marker, written just before the mutating call, by the lock
 * owner only, after a last pause check. KEYS: hash, lock, pause. ARGV: owner, lockTtlMs, nowIso, preSnapshot json
 */
export const applyScript = `
if redis.call('GET', KEYS[2]) ~= ARGV[1] then return {'lost_lock'} end
if redis.call('HGET', KEYS[1], 'status') ~= 'executing' then return {'lost_lock'} end
if redis.call('EXISTS', KEYS[3]) == 1 then
  redis.call('HSET', KEYS[1], 'status', 'refused', 'reason', 'paused', 'decidedAt', ARGV[3])
  redis.call('DEL', KEYS[2])
  return {'paused'}
end
redis.call('HSET', KEYS[1], 'phase', 'applying', 'applyingAt', ARGV[3])
if ARGV[4] ~= '' then redis.call('HSET', KEYS[1], 'preSnapshot', ARGV[4]) end
redis.call('PEXPIRE', KEYS[2], ARGV[2])
return {'ok'}
`;

/**
 * Records the outcome of a run; everything the report needs (code, whether the call threw)
 * is stored with it, so a retried job reports from the record alone.
 * KEYS: hash, lock. ARGV: owner, final status, outcome, summary, nowIso, error code, uncertain ('1'|'0')
 */
export const finishScript = `
if redis.call('HGET', KEYS[1], 'status') ~= 'executing' then return {'not_executing'} end
if redis.call('HGET', KEYS[1], 'owner') ~= ARGV[1] then return {'not_owner'} end
redis.call('HSET', KEYS[1], 'status', ARGV[2], 'outcome', ARGV[3], 'summary', ARGV[4], 'finishedAt', ARGV[5], 'uncertain', ARGV[7])
if ARGV[6] ~= '' then redis.call('HSET', KEYS[1], 'errorCode', ARGV[6]) end
if redis.call('GET', KEYS[2]) == ARGV[1] then redis.call('DEL', KEYS[2]) end
return {'ok'}
`;

/** Crash recovery: executing, real run started, nobody holds the lock → failed/unknown. KEYS: hash, lock. ARGV: summary, nowIso */
export const unknownScript = `
if redis.call('HGET', KEYS[1], 'status') ~= 'executing' then return {'not_executing'} end
if redis.call('EXISTS', KEYS[2]) == 1 then return {'in_progress'} end
redis.call('HSET', KEYS[1], 'status', 'failed', 'outcome', 'unknown', 'summary', ARGV[1], 'finishedAt', ARGV[2])
return {'ok'}
`;

/** The first verdict wins; a retried verification reads it back. KEYS: hash. ARGV: verdict json */
export const verdictScript = `
if redis.call('EXISTS', KEYS[1]) == 0 then return {'missing'} end
redis.call('HSETNX', KEYS[1], 'verification', ARGV[1])
return {'ok', redis.call('HGET', KEYS[1], 'verification')}
`;

/** KEYS: lock. ARGV: owner, ttlMs, 'extend'|'release' */
export const lockScript = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return {'not_owner'} end
if ARGV[3] == 'release' then redis.call('DEL', KEYS[1]) else redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return {'ok'}
`;
