import { randomBytes } from 'node:crypto';
import * as z from 'zod';
import { checkBlocks } from './blocks-check.js';
import type { SandboxIdentity } from './web-api-context.js';
import type { Workspace } from './workspace.js';

/** Where a response_url's answers go: the command's channel or the clicked message. */
export interface ResponseTarget {
  kind: 'command' | 'action';
  channel: string;
  user: string;
  /** The clicked message (actions only). */
  messageTs?: string;
  isEphemeral?: boolean;
  /** The thread the clicked message lives in, if any. */
  threadTs?: string;
}

/** The JSON a bot POSTs to a response_url (Bolt's `respond()`), or returns from a command `ack()`. */
export const ResponsePayload = z.object({
  text: z.string().optional(),
  blocks: z.array(z.unknown()).optional(),
  response_type: z.enum(['ephemeral', 'in_channel']).optional(),
  replace_original: z.union([z.boolean(), z.enum(['true', 'false'])]).optional(),
  delete_original: z.union([z.boolean(), z.enum(['true', 'false'])]).optional(),
  thread_ts: z.string().optional(),
});
export type ResponsePayload = z.infer<typeof ResponsePayload>;

export interface ResponseOutcome {
  status: number;
  body: string;
}

/** Slack allows five uses within thirty minutes. */
const maxUses = 5;
const lifetimeMs = 30 * 60_000;

export interface ResponseUrls {
  create(target: ResponseTarget): string;
  /** Handles a POST to `/response/<id>`. */
  handle(id: string, body: unknown): ResponseOutcome;
  /** Applies a payload as Slack would (also used for a command's ack body). */
  apply(target: ResponseTarget, payload: ResponsePayload): ResponseOutcome;
  reset(): void;
}

const truthy = (value: boolean | 'true' | 'false' | undefined): boolean => value === true || value === 'true';

export function createResponseUrls(deps: {
  workspace: Workspace;
  identity: SandboxIdentity;
  clock: () => number;
  baseUrl: () => string;
}): ResponseUrls {
  const entries = new Map<string, { target: ResponseTarget; uses: number; createdAt: number }>();

  const apply = (target: ResponseTarget, payload: ResponsePayload): ResponseOutcome => {
    const { workspace, identity } = deps;
    if (payload.blocks) {
      const messages = checkBlocks(payload.blocks);
      if (messages.length > 0) return { status: 400, body: `invalid_blocks ${messages.join(' ')}` };
    }
    if (truthy(payload.delete_original) && target.messageTs) {
      if (target.isEphemeral) workspace.deleteEphemeral(target.messageTs);
      else workspace.deleteMessage(target.channel, target.messageTs);
      return { status: 200, body: 'ok' };
    }
    if (!payload.text && !(payload.blocks && payload.blocks.length > 0)) return { status: 400, body: 'no_text' };
    const text = payload.text ?? '';
    if (truthy(payload.replace_original) && target.messageTs) {
      const content = { text, ...(payload.blocks ? { blocks: payload.blocks } : {}) };
      if (target.isEphemeral) {
        const existing = workspace.findEphemeral(target.messageTs);
        if (existing && !payload.blocks) delete existing.blocks;
        workspace.replaceEphemeral(target.messageTs, content);
      } else {
        const existing = workspace.findMessage(target.channel, target.messageTs);
        if (!existing) return { status: 404, body: 'message_not_found' };
        if (!payload.blocks) delete existing.blocks;
        workspace.updateMessage(target.channel, target.messageTs, content);
      }
      return { status: 200, body: 'ok' };
    }
    const threadTs = payload.thread_ts ?? target.threadTs;
    if (payload.response_type === 'in_channel') {
      workspace.addMessage({
        channel: target.channel,
        user: identity.botUserId,
        bot_id: identity.botId,
        text,
        ...(payload.blocks ? { blocks: payload.blocks } : {}),
        ...(threadTs ? { thread_ts: threadTs } : {}),
      });
    } else {
      workspace.addEphemeral({
        channel: target.channel,
        user: target.user,
        text,
        ...(payload.blocks ? { blocks: payload.blocks } : {}),
        ...(threadTs ? { thread_ts: threadTs } : {}),
      });
    }
    return { status: 200, body: 'ok' };
  };

  return {
    create(target) {
      const id = randomBytes(12).toString('hex');
      entries.set(id, { target, uses: 0, createdAt: deps.clock() });
      const path = target.kind === 'command' ? 'commands' : 'actions';
      return `${deps.baseUrl()}/response/${path}/${id}`;
    },
    handle(id, body) {
      const entry = entries.get(id);
      if (!entry) return { status: 404, body: 'no_service' };
      if (deps.clock() - entry.createdAt > lifetimeMs) return { status: 404, body: 'expired_url' };
      if (entry.uses >= maxUses) return { status: 404, body: 'used_url' };
      const parsed = ResponsePayload.safeParse(body);
      if (!parsed.success) return { status: 400, body: 'invalid_payload' };
      entry.uses += 1;
      return apply(entry.target, parsed.data);
    },
    apply,
    reset() {
      entries.clear();
    },
  };
}
