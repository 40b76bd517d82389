import type { Redis } from 'ioredis';
import * as z from 'zod';
import type { AuditLog } from './audit-log.js';
import type { Clock } from '../shared/clock.js';

/**
 * The kill switch key. Its existence means "paused"; the proposal store's Lua scripts check it
 * inside the same atomic step that starts an execution, so no run can slip past a pause.
 */
export function pauseKeyOf(prefix: string): string {
  return `${prefix}:control:pause`;
}

export const PauseState = z.object({ paused: z.literal(true), by: z.string(), at: z.string(), reason: z.string().optional() });
export type PauseState = z.infer<typeof PauseState> | { paused: false };

export interface PauseSwitch {
  state(): Promise<PauseState>;
  isPaused(): Promise<boolean>;
  /** Returns false when it was already paused (the first pause's who/when are kept). */
  pause(input: { user: string; reason?: string }): Promise<boolean>;
  /** Returns false when it was not paused. */
  resume(input: { user: string }): Promise<boolean>;
}

export interface PauseSwitchDeps {
  redis: Redis;
  prefix: string;
  clock: Clock;
  audit: AuditLog;
}

/**
 * Pause / resume of all execution, persisted in Redis and audited. Who may pause is the
 * caller's check (the /k8s command handler): this is the switch, not the policy.
 */
export function createPauseSwitch(deps: PauseSwitchDeps): PauseSwitch {
  const key = pauseKeyOf(deps.prefix);
  const state = async (): Promise<PauseState> => {
    const raw = await deps.redis.get(key);
    if (raw === null) return { paused: false };
    const parsed = PauseState.safeParse(JSON.parse(raw));
    // An unreadable value still means paused: failing safe matters more than the details.
    return parsed.success ? parsed.data : { paused: true, by: 'unknown', at: 'unknown' };
  };
  return {
    state,
    isPaused: async () => (await deps.redis.exists(key)) === 1,
    async pause({ user, reason }) {
      const value: PauseState = { paused: true, by: user, at: new Date(deps.clock()).toISOString(), ...(reason ? { reason } : {}) };
      const set = await deps.redis.set(key, JSON.stringify(value), 'NX');
      if (set !== 'OK') return false;
      await deps.audit.append({ type: 'pause', actor: user, summary: `execution paused by ${user}${reason ? `: ${reason}` : ''}` });
      return true;
    },
    async resume({ user }) {
      const removed = await deps.redis.del(key);
      if (removed === 0) return false;
      await deps.audit.append({ type: 'resume', actor: user, summary: `execution resumed by ${user}` });
      return true;
    },
  };
}
