/** Exponential back-off with full jitter: a random wait in [0, min(max, base·2^attempt)]. */
export function backoffMs(attempt: number, options: { baseMs: number; maxMs: number; random?: () => number }): number {
  const ceiling = Math.min(options.maxMs, options.baseMs * 2 ** Math.min(attempt, 30));
  // Never zero: a storm of immediate retries is what the back-off exists to prevent.
  return Math.max(options.baseMs / 2, Math.round((options.random ?? Math.random)() * ceiling));
}
