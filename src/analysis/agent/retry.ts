import { APIConnectionError, APIError } from '@anthropic-ai/sdk';
import { AppError } from '../../shared/errors.js';

export interface RetryOptions {
  /** Extra attempts after the SDK's own retries gave up (for overloaded / 429 / 5xx / timeouts). */
  retries: number;
  baseDelayMs: number;
  sleep(ms: number): Promise<void>;
}

export const defaultRetryOptions: RetryOptions = {
  retries: 2,
  baseDelayMs: 2000,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** True for failures worth another try: 408/409/429/5xx/529 (overloaded), connection errors, timeouts. */
export function isRetryableClaudeError(err: unknown): boolean {
  if (err instanceof APIConnectionError) return true;
  if (err instanceof APIError) return err.status === undefined || err.status === 408 || err.status === 409 || err.status === 429 || err.status >= 500;
  return false;
}

/**
 * Calls `fn`, retrying retryable Claude errors with exponential backoff (plus jitter from
 * the SDK's own retries underneath). Converts the final failure into an AppError.
 */
export async function withClaudeRetry<T>(fn: () => Promise<T>, options: RetryOptions): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (!isRetryableClaudeError(err) || attempt >= options.retries) throw toClaudeAppError(err);
      await options.sleep(options.baseDelayMs * 2 ** attempt);
    }
  }
}

function toClaudeAppError(err: unknown): AppError {
  if (err instanceof APIConnectionError) return new AppError('unavailable', 'Claude could not be reached', { cause: err });
  if (err instanceof APIError) {
    const kind = err.type ?? `HTTP ${err.status ?? '?'}`;
    if (err.status === 429) return new AppError('rate_limited', `Claude is rate limited (${kind})`, { cause: err });
    if (err.status !== undefined && err.status < 500 && err.status !== 408 && err.status !== 409) {
      return new AppError('upstream', `Claude refused the request (${kind})`, { cause: err, retryable: false });
    }
    return new AppError('unavailable', `Claude is unavailable (${kind})`, { cause: err });
  }
  return new AppError('internal', err instanceof Error ? err.message : String(err), { cause: err });
}
