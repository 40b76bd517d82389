import type { Redis } from 'ioredis';
import type { AuditLog } from './audit-log.js';
import { ChannelMode } from '../core/config/file.js';
import type { ChannelConfig } from '../core/config/file.js';
import type { ApproverResolver } from './approvers.js';

export interface ModeStoreDeps {
  redis: Redis;
  prefix: string;
  audit: AuditLog;
  approvers: ApproverResolver;
  /** The channel's settings from deckhand.yaml (channelConfigOf). */
  channelConfig: (channel: string) => ChannelConfig & { configured: boolean };
}

export type SetModeResult =
  | { ok: true; mode: ChannelMode; previous: ChannelMode }
  | { ok: false; reason: 'not_approver' | 'not_configured'; message: string };

export interface ModeStore {
  /** The run-time override, if any. */
  getOverride(channel: string): Promise<ChannelMode | undefined>;
  /** What applies now: override ?? deckhand.yaml. */
  effectiveMode(channel: string): Promise<ChannelMode>;
  /** `/k8s mode <mode>`: only the channel's approvers; persisted and audited. */
  setChannelMode(input: { channel: string; mode: ChannelMode; user: string }): Promise<SetModeResult>;
}

/**
 * Per-channel mode overrides in Redis (no TTL: they survive restarts until changed again).
 * A channel absent from deckhand.yaml stays in plan mode: an override cannot make a channel
 * act that has no cluster, namespaces or approvers configured.
 */
export function createModeStore(deps: ModeStoreDeps): ModeStore {
  const key = `${deps.prefix}:control:modes`;
  const getOverride = async (channel: string) => {
    const raw = await deps.redis.hget(key, channel);
    const parsed = ChannelMode.safeParse(raw);
    return parsed.success ? parsed.data : undefined;
  };
  const effectiveMode = async (channel: string) => {
    const config = deps.channelConfig(channel);
    if (!config.configured) return 'plan';
    return (await getOverride(channel)) ?? config.mode;
  };
  return {
    getOverride,
    effectiveMode,
    async setChannelMode({ channel, mode, user }) {
      const config = deps.channelConfig(channel);
      if (!config.configured) {
        return { ok: false, reason: 'not_configured', message: 'This channel is not configured in deckhand.yaml, so it stays in plan mode.' };
      }
      if (!(await deps.approvers.isApprover(config, user))) {
        return { ok: false, reason: 'not_approver', message: "Only this channel's approvers may change its mode." };
      }
      const previous = await effectiveMode(channel);
      await deps.redis.hset(key, channel, mode);
      await deps.audit.append({
        type: 'mode_change',
        actor: user,
        channel,
        summary: `mode of ${channel} changed from ${previous} to ${mode} by ${user}`,
        details: { previous, mode },
      });
      return { ok: true, mode, previous };
    },
  };
}
