/**
 * Simulated time, never ahead of the wall clock. A sped-up sandbox (`timeScale` > 1) starts
 * behind the wall clock by `(timeScale - 1) × warmupMs` and runs `timeScale` times faster
 * until it has caught up; from then on it runs with the wall clock. So for the first
 * `warmupMs` of real time crash loops, back-offs and deadlines advance quickly, and every
 * timestamp it writes is in the past: kubectl never prints `<invalid>` ages and a bot
 * never sees a "running since" in the future. After the warm-up, ages are real.
 *
 * `advance(ms)` (tests) moves simulated time forward by spending the lag; it refuses to move
 * past the wall clock: a test that advances needs a clock started far enough behind
 * (`historyMs`). Timestamps are RFC 3339 without milliseconds, like the API server's.
 */
export interface SimClock {
  now(): number;
  advance(ms: number): void;
  iso(ms?: number): string;
  /** How far behind the wall clock simulated time is now (ms, never negative). */
  lag(): number;
}

export interface SimClockOptions {
  /** Real time the speed-up lasts (default 10 minutes). */
  warmupMs?: number;
  /** Extra start lag beyond the warm-up's, room for `advance()` (default 0). */
  historyMs?: number;
}

export const defaultWarmupMs = 10 * 60_000;

export function createSimClock(timeScale: number, wallClock: () => number = Date.now, options: SimClockOptions = {}): SimClock {
  const scale = Math.max(1, timeScale);
  let lastReal = wallClock();
  let sim = lastReal - (scale - 1) * (options.warmupMs ?? defaultWarmupMs) - Math.max(0, options.historyMs ?? 0);
  const now = (): number => {
    const real = wallClock();
    if (real > lastReal) sim += (real - lastReal) * scale;
    lastReal = real;
    // Caught up: from here on simulated time is the wall clock's.
    sim = Math.min(sim, real);
    return Math.floor(sim);
  };
  return {
    now,
    advance(ms) {
      const current = now();
      const room = wallClock() - current;
      if (ms > room) {
        throw new Error(`sandbox clock: advancing ${ms} ms would pass the wall clock (only ${room} ms behind it); start the sandbox with a larger historyMs`);
      }
      sim = current + ms;
    },
    iso(ms) {
      return formatTime(ms ?? now());
    },
    lag: () => Math.max(0, wallClock() - now()),
  };
}

export function formatTime(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** kubectl's human durations: 45s, 5m20s, 20m, 3h4m, 2d3h. */
export function formatAge(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 120) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 10) return s % 60 === 0 ? `${m}m` : `${m}m${s % 60}s`;
  if (m < 180) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 8) return m % 60 === 0 ? `${h}h` : `${h}h${m % 60}m`;
  if (h < 48) return `${h}h`;
  const d = Math.floor(h / 24);
  if (d < 8) return h % 24 === 0 ? `${d}d` : `${d}d${h % 24}h`;
  if (d < 365 * 2) return `${d}d`;
  return `${Math.floor(d / 365)}y`;
}
