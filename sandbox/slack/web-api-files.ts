import * as z from 'zod';
import { checkBlocks } from './blocks-check.js';
import type { SandboxChannel, SandboxMessage } from './types.js';
import { fail, formInt, jsonArray, parseArgs, type ApiContext, type ApiHandler, type ApiResult } from './web-api-context.js';

const ReactionArgs = z.object({ channel: z.string().min(1), timestamp: z.string().min(1), name: z.string().min(1) });

/** The message a reactions.* call is about, and the emoji name without colons; or the error answer. */
function findReactionTarget(args: Record<string, unknown>, ctx: ApiContext): { channel: SandboxChannel; message: SandboxMessage; name: string } | { result: ApiResult } {
  const parsed = parseArgs(ReactionArgs, args);
  if (!parsed.ok) return { result: parsed.result };
  const channel = ctx.workspace.findChannel(parsed.data.channel);
  if (!channel) return { result: fail('channel_not_found') };
  const message = ctx.workspace.findMessage(channel.id, parsed.data.timestamp);
  if (!message) return { result: fail('message_not_found') };
  return { channel, message, name: parsed.data.name.replace(/^:|:$/g, '') };
}

const reactionsAdd: ApiHandler = (args, ctx) => {
  const target = findReactionTarget(args, ctx);
  if ('result' in target) return target.result;
  const { channel, message, name } = target;
  const reactions = message.reactions ?? [];
  const existing = reactions.find((r) => r.name === name);
  const me = ctx.identity.botUserId;
  if (existing?.users.includes(me)) return fail('already_reacted');
  if (existing) {
    existing.users.push(me);
    existing.count += 1;
  } else {
    reactions.push({ name, users: [me], count: 1 });
  }
  ctx.workspace.updateMessage(channel.id, message.ts, { reactions });
  return { ok: true };
};

const reactionsRemove: ApiHandler = (args, ctx) => {
  const target = findReactionTarget(args, ctx);
  if ('result' in target) return target.result;
  const { channel, message, name } = target;
  const me = ctx.identity.botUserId;
  const existing = message.reactions?.find((r) => r.name === name);
  if (!existing?.users.includes(me)) return fail('no_reaction');
  existing.users = existing.users.filter((u) => u !== me);
  existing.count -= 1;
  const reactions = (message.reactions ?? []).filter((r) => r.count > 0);
  if (reactions.length > 0) ctx.workspace.updateMessage(channel.id, message.ts, { reactions });
  else {
    delete message.reactions;
    ctx.workspace.updateMessage(channel.id, message.ts, {});
  }
  return { ok: true };
};

const getUploadUrl: ApiHandler = (args, ctx) => {
  const parsed = parseArgs(z.object({ filename: z.string().min(1), length: formInt }), args);
  if (!parsed.ok) return parsed.result;
  const id = `F${ctx.workspace.nextTs().replace('.', '')}`;
  ctx.workspace.files.set(id, { id, name: parsed.data.filename, title: parsed.data.filename, length: parsed.data.length, content: '' });
  return { ok: true, upload_url: `${ctx.baseUrl()}/upload/${id}`, file_id: id };
};

const CompleteArgs = z.object({
  files: z.array(z.object({ id: z.string(), title: z.string().optional() })).min(1),
  channel_id: z.string().optional(),
  channels: z.string().optional(),
  thread_ts: z.string().optional(),
  initial_comment: z.string().optional(),
  blocks: jsonArray.optional(),
});

const completeUpload: ApiHandler = (args, ctx) => {
  const parsed = parseArgs(CompleteArgs, args);
  if (!parsed.ok) return parsed.result;
  const input = parsed.data;
  const files = input.files.map((f) => ({ ref: f, file: ctx.workspace.files.get(f.id) }));
  if (files.some((f) => !f.file)) return fail('file_not_found');
  const channelId = input.channel_id ?? input.channels;
  const channel = channelId ? ctx.workspace.findChannel(channelId) : undefined;
  if (channelId && !channel) return fail('channel_not_found');
  if (input.blocks) {
    const messages = checkBlocks(input.blocks);
    if (messages.length > 0) return fail('invalid_blocks', { response_metadata: { messages } });
  }
  let threadTs: string | undefined;
  if (channel && input.thread_ts) {
    const target = ctx.workspace.findMessage(channel.id, input.thread_ts);
    if (!target) return fail('thread_not_found');
    threadTs = target.thread_ts ?? target.ts;
  }
  const shared = files.map(({ ref, file }) => {
    if (!file) throw new Error('unreachable: checked above');
    if (ref.title) file.title = ref.title;
    if (channel) file.channel = channel.id;
    if (threadTs) file.threadTs = threadTs;
    return { id: file.id, name: file.name, title: file.title };
  });
  if (channel) {
    ctx.workspace.addMessage({
      channel: channel.id,
      user: ctx.identity.botUserId,
      bot_id: ctx.identity.botId,
      text: input.initial_comment ?? '',
      files: shared,
      ...(input.blocks ? { blocks: input.blocks } : {}),
      ...(threadTs ? { thread_ts: threadTs } : {}),
    });
  }
  return { ok: true, files: shared.map((f) => ({ ...f, permalink: `${ctx.baseUrl()}/files/${f.id}` })) };
};

export const filesHandlers: Record<string, ApiHandler> = {
  'reactions.add': reactionsAdd,
  'reactions.remove': reactionsRemove,
  'files.getUploadURLExternal': getUploadUrl,
  'files.completeUploadExternal': completeUpload,
};
