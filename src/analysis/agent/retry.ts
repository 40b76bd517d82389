import { AppError, isAppError } from '../../shared/errors.js';
import { loadAnthropicSdk, type AnthropicSdk } from './client.js';

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

/**
 * True for failures worth another try: 408/409/429/5xx/529 (overloaded), connection errors,
 * timeouts. `sdk`: the Anthropic SDK whose error classes these are (undefined when it could not
 * be loaded: then no error can be one of them).
 */
export function isRetryableClaudeError(err: unknown, sdk: AnthropicSdk | undefined): boolean {
  if (!sdk) return false;
  if (err instanceof sdk.APIConnectionError) return true;
  if (err instanceof sdk.APIError) return err.status === undefined || err.status === 408 || err.status === 409 || err.status === 429 || err.status >= 500;
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
      // Already an AppError (the SDK could not be loaded): as it is.
      if (isAppError(err)) throw err;
      // Loaded by the call that failed, unless the failure was not the SDK's.
      const sdk = await loadAnthropicSdk().catch(() => undefined);
      if (!isRetryableClaudeError(err, sdk) || attempt >= options.retries) throw toClaudeAppError(err, sdk);
      await options.sleep(options.baseDelayMs * 2 ** attempt);
    }
  }
}

function toClaudeAppError(err: unknown, sdk: AnthropicSdk | undefined): AppError {
  if (sdk && err instanceof sdk.APIConnectionError) return new AppError('unavailable', 'Claude could not be reached', { cause: err });
  if (sdk && err instanceof sdk.APIError) {
    const kind = err.type ?? `HTTP ${err.status ?? '?'}`;
    if (err.status === 429) return new AppError('rate_limited', `Claude is rate limited (${kind})`, { cause: err });
    if (err.status !== undefined && err.status < 500 && err.status !== 408 && err.status !== 409) {
      return new AppError('upstream', `Claude refused the request (${kind})`, { cause: err, retryable: false });
    }
    return new AppError('unavailable', `Claude is unavailable (${kind})`, { cause: err });
  }
  return new AppError('internal', err instanceof Error ? err.message : String(err), { cause: err });
}
