/**
 * Waits until `check` returns a truthy value, polling every `intervalMs`, and fails
 * with `message` after `timeoutMs`. Used instead of sleeps wherever something settles.
 */
export async function waitFor<T>(
  check: () => T | Promise<T>,
  options: { timeoutMs?: number; intervalMs?: number; message?: string } = {},
): Promise<NonNullable<T>> {
  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  const interval = options.intervalMs ?? 20;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      const reason = lastError instanceof Error ? `: ${lastError.message}` : '';
      throw new Error(`${options.message ?? 'condition not met before the deadline'}${reason}`);
    }
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
}
