import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { waitFor } from '../../sandbox/shared/wait.js';

/** One request that went through the proxy. */
export interface ProxyCall {
  /** HTTP method. */
  method: string;
  /** Path with query. */
  path: string;
  /** Slack Web API method (`chat.postMessage`) for `/api/<name>` paths, else the path without query. */
  name: string;
  /** The body, decoded for matching: form fields joined by newlines, else the raw text. */
  body: string;
  /** What the proxy did. */
  outcome: 'forwarded' | 'held' | 'dropped' | 'failed';
  /** Upstream's HTTP status, once known. */
  status?: number;
}

export type CallMatcher = (call: ProxyCall) => boolean;

export interface Hold {
  /** Resolves with the first call the hold caught (its request already reached upstream). */
  reached: Promise<ProxyCall>;
  /** Lets the held answers (and later matching calls) through. */
  release(): void;
}

export interface FaultProxy {
  /** Base URL of the proxy (no trailing slash). */
  url: string;
  readonly calls: readonly ProxyCall[];
  /**
   * Forwards the first matching call upstream (so upstream acts on it) but holds its answer
   * until release() or the client goes away: "killed while the answer was in flight".
   */
  holdAnswer(match: CallMatcher): Hold;
  /** Answers matching calls with `status` without forwarding them, until `forMs` passed since the first one. */
  fail(match: CallMatcher, options: { status: number; forMs: number }): { first: Promise<ProxyCall> };
  /** Closes the socket of the next matching call without forwarding it. */
  drop(match: CallMatcher): { reached: Promise<ProxyCall> };
  /** Waits (with a deadline) for a call matching `match`, past or future. */
  waitForCall(match: CallMatcher, options?: { timeoutMs?: number; message?: string }): Promise<ProxyCall>;
  count(match: CallMatcher): number;
  close(): Promise<void>;
}

interface Rule {
  match: CallMatcher;
  apply(call: ProxyCall, req: IncomingMessage, res: ServerResponse, body: Buffer): boolean;
}

/**
 * A small HTTP proxy in front of the Slack sandbox or the sandbox cluster that delays,
 * drops or fails chosen calls and records every call, so fault tests can wait for a step
 * ("the bot is posting Executed now") instead of sleeping, and count what reached upstream.
 */
export async function startFaultProxy(options: { target: string }): Promise<FaultProxy> {
  const target = new URL(options.target);
  const calls: ProxyCall[] = [];
  const rules: Rule[] = [];
  const pending = new Set<() => void>();

  const forward = (call: ProxyCall, req: IncomingMessage, body: Buffer, answer: (status: number, headers: IncomingMessage['headers'], data: Buffer) => void, fail: () => void) => {
    const upstream = httpRequest(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, host: target.host } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          call.status = res.statusCode ?? 502;
          answer(res.statusCode ?? 502, res.headers, Buffer.concat(chunks));
        });
        res.on('error', fail);
      },
    );
    upstream.on('error', fail);
    upstream.end(body);
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const path = req.url ?? '/';
      const pathname = path.split('?')[0] ?? path;
      const call: ProxyCall = {
        method: req.method ?? 'GET',
        path,
        name: pathname.startsWith('/api/') ? pathname.slice('/api/'.length) : pathname,
        body: decodeBody(body, req.headers['content-type']),
        outcome: 'forwarded',
      };
      calls.push(call);
      for (const rule of rules) {
        if (rule.match(call) && rule.apply(call, req, res, body)) return;
      }
      forward(
        call,
        req,
        body,
        (status, headers, data) => {
          res.writeHead(status, withoutHopHeaders(headers));
          res.end(data);
        },
        () => res.destroy(),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const once = <T>() => {
    let resolve!: (value: T) => void;
    const promise = new Promise<T>((r) => (resolve = r));
    return { promise, resolve };
  };

  return {
    url,
    calls,
    holdAnswer(match) {
      const reached = once<ProxyCall>();
      let released = false;
      let caught = false;
      const waiting: (() => void)[] = [];
      const rule: Rule = {
        match,
        apply(call, req, res, body) {
          if (released || caught) return false;
          caught = true;
          call.outcome = 'held';
          forward(
            call,
            req,
            body,
            (status, headers, data) => {
              reached.resolve(call);
              const send = () => {
                if (!res.destroyed) {
                  res.writeHead(status, withoutHopHeaders(headers));
                  res.end(data);
                }
              };
              if (released) send();
              else {
                waiting.push(send);
                pending.add(send);
              }
            },
            () => res.destroy(),
          );
          return true;
        },
      };
      rules.push(rule);
      return {
        reached: reached.promise,
        release() {
          released = true;
          for (const send of waiting.splice(0)) {
            pending.delete(send);
            send();
          }
        },
      };
    },
    fail(match, failOptions) {
      const first = once<ProxyCall>();
      let since: number | undefined;
      rules.push({
        match,
        apply(call, _req, res) {
          since ??= Date.now();
          if (Date.now() - since > failOptions.forMs) return false;
          first.resolve(call);
          call.outcome = 'failed';
          call.status = failOptions.status;
          res.writeHead(failOptions.status, { 'content-type': 'text/plain' });
          res.end('injected failure');
          return true;
        },
      });
      return { first: first.promise };
    },
    drop(match) {
      const reached = once<ProxyCall>();
      let done = false;
      rules.push({
        match,
        apply(call, _req, res) {
          if (done) return false;
          done = true;
          call.outcome = 'dropped';
          reached.resolve(call);
          res.socket?.destroy();
          return true;
        },
      });
      return { reached: reached.promise };
    },
    waitForCall: (match, waitOptions = {}) =>
      waitFor(() => calls.find(match), { timeoutMs: waitOptions.timeoutMs ?? 30_000, message: waitOptions.message ?? 'no matching call reached the proxy' }),
    count: (match) => calls.filter(match).length,
    async close() {
      for (const send of pending) send();
      pending.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function decodeBody(body: Buffer, contentType: string | undefined): string {
  const text = body.toString('utf8');
  if (!contentType?.includes('application/x-www-form-urlencoded')) return text;
  return [...new URLSearchParams(text).entries()].map(([k, v]) => `${k}=${v}`).join('\n');
}

function withoutHopHeaders(headers: IncomingMessage['headers']): IncomingMessage['headers'] {
  const { connection: _connection, 'transfer-encoding': _te, 'keep-alive': _ka, ...rest } = headers;
  return rest;
}

/** A Kubernetes request that changes something for real (not a server-side dry run). */
export const isRealMutation: CallMatcher = (call) => ['POST', 'PUT', 'PATCH', 'DELETE'].includes(call.method) && !/[?&]dryRun=/.test(call.path);

/** A Slack Web API call by method name, optionally with text in its body. */
export const slackCall =
  (name: string, text?: string): CallMatcher =>
  (call) =>
    call.name === name && (text === undefined || call.body.includes(text));
