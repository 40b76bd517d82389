import type { Clock } from './clock.js';
import type { Logger } from './logger.js';

export interface ThrottledWarning {
  /** Logs now when the last line is `intervalMs` old, else counts it for the next line. */
  warn(data: Record<string, unknown>): void;
  /** The trouble ended: says so once, with how many repeats went unlogged since the last line (0 too), if it was reported. */
  recovered(data?: Record<string, unknown>): void;
}

/**
 * One warning about a lasting condition (Redis down: every client and every BullMQ queue and
 * worker emits an error on each reconnect attempt) logged at most once per interval, with
 * the number of repeats it stood for, instead of several lines a second.
 */
export function createThrottledWarning(options: { log: Logger; message: string; recoveredMessage: string; intervalMs?: number; clock?: Clock }): ThrottledWarning {
  const interval = options.intervalMs ?? 30_000;
  const clock = options.clock ?? Date.now;
  let lastAt: number | undefined;
  let suppressed = 0;
  let reported = false;
  return {
    warn(data) {
      const now = clock();
      if (lastAt !== undefined && now - lastAt < interval) {
        suppressed += 1;
        return;
      }
      options.log.warn({ ...data, ...(suppressed > 0 ? { suppressed } : {}) }, options.message);
      lastAt = now;
      suppressed = 0;
      reported = true;
    },
    recovered(data = {}) {
      if (!reported) return;
      options.log.info({ ...data, suppressed }, options.recoveredMessage);
      reported = false;
      lastAt = undefined;
      suppressed = 0;
    },
  };
}

/** A lost or refused connection (as opposed to an error of one command or job). */
export function isConnectionError(err: Error): boolean {
  return /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EAI_AGAIN|EPIPE|Connection is closed/i.test(`${(err as NodeJS.ErrnoException).code ?? ''} ${err.message}`);
}
