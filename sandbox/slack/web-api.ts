import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../shared/product.js';
import { decodeArgs, readRawBody, sendJson, sendText } from './http-body.js';
import type { FailRule, RecordedCall } from './types.js';
import { chatHandlers } from './web-api-chat.js';
import { fail, type ApiContext, type ApiHandler, type ApiResult } from './web-api-context.js';
import { filesHandlers } from './web-api-files.js';
import { readHandlers } from './web-api-read.js';

const handlers: Record<string, ApiHandler> = { ...readHandlers, ...chatHandlers, ...filesHandlers };

/** Methods that take the app-level token (`xapp-…`) instead of the bot token. */
const appLevelMethods = ['apps.connections.open'] as const;
type AppLevelMethod = (typeof appLevelMethods)[number];
const isAppLevel = (method: string): method is AppLevelMethod => (appLevelMethods as readonly string[]).includes(method);

/** Web API method names the sandbox implements. */
export const supportedMethods = [...Object.keys(handlers), ...appLevelMethods].sort();

export interface WebApiDeps {
  ctx: ApiContext;
  botToken: string;
  calls: RecordedCall[];
  failRules: FailRule[];
  log: Logger;
  /** The app-level token app-level methods accept. */
  appToken: string;
  /** Handlers of the app-level methods (Socket Mode's `apps.connections.open`). */
  appLevel: Record<AppLevelMethod, () => ApiResult>;
}

/** Takes the first matching fail rule, counting down its `times`. */
function takeFailRule(rules: FailRule[], method: string): FailRule | undefined {
  const index = rules.findIndex((r) => r.method === method || r.method === '*');
  if (index < 0) return undefined;
  const rule = rules[index];
  if (!rule) return undefined;
  const left = (rule.times ?? 1) - 1;
  if (left <= 0) rules.splice(index, 1);
  else rules[index] = { ...rule, times: left };
  return rule;
}

function tokenOf(req: IncomingMessage, args: Record<string, unknown>): string | undefined {
  const header = req.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice('Bearer '.length).trim();
  return typeof args.token === 'string' ? args.token : undefined;
}

/** Serves `POST /api/<method>` like Slack's Web API: always 200 with `{ ok }`, except injected failures. */
export async function handleWebApi(deps: WebApiDeps, method: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const raw = await readRawBody(req);
  let args: Record<string, unknown>;
  try {
    args = await decodeArgs(raw, req.headers['content-type']);
  } catch {
    record(deps, { method, args: {}, token: undefined, status: 200, ok: false, error: 'invalid_json' });
    sendJson(res, 200, { ok: false, error: 'invalid_json' });
    return;
  }
  const token = tokenOf(req, args);
  delete args.token;
  const base = { method, args, token };

  const rule = takeFailRule(deps.failRules, method);
  if (rule?.status === 429) {
    const retryAfter = String(rule.retryAfter ?? 1);
    record(deps, { ...base, status: 429, ok: false, error: 'ratelimited' });
    sendJson(res, 429, { ok: false, error: 'ratelimited' }, { 'retry-after': retryAfter });
    return;
  }
  if (rule?.status) {
    if (rule.applyFirst) runHandler(deps, method, token, args);
    record(deps, { ...base, status: rule.status, ok: false, error: rule.error ?? 'internal_error' });
    sendText(res, rule.status, rule.error ?? 'upstream failure');
    return;
  }
  if (rule) {
    const error = rule.error ?? 'fatal_error';
    record(deps, { ...base, status: 200, ok: false, error });
    sendJson(res, 200, { ok: false, error });
    return;
  }

  const result = runHandler(deps, method, token, args);
  record(deps, { ...base, status: 200, ok: result.ok, ...(result.ok ? {} : { error: String(result.error) }) });
  if (!result.ok) deps.log.debug({ method, error: result.error }, 'slack sandbox call refused');
  sendJson(res, 200, result);
}

function runHandler(deps: WebApiDeps, method: string, token: string | undefined, args: Record<string, unknown>): ApiResult {
  const handler = handlers[method];
  if (isAppLevel(method)) return callAppLevel(deps, method, token);
  if (!handler) return fail('unknown_method');
  if (token === undefined) return fail('not_authed');
  if (token === deps.appToken) return fail('not_allowed_token_type');
  if (token !== deps.botToken) return fail('invalid_auth');
  return handler(args, deps.ctx);
}

/** App-level methods want the `xapp-…` token; a bot token is the wrong type, like on Slack. */
function callAppLevel(deps: WebApiDeps, method: AppLevelMethod, token: string | undefined): ApiResult {
  if (token === undefined) return fail('not_authed');
  if (token === deps.botToken) return fail('not_allowed_token_type');
  if (token !== deps.appToken) return fail('invalid_auth');
  return deps.appLevel[method]();
}

function record(deps: WebApiDeps, call: Omit<RecordedCall, 'at'>): void {
  deps.calls.push({ ...call, at: deps.ctx.clock() });
}
