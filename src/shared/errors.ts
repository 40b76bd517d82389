/**
 * The one error type of Deckhand. It is converted only at the edges: an HTTP status,
 * a BullMQ UnrecoverableError (when not retryable) or an ephemeral Slack message.
 * Expected outcomes ("pod not found") are values, not AppErrors.
 */
export const errorCodes = [
  'config_invalid',
  'bad_request',
  'unauthorized',
  'forbidden',
  'not_found',
  'conflict',
  'payload_too_large',
  'unavailable',
  'rate_limited',
  'upstream',
  'timeout',
  'internal',
] as const;
export type ErrorCode = (typeof errorCodes)[number];

export interface AppErrorOptions {
  retryable?: boolean;
  cause?: unknown;
  /** Extra data safe to log and show (never secrets). */
  details?: Record<string, unknown>;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly retryable: boolean;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.retryable = options.retryable ?? defaultRetryable(code);
    this.details = options.details;
  }
}

function defaultRetryable(code: ErrorCode): boolean {
  return code === 'unavailable' || code === 'rate_limited' || code === 'upstream' || code === 'timeout';
}

export function isAppError(err: unknown): err is AppError {
  return err instanceof AppError;
}

const httpStatusByCode: Record<ErrorCode, number> = {
  config_invalid: 500,
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unavailable: 503,
  rate_limited: 429,
  upstream: 502,
  timeout: 504,
  internal: 500,
};

export function httpStatusOf(err: AppError): number {
  return httpStatusByCode[err.code];
}

/** Wraps anything thrown into an AppError, keeping the original as `cause`. */
export function toAppError(err: unknown, fallback: ErrorCode = 'internal'): AppError {
  if (err instanceof AppError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new AppError(fallback, message, { cause: err });
}
