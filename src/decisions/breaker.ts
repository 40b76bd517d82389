import type { Redis } from 'ioredis';
import * as z from 'zod';
import type { Clock } from '../shared/clock.js';

export interface BreakerOptions {
  /** Consecutive failed executions or verifications that open it (default 5). */
  failureThreshold?: number;
  /** How long it stays open (default 5 minutes). */
  cooldownMs?: number;
  /** Successful human-approved runs that close it early (default 2). */
  successThreshold?: number;
}

export type BreakerState = { open: false; failures: number } | { open: true; failures: number; openedAt: number; closesAt: number };

export interface CircuitBreaker {
  state(cluster: string): Promise<BreakerState>;
  /** Returns true when this failure opened the breaker. */
  recordFailure(cluster: string): Promise<{ opened: boolean }>;
  /** `human`: the run was approved by people (yolo runs do not close an open breaker). */
  recordSuccess(cluster: string, options: { human: boolean }): Promise<{ closed: boolean }>;
}

// KEYS: hash. ARGV: now, cooldownMs, op ('state'|'fail'|'ok'), threshold (failures or successes), human ('1'|'0')
const script = `
local now = tonumber(ARGV[1])
local opened = tonumber(redis.call('HGET', KEYS[1], 'openedAt') or '-1')
if opened >= 0 and now - opened >= tonumber(ARGV[2]) then
  redis.call('DEL', KEYS[1])
  opened = -1
end
local op = ARGV[3]
local event = ''
if op == 'fail' then
  local failures = redis.call('HINCRBY', KEYS[1], 'failures', 1)
  redis.call('HSET', KEYS[1], 'successes', 0)
  if opened < 0 and failures >= tonumber(ARGV[4]) then
    redis.call('HSET', KEYS[1], 'openedAt', ARGV[1])
    opened = now
    event = 'opened'
  end
elseif op == 'ok' then
  if opened < 0 then
    redis.call('DEL', KEYS[1])
  elseif ARGV[5] == '1' then
    if redis.call('HINCRBY', KEYS[1], 'successes', 1) >= tonumber(ARGV[4]) then
      redis.call('DEL', KEYS[1])
      opened = -1
      event = 'closed'
    end
  end
end
return { tostring(opened), redis.call('HGET', KEYS[1], 'failures') or '0', event }
`;

/**
 * A circuit breaker per cluster, in Redis so every worker sees the same state. While open,
 * yolo falls back to approval (decideAutoRun); humans may still approve runs, and two of
 * those succeeding close it before the cool-down ends. All transitions are one Lua call.
 */
export function createCircuitBreaker(deps: { redis: Redis; prefix: string; clock: Clock; options?: BreakerOptions }): CircuitBreaker {
  const failureThreshold = deps.options?.failureThreshold ?? 5;
  const cooldownMs = deps.options?.cooldownMs ?? 5 * 60_000;
  const successThreshold = deps.options?.successThreshold ?? 2;
  const keyOf = (cluster: string) => `${deps.prefix}:breaker:${cluster}`;

  async function call(cluster: string, op: 'state' | 'fail' | 'ok', threshold: number, human = false) {
    const reply = (await deps.redis.eval(script, 1, keyOf(cluster), String(deps.clock()), String(cooldownMs), op, String(threshold), human ? '1' : '0'));
    const [opened, failures, event] = z.tuple([z.coerce.number(), z.coerce.number(), z.string()]).parse(reply);
    const state: BreakerState = opened >= 0 ? { open: true, failures, openedAt: opened, closesAt: opened + cooldownMs } : { open: false, failures };
    return { state, event };
  }

  return {
    state: async (cluster) => (await call(cluster, 'state', 0)).state,
    recordFailure: async (cluster) => ({ opened: (await call(cluster, 'fail', failureThreshold)).event === 'opened' }),
    recordSuccess: async (cluster, { human }) => ({ closed: (await call(cluster, 'ok', successThreshold, human)).event === 'closed' }),
  };
}
