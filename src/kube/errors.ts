import { ApiException } from '@kubernetes/client-node';
import { AppError, type ErrorCode } from '../shared/errors.js';

/** What was being attempted when the API call failed; it shapes the message. */
export interface KubeErrorContext {
  /** Kubernetes verb: get, list, delete, patch, watch. */
  verb: string;
  /** Plural resource, with its subresource when there is one: pods, deployments/scale, pods/log. */
  resource: string;
  namespace?: string | undefined;
  name?: string | undefined;
  cluster?: string | undefined;
}

/** The parts of a Kubernetes `Status` error body that we use. */
export interface KubeStatus {
  code?: number;
  reason?: string;
  message?: string;
}

/** HTTP status of a client-node ApiException, or undefined for anything else. */
export function statusCodeOf(err: unknown): number | undefined {
  if (err instanceof ApiException) return err.code;
  return undefined;
}

export function isNotFound(err: unknown): boolean {
  return statusCodeOf(err) === 404;
}

/** Parses the raw `Status` body client-node leaves as a string on ApiException. */
export function parseStatusBody(body: unknown): KubeStatus {
  let value: unknown = body;
  if (typeof body === 'string') {
    try {
      value = JSON.parse(body);
    } catch {
      return body.trim() ? { message: body.trim().slice(0, 500) } : {};
    }
  }
  if (typeof value !== 'object' || value === null) return {};
  const record = value as Record<string, unknown>;
  const status: KubeStatus = {};
  if (typeof record.code === 'number') status.code = record.code;
  if (typeof record.reason === 'string') status.reason = record.reason;
  if (typeof record.message === 'string') status.message = record.message;
  return status;
}

function where(ctx: KubeErrorContext): string {
  return ctx.namespace ? `in namespace ${ctx.namespace}` : 'at cluster scope';
}

function target(ctx: KubeErrorContext): string {
  const base = ctx.resource.split('/')[0] ?? ctx.resource;
  return ctx.name ? `${base} "${ctx.name}"` : base;
}

const networkCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EHOSTUNREACH', 'ETIMEDOUT', 'EAI_AGAIN', 'EPIPE']);

function networkCodeOf(err: unknown): string | undefined {
  let current: unknown = err;
  for (let depth = 0; depth < 4 && typeof current === 'object' && current !== null; depth++) {
    const record = current as { code?: unknown; errno?: unknown; cause?: unknown };
    if (typeof record.code === 'string' && networkCodes.has(record.code)) return record.code;
    if (typeof record.errno === 'string' && networkCodes.has(record.errno)) return record.errno;
    current = record.cause;
  }
  return undefined;
}

function isAbort(err: unknown): boolean {
  return err instanceof Error && (err.name === 'AbortError' || err.name === 'TimeoutError');
}

/**
 * The one place a Kubernetes API failure becomes an AppError. Messages say what Deckhand
 * was trying to do and what the operator can change (RBAC, reachability), not just the code.
 */
export function toKubeError(err: unknown, ctx: KubeErrorContext): AppError {
  if (err instanceof AppError) return err;
  const prefix = ctx.cluster ? `cluster ${ctx.cluster}: ` : '';
  const code = statusCodeOf(err);
  if (code !== undefined) {
    const status = parseStatusBody((err as ApiException<unknown>).body);
    const server = status.message ? ` (${status.message})` : '';
    const details = { status: code, reason: status.reason, verb: ctx.verb, resource: ctx.resource, namespace: ctx.namespace, name: ctx.name };
    const make = (errorCode: ErrorCode, message: string, retryable?: boolean) =>
      new AppError(errorCode, `${prefix}${message}`, retryable === undefined ? { cause: err, details } : { cause: err, details, retryable });
    if (code === 401) return make('unauthorized', `the API server rejected Deckhand's credentials${server}`, false);
    if (code === 403) {
      // Acting as an approver (impersonation), the refused identity is that person, as the API server names it.
      const user = /User "([^"]+)"/.exec(status.message ?? '')?.[1];
      const who = user !== undefined && !user.startsWith('system:serviceaccount:') ? user : 'the service account';
      return make('forbidden', `${who} may not ${ctx.verb} ${ctx.resource} ${where(ctx)}${server}`, false);
    }
    if (code === 404) return make('not_found', `${target(ctx)} not found ${where(ctx)}`, false);
    if (code === 409) {
      return make('conflict', `${target(ctx)} ${where(ctx)} was changed by someone else meanwhile; re-read it and try again${server}`, true);
    }
    if (code === 422) return make('bad_request', `the API server refused the change to ${target(ctx)} as invalid${server}`, false);
    if (code === 400) return make('bad_request', `the API server refused the request: ${status.message ?? 'bad request'}`, false);
    if (code === 429) return make('rate_limited', `the API server is throttling requests${server}`, true);
    if (code === 504) return make('timeout', `the API server timed out on ${ctx.verb} ${ctx.resource}${server}`, true);
    if (code >= 500) return make('unavailable', `the API server failed on ${ctx.verb} ${ctx.resource} (HTTP ${code})${server}`, true);
    return make('upstream', `unexpected HTTP ${code} on ${ctx.verb} ${ctx.resource}${server}`, false);
  }
  if (isAbort(err)) {
    return new AppError('timeout', `${prefix}the API server did not answer ${ctx.verb} ${ctx.resource} in time`, { cause: err, retryable: true });
  }
  const net = networkCodeOf(err);
  if (net !== undefined || (err instanceof Error && err.name === 'FetchError')) {
    const reason = net ?? (err instanceof Error ? err.message : String(err));
    return new AppError('unavailable', `${prefix}cannot reach the API server (${reason})`, { cause: err, retryable: true });
  }
  const message = err instanceof Error ? err.message : String(err);
  return new AppError('internal', `${prefix}${ctx.verb} ${ctx.resource} failed: ${message}`, { cause: err });
}
