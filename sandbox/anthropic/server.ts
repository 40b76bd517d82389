import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { applyPromptCache, countBreakpoints, countTokens, createPromptCache, maxBreakpoints, type PromptCache } from './prompt-cache.js';

/**
 * A fake Anthropic Messages API (POST /v1/messages) for tests and the bench. It answers with
 * the exact response shape of SDK 1.12 / API 2026-10-21 (libraries.md §2), records every
 * request, and can be told to fail. Replies come from a script: (request, turnIndex) → reply,
 * where turnIndex counts the assistant turns already in the request's conversation.
 */

export interface FakeToolUse {
  name: string;
  input: unknown;
  id?: string;
}

export interface FakeReply {
  text?: string;
  toolUses?: FakeToolUse[];
  /** Default: 'tool_use' when toolUses is non-empty, else 'end_turn'. */
  stopReason?: 'end_turn' | 'tool_use' | 'max_tokens' | 'refusal';
  /** Override the computed usage. */
  usage?: Partial<{ input_tokens: number; output_tokens: number; cache_read_input_tokens: number; cache_creation_input_tokens: number }>;
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  /** Parsed JSON body (model, system, tools, messages, …). */
  body: Record<string, unknown> & { messages?: { role: string; content: unknown }[] };
}

export type FakeScript = (request: RecordedRequest, turnIndex: number) => FakeReply;

export interface FailureSpec {
  status: number;
  /** Anthropic error type, e.g. rate_limit_error, overloaded_error, api_error. */
  type: string;
  times?: number;
  /** Sent as x-should-retry (default false, so only our own retries act). */
  shouldRetry?: boolean;
}

export interface FakeAnthropic {
  url: string;
  requests: RecordedRequest[];
  setScript(script: FakeScript): void;
  /**
   * Which prompt cache the next requests use. The real cache is shared by every request with
   * the same prefix for its TTL; a bench that plays independent investigations one after the
   * other gives each its own scope, so one does not read what another wrote seconds before.
   */
  setCacheScope(scope: string): void;
  failNext(spec: FailureSpec): void;
  close(): Promise<void>;
}

export const endTurn: FakeScript = () => ({ text: 'Nothing more to add.' });

export interface FakeAnthropicOptions {
  port?: number;
  script?: FakeScript;
  /** How long a cached prefix lives after its last use (default 5 min, as the API's). */
  cacheTtlMs?: number;
  /** The cache's clock (tests move it). */
  now?: () => number;
}

export async function startFakeAnthropic(options: FakeAnthropicOptions = {}): Promise<FakeAnthropic> {
  let script = options.script ?? endTurn;
  const failures: Required<FailureSpec>[] = [];
  const requests: RecordedRequest[] = [];
  const caches = new Map<string, PromptCache>();
  let scope = 'default';
  const cacheOf = (name: string): PromptCache => {
    let cache = caches.get(name);
    if (!cache) {
      cache = createPromptCache({ ...(options.cacheTtlMs === undefined ? {} : { ttlMs: options.cacheTtlMs }), ...(options.now ? { now: options.now } : {}) });
      caches.set(name, cache);
    }
    return cache;
  };
  let counter = 0;

  const server = createServer((req, res) => {
    void handle(req, res).catch((err: unknown) => {
      sendJson(res, 500, { type: 'error', error: { type: 'api_error', message: err instanceof Error ? err.message : String(err) } }, { 'x-should-retry': 'false' });
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    if (req.method !== 'POST' || !req.url?.startsWith('/v1/messages')) {
      sendJson(res, 404, { type: 'error', error: { type: 'not_found_error', message: `no route ${req.method ?? ''} ${req.url ?? ''}` } });
      return;
    }
    let body: RecordedRequest['body'];
    try {
      body = JSON.parse(raw) as RecordedRequest['body'];
    } catch {
      sendJson(res, 400, { type: 'error', error: { type: 'invalid_request_error', message: 'body is not JSON' } }, { 'x-should-retry': 'false' });
      return;
    }
    if (req.url.startsWith('/v1/messages/count_tokens')) {
      // The SDK's messages.countTokens: the same estimate the usage figures use, nothing cached.
      sendJson(res, 200, { input_tokens: applyPromptCache(body, createPromptCache()).totalTokens });
      return;
    }
    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : (v ?? '')]));
    const recorded: RecordedRequest = { method: req.method, path: req.url, headers, body };
    requests.push(recorded);
    const failure = failures[0];
    if (failure) {
      failure.times -= 1;
      if (failure.times <= 0) failures.shift();
      sendJson(res, failure.status, { type: 'error', error: { type: failure.type, message: `fake ${failure.type}` } }, { 'x-should-retry': String(failure.shouldRetry) });
      return;
    }
    const breakpoints = countBreakpoints(body);
    if (breakpoints > maxBreakpoints) {
      const message = `A maximum of ${maxBreakpoints} blocks with cache_control may be provided. Found ${breakpoints}.`;
      sendJson(res, 400, { type: 'error', error: { type: 'invalid_request_error', message } }, { 'x-should-retry': 'false' });
      return;
    }
    const turn = (body.messages ?? []).filter((m) => m.role === 'assistant').length;
    const reply = script(recorded, turn);
    counter += 1;
    sendJson(res, 200, buildMessage(body, reply, counter, cacheOf(scope)), { 'request-id': `req_fake_${counter}` });
  }

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    setScript: (s) => {
      script = s;
    },
    setCacheScope: (name) => {
      scope = name;
    },
    failNext: (spec) => {
      failures.push({ times: 1, shouldRetry: false, ...spec });
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

function buildMessage(body: RecordedRequest['body'], reply: FakeReply, n: number, cached: PromptCache): Record<string, unknown> {
  const content: Record<string, unknown>[] = [];
  if (reply.text !== undefined) content.push({ type: 'text', text: reply.text, citations: null });
  for (const [i, use] of (reply.toolUses ?? []).entries()) {
    content.push({ type: 'tool_use', id: use.id ?? `toolu_${n}_${i}`, name: use.name, input: use.input, caller: { type: 'direct' } });
  }
  const cache = applyPromptCache(body, cached);
  const usage = {
    input_tokens: cache.uncachedTokens,
    output_tokens: Math.max(1, countTokens(content)),
    cache_creation_input_tokens: cache.cacheCreationTokens,
    cache_read_input_tokens: cache.cacheReadTokens,
    ...reply.usage,
  };
  return {
    id: `msg_fake_${n}`,
    type: 'message',
    role: 'assistant',
    model: typeof body.model === 'string' ? body.model : 'claude-sonnet-5-5',
    content,
    stop_reason: reply.stopReason ?? ((reply.toolUses ?? []).length > 0 ? 'tool_use' : 'end_turn'),
    stop_sequence: null,
    stop_details: null,
    container: null,
    diagnostics: null,
    usage: {
      ...usage,
      cache_creation: { ephemeral_5m_input_tokens: usage.cache_creation_input_tokens, ephemeral_1h_input_tokens: 0 },
      server_tool_use: null,
      service_tier: 'standard',
      inference_geo: null,
      output_tokens_details: null,
      speed: null,
    },
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}
