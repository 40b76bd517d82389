import * as z from 'zod';
import type { SandboxMessage, SandboxUser } from './types.js';
import { compareTs } from './workspace.js';
import { fail, formBoolean, formInt, parseArgs, type ApiHandler, type ApiResult } from './web-api-context.js';

const authTest: ApiHandler = (_args, ctx) => ({
  ok: true,
  url: `${ctx.baseUrl()}/`,
  team: ctx.identity.teamDomain,
  user: ctx.identity.botName,
  team_id: ctx.identity.teamId,
  user_id: ctx.identity.botUserId,
  bot_id: ctx.identity.botId,
  is_enterprise_install: false,
});

function userObject(user: SandboxUser, teamId: string): Record<string, unknown> {
  const realName = user.realName ?? user.name;
  return {
    id: user.id,
    team_id: teamId,
    name: user.name,
    real_name: realName,
    deleted: false,
    is_bot: user.isBot ?? false,
    is_admin: user.isAdmin ?? false,
    tz: 'UTC',
    profile: { real_name: realName, display_name: user.name, title: user.title ?? '' },
  };
}

const usersInfo: ApiHandler = (args, ctx) => {
  const parsed = parseArgs(z.object({ user: z.string().min(1) }), args);
  if (!parsed.ok) return parsed.result;
  const user = ctx.workspace.users.get(parsed.data.user);
  if (!user) return fail('user_not_found');
  return { ok: true, user: userObject(user, ctx.identity.teamId) };
};

const usersList: ApiHandler = (_args, ctx) => ({
  ok: true,
  members: [...ctx.workspace.users.values()].map((u) => userObject(u, ctx.identity.teamId)),
  response_metadata: { next_cursor: '' },
});

const usergroupsUsersList: ApiHandler = (args, ctx) => {
  const parsed = parseArgs(z.object({ usergroup: z.string().min(1) }), args);
  if (!parsed.ok) return parsed.result;
  const group = ctx.workspace.usergroups.get(parsed.data.usergroup);
  if (!group) return fail('no_such_subteam');
  return { ok: true, users: [...group.users] };
};

const usergroupsList: ApiHandler = (_args, ctx) => ({
  ok: true,
  usergroups: [...ctx.workspace.usergroups.values()].map((g) => ({ id: g.id, handle: g.handle, name: g.handle, users: g.users })),
});

const PageArgs = z.object({
  channel: z.string().min(1),
  limit: formInt.optional(),
  cursor: z.string().optional(),
  latest: z.string().optional(),
  oldest: z.string().optional(),
  inclusive: formBoolean.optional(),
  include_all_metadata: formBoolean.optional(),
});

/** A copy as conversations.* return it: metadata only when include_all_metadata asks for it. */
function shownMessage(message: SandboxMessage, args: z.infer<typeof PageArgs>): SandboxMessage {
  const copy = structuredClone(message);
  if (!args.include_all_metadata) delete copy.metadata;
  return copy;
}

/** Filters by latest/oldest and cuts a page; cursors are plain offsets. */
function page(messages: SandboxMessage[], args: z.infer<typeof PageArgs>): ApiResult {
  const inclusive = args.inclusive ?? false;
  const inRange = messages.filter((m) => {
    if (args.oldest && (inclusive ? compareTs(m.ts, args.oldest) < 0 : compareTs(m.ts, args.oldest) <= 0)) return false;
    if (args.latest && (inclusive ? compareTs(m.ts, args.latest) > 0 : compareTs(m.ts, args.latest) >= 0)) return false;
    return true;
  });
  const offset = args.cursor ? Number(args.cursor.replace(/^offset:/, '')) || 0 : 0;
  const limit = Math.min(args.limit && args.limit > 0 ? args.limit : 100, 1000);
  const slice = inRange.slice(offset, offset + limit);
  const hasMore = offset + limit < inRange.length;
  return {
    ok: true,
    messages: slice.map((m) => shownMessage(m, args)),
    has_more: hasMore,
    response_metadata: { next_cursor: hasMore ? `offset:${offset + limit}` : '' },
  };
}

const conversationsReplies: ApiHandler = (args, ctx) => {
  const parsed = parseArgs(PageArgs.extend({ ts: z.string().min(1) }), args);
  if (!parsed.ok) return parsed.result;
  const channel = ctx.workspace.findChannel(parsed.data.channel);
  if (!channel) return fail('channel_not_found');
  const target = ctx.workspace.findMessage(channel.id, parsed.data.ts);
  if (!target) return fail('thread_not_found');
  const thread = ctx.workspace.thread(channel.id, target.thread_ts ?? target.ts);
  // The root is always on the first page, as in Slack.
  const [root, ...replies] = thread;
  const result = page(replies, parsed.data);
  if (root && result.ok && !parsed.data.cursor) {
    result.messages = [shownMessage(root, parsed.data), ...(result.messages as SandboxMessage[])];
  }
  return result;
};

const conversationsHistory: ApiHandler = (args, ctx) => {
  const parsed = parseArgs(PageArgs, args);
  if (!parsed.ok) return parsed.result;
  const channel = ctx.workspace.findChannel(parsed.data.channel);
  if (!channel) return fail('channel_not_found');
  const topLevel = ctx.workspace
    .messages(channel.id)
    .filter((m) => m.thread_ts === undefined || m.thread_ts === m.ts)
    .reverse();
  return page(topLevel, parsed.data);
};

function channelObject(channel: { id: string; name: string; isPrivate?: boolean; topic?: string }): Record<string, unknown> {
  return {
    id: channel.id,
    name: channel.name,
    is_channel: !channel.isPrivate,
    is_group: channel.isPrivate ?? false,
    is_private: channel.isPrivate ?? false,
    is_archived: false,
    is_member: true,
    topic: { value: channel.topic ?? '' },
  };
}

const conversationsInfo: ApiHandler = (args, ctx) => {
  const parsed = parseArgs(z.object({ channel: z.string().min(1) }), args);
  if (!parsed.ok) return parsed.result;
  const channel = ctx.workspace.findChannel(parsed.data.channel);
  if (!channel) return fail('channel_not_found');
  return { ok: true, channel: channelObject(channel) };
};

const conversationsList: ApiHandler = (_args, ctx) => ({
  ok: true,
  channels: [...ctx.workspace.channels.values()].map(channelObject),
  response_metadata: { next_cursor: '' },
});

export const readHandlers: Record<string, ApiHandler> = {
  'auth.test': authTest,
  'users.info': usersInfo,
  'users.list': usersList,
  'usergroups.users.list': usergroupsUsersList,
  'usergroups.list': usergroupsList,
  'conversations.replies': conversationsReplies,
  'conversations.history': conversationsHistory,
  'conversations.info': conversationsInfo,
  'conversations.list': conversationsList,
  // The sandbox bot is in every channel: joining answers like conversations.info.
  'conversations.join': conversationsInfo,
};
