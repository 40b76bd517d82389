import * as z from 'zod';
import { checkBlocks } from './blocks-check.js';
import type { SandboxMessage } from './types.js';
import { fail, formBoolean, jsonArray, parseArgs, permalinkOf, type ApiContext, type ApiHandler, type ApiResult } from './web-api-context.js';

const maxTextLength = 40_000;

const MessageContent = z.object({
  text: z.string().optional(),
  blocks: jsonArray.optional(),
  attachments: jsonArray.optional(),
});

const PostMessageArgs = MessageContent.extend({
  channel: z.string().min(1),
  thread_ts: z.string().optional(),
  reply_broadcast: formBoolean.optional(),
  metadata: z.object({ event_type: z.string().min(1), event_payload: z.record(z.string(), z.unknown()) }).optional(),
});

const UpdateArgs = MessageContent.extend({ channel: z.string().min(1), ts: z.string().min(1) });

const PostEphemeralArgs = MessageContent.extend({
  channel: z.string().min(1),
  user: z.string().min(1),
  thread_ts: z.string().optional(),
});

const DeleteArgs = z.object({ channel: z.string().min(1), ts: z.string().min(1) });

/** Slack's checks on a message body: something to show, valid blocks, not too long. */
function checkContent(content: z.infer<typeof MessageContent>): ApiResult | undefined {
  const hasBlocks = content.blocks !== undefined && content.blocks.length > 0;
  const hasAttachments = content.attachments !== undefined && content.attachments.length > 0;
  if (!content.text && !hasBlocks && !hasAttachments) return fail('no_text');
  if ((content.text?.length ?? 0) > maxTextLength) return fail('msg_too_long');
  if (content.blocks !== undefined) {
    const messages = checkBlocks(content.blocks);
    if (messages.length > 0) return fail('invalid_blocks', { response_metadata: { messages } });
  }
  return undefined;
}

function contentOf(content: z.infer<typeof MessageContent>): Pick<SandboxMessage, 'text' | 'blocks' | 'attachments'> {
  return {
    text: content.text ?? '',
    ...(content.blocks ? { blocks: content.blocks } : {}),
    ...(content.attachments ? { attachments: content.attachments } : {}),
  };
}

/** The reply's thread root: a reply's ts threads under that reply's root, as in Slack. */
function resolveThread(ctx: ApiContext, channel: string, threadTs: string): string | undefined {
  const target = ctx.workspace.findMessage(channel, threadTs);
  if (!target) return undefined;
  return target.thread_ts ?? target.ts;
}

const postMessage: ApiHandler = (args, ctx) => {
  const parsed = parseArgs(PostMessageArgs, args);
  if (!parsed.ok) return parsed.result;
  const input = parsed.data;
  const channel = ctx.workspace.findChannel(input.channel);
  if (!channel) return fail('channel_not_found');
  const invalid = checkContent(input);
  if (invalid) return invalid;
  let threadTs: string | undefined;
  if (input.thread_ts) {
    threadTs = resolveThread(ctx, channel.id, input.thread_ts);
    if (!threadTs) return fail('thread_not_found');
  }
  const message = ctx.workspace.addMessage({
    channel: channel.id,
    user: ctx.identity.botUserId,
    bot_id: ctx.identity.botId,
    ...contentOf(input),
    ...(threadTs ? { thread_ts: threadTs } : {}),
    ...(input.metadata ? { metadata: input.metadata } : {}),
  });
  return { ok: true, channel: channel.id, ts: message.ts, message: { ...message, app_id: ctx.identity.appId } };
};

const update: ApiHandler = (args, ctx) => {
  const parsed = parseArgs(UpdateArgs, args);
  if (!parsed.ok) return parsed.result;
  const input = parsed.data;
  const channel = ctx.workspace.findChannel(input.channel);
  if (!channel) return fail('channel_not_found');
  const existing = ctx.workspace.findMessage(channel.id, input.ts);
  if (!existing) return fail('message_not_found');
  if (existing.bot_id !== ctx.identity.botId) return fail('cant_update_message');
  const invalid = checkContent({ text: input.text ?? existing.text, blocks: input.blocks, attachments: input.attachments });
  if (invalid) return invalid;
  const patch: Partial<SandboxMessage> = { edited: { user: ctx.identity.botUserId, ts: ctx.workspace.nextTs() } };
  if (input.text !== undefined) patch.text = input.text;
  if (input.blocks !== undefined) patch.blocks = input.blocks;
  if (input.attachments !== undefined) patch.attachments = input.attachments;
  const message = ctx.workspace.updateMessage(channel.id, input.ts, patch);
  return { ok: true, channel: channel.id, ts: input.ts, text: message?.text ?? '', message };
};

const postEphemeral: ApiHandler = (args, ctx) => {
  const parsed = parseArgs(PostEphemeralArgs, args);
  if (!parsed.ok) return parsed.result;
  const input = parsed.data;
  const channel = ctx.workspace.findChannel(input.channel);
  if (!channel) return fail('channel_not_found');
  if (!ctx.workspace.users.has(input.user)) return fail('user_not_in_channel');
  const invalid = checkContent(input);
  if (invalid) return invalid;
  const ephemeral = ctx.workspace.addEphemeral({
    channel: channel.id,
    user: input.user,
    text: input.text ?? '',
    ...(input.blocks ? { blocks: input.blocks } : {}),
    ...(input.thread_ts ? { thread_ts: resolveThread(ctx, channel.id, input.thread_ts) ?? input.thread_ts } : {}),
  });
  return { ok: true, message_ts: ephemeral.ts };
};

const deleteMessage: ApiHandler = (args, ctx) => {
  const parsed = parseArgs(DeleteArgs, args);
  if (!parsed.ok) return parsed.result;
  const channel = ctx.workspace.findChannel(parsed.data.channel);
  if (!channel) return fail('channel_not_found');
  const existing = ctx.workspace.findMessage(channel.id, parsed.data.ts);
  if (!existing) return fail('message_not_found');
  if (existing.bot_id !== ctx.identity.botId) return fail('cant_delete_message');
  ctx.workspace.deleteMessage(channel.id, parsed.data.ts);
  return { ok: true, channel: channel.id, ts: parsed.data.ts };
};

const getPermalink: ApiHandler = (args, ctx) => {
  const parsed = parseArgs(z.object({ channel: z.string(), message_ts: z.string() }), args);
  if (!parsed.ok) return parsed.result;
  const channel = ctx.workspace.findChannel(parsed.data.channel);
  if (!channel) return fail('channel_not_found');
  if (!ctx.workspace.findMessage(channel.id, parsed.data.message_ts)) return fail('message_not_found');
  return { ok: true, channel: channel.id, permalink: permalinkOf(ctx.baseUrl(), channel.id, parsed.data.message_ts) };
};

export const chatHandlers: Record<string, ApiHandler> = {
  'chat.postMessage': postMessage,
  'chat.update': update,
  'chat.postEphemeral': postEphemeral,
  'chat.delete': deleteMessage,
  'chat.getPermalink': getPermalink,
};
