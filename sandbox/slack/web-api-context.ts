import * as z from 'zod';
import type { Workspace } from './workspace.js';

/** Who the bot is, as auth.test and every bot message report it. */
export interface SandboxIdentity {
  teamId: string;
  teamDomain: string;
  botUserId: string;
  botId: string;
  botName: string;
  appId: string;
}

export interface ApiContext {
  workspace: Workspace;
  identity: SandboxIdentity;
  /** Base URL of the sandbox server, without a trailing slash. */
  baseUrl: () => string;
  clock: () => number;
}

/** A Web API answer; `ok:false` results are still HTTP 200, like Slack's. */
export type ApiResult = { ok: true; [key: string]: unknown } | { ok: false; error: string; [key: string]: unknown };

export type ApiHandler = (args: Record<string, unknown>, ctx: ApiContext) => ApiResult;

export function fail(error: string, extra: Record<string, unknown> = {}): ApiResult {
  return { ok: false, error, ...extra };
}

/**
 * Parses a method's arguments like Slack does: a missing required argument is
 * `invalid_arguments` with the problems in `response_metadata.messages`.
 */
export function parseArgs<S extends z.ZodType>(
  schema: S,
  args: Record<string, unknown>,
): { ok: true; data: z.infer<S> } | { ok: false; result: ApiResult } {
  const parsed = schema.safeParse(args);
  if (parsed.success) return { ok: true, data: parsed.data };
  const messages = parsed.error.issues.map((i) => `[ERROR] ${i.message} [json-pointer:/${i.path.join('/')}]`);
  const missing = parsed.error.issues.find((i) => i.code === 'invalid_type' && i.message.endsWith('received undefined'));
  const error = missing ? missingErrorFor(String(missing.path[0])) : 'invalid_arguments';
  return { ok: false, result: fail(error, { response_metadata: { messages } }) };
}

function missingErrorFor(field: string): string {
  if (field === 'channel' || field === 'channel_id') return 'channel_not_found';
  if (field === 'user') return 'user_not_found';
  return 'invalid_arguments';
}

/** Form bodies carry everything as strings; these accept both wire shapes. */
export const formBoolean = z.union([z.boolean(), z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1')]);
export const formInt = z.union([z.number().int(), z.string().regex(/^\d+$/).transform(Number)]);
export const jsonArray = z.array(z.unknown());

export function permalinkOf(baseUrl: string, channel: string, ts: string): string {
  return `${baseUrl}/archives/${channel}/p${ts.replace('.', '')}`;
}
