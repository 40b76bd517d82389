import { isAppError } from '../../shared/errors.js';

/** Outcome of one catalog action, dry run or real. Expected failures are values, not throws. */
export type ExecutionResult = { ok: true; summary: string } | { ok: false; code: string; message: string; retryable: boolean };

export function succeeded(summary: string): ExecutionResult {
  return { ok: true, summary };
}

export function failed(code: string, message: string, retryable = false): ExecutionResult {
  return { ok: false, code, message, retryable };
}

/** Turns an AppError (from toKubeError) into a failure value; anything else is a bug and rethrown. */
export function failureOf(err: unknown): ExecutionResult {
  if (isAppError(err)) return failed(err.code, err.message, err.retryable);
  throw err;
}

/** client-node wants `dryRun` absent, not undefined, under exactOptionalPropertyTypes. */
export function dryRunParam(dryRun: boolean): { dryRun?: string } {
  return dryRun ? { dryRun: 'All' } : {};
}

export function prefixOf(dryRun: boolean): string {
  return dryRun ? 'server dry run: would have ' : '';
}
