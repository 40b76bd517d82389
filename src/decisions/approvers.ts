import type { ChannelConfig } from '../core/config/file.js';
import type { Clock } from '../shared/clock.js';
import type { SlackClient } from '../slack/client.js';

/** Members of a Slack user group (usergroups.users.list), injected so tests need no Slack. */
export type GroupMembers = (groupId: string) => Promise<string[]>;

export interface ApproverResolver {
  /** Whether `user` may decide proposals of a channel with this config. */
  isApprover(channel: Pick<ChannelConfig, 'approvers'>, user: string): Promise<boolean>;
  /** Whether `user` is in the Slack user group (same cache; a failed lookup is "no"). */
  inGroup(groupId: string, user: string): Promise<boolean>;
  /** Members of a Slack user group (same cache; a failed lookup is empty). */
  membersOf(groupId: string): Promise<string[]>;
}

export interface ApproverResolverDeps {
  groupMembers: GroupMembers;
  clock: Clock;
  /** How long a group's member list is trusted (default 5 minutes). */
  cacheTtlMs?: number;
}

/**
 * Resolves approvers: listed user ids first (no Slack call), then user-group members from a
 * cache. A failed group lookup counts as "not a member" rather than an error: refusing a click
 * is safe, and the next click tries again because failures are not cached.
 */
export function createApproverResolver(deps: ApproverResolverDeps): ApproverResolver {
  const ttl = deps.cacheTtlMs ?? 5 * 60_000;
  const cache = new Map<string, { members: Set<string>; until: number }>();

  async function membersOf(groupId: string): Promise<Set<string>> {
    const now = deps.clock();
    const hit = cache.get(groupId);
    if (hit && hit.until > now) return hit.members;
    try {
      const members = new Set(await deps.groupMembers(groupId));
      cache.set(groupId, { members, until: now + ttl });
      return members;
    } catch {
      return new Set();
    }
  }

  return {
    async isApprover(channel, user) {
      if (channel.approvers.users.includes(user)) return true;
      for (const group of channel.approvers.groups) {
        if ((await membersOf(group)).has(user)) return true;
      }
      return false;
    },
    inGroup: async (groupId, user) => (await membersOf(groupId)).has(user),
    membersOf: async (groupId) => [...(await membersOf(groupId))],
  };
}

/** groupMembers over Slack's usergroups.users.list, through the retrying Slack client. */
export function slackGroupMembers(slack: Pick<SlackClient, 'call'>): GroupMembers {
  return async (usergroup) => {
    const res = (await slack.call('usergroups.users.list', { usergroup })) as { users?: string[] };
    return res.users ?? [];
  };
}
