import { isAppError } from '../../shared/errors.js';
import type { Clock } from '../../shared/clock.js';

/** One look at the cluster: good, bad for good, or not there yet (with what we wait for). */
export type Look = { state: 'pass'; message: string } | { state: 'fail'; message: string } | { state: 'wait'; message: string };

export const pass = (message: string): Look => ({ state: 'pass', message });
export const fail = (message: string): Look => ({ state: 'fail', message });
export const wait = (message: string): Look => ({ state: 'wait', message });

export interface Timing {
  clock: Clock;
  sleep: (ms: number) => Promise<void>;
  pollMs: number;
}

export const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The first wait between looks (then doubled up to pollMs). */
const firstPollMs = 100;

/**
 * Looks until the answer is pass or fail, or the deadline passes (then a fail that says
 * what we were still waiting for). A retryable API error is waited out; a non-retryable
 * one (403, for instance) fails at once, since waiting will not change it.
 */
export async function lookUntil(look: () => Promise<Look>, deadline: number, timing: Timing, timeoutLabel: string): Promise<Look> {
  let last: Look;
  // Soon after an action most changes are quick: look again after 100 ms, backing off to pollMs.
  let step = Math.min(timing.pollMs, firstPollMs);
  for (;;) {
    try {
      last = await look();
    } catch (err) {
      if (isAppError(err) && !err.retryable) return fail(err.message);
      last = wait(`API error: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (last.state !== 'wait') return last;
    if (timing.clock() >= deadline) return fail(`${timeoutLabel}: ${last.message}`);
    await timing.sleep(Math.max(0, Math.min(step, deadline - timing.clock())));
    step = Math.min(step * 2, timing.pollMs);
  }
}

/**
 * Keeps looking until `until`; any fail ends it early (a crash during the settle window).
 * Passes when every look in the window passed.
 */
export async function holdUntil(look: () => Promise<Look>, until: number, timing: Timing): Promise<Look> {
  let last: Look = pass('settled');
  while (timing.clock() < until) {
    await timing.sleep(Math.max(0, Math.min(timing.pollMs, until - timing.clock())));
    try {
      last = await look();
    } catch (err) {
      if (isAppError(err) && !err.retryable) return fail(err.message);
      continue;
    }
    if (last.state !== 'pass') return last.state === 'fail' ? last : fail(`regressed during the settle window: ${last.message}`);
  }
  return last;
}
