/**
 * Simulated time. The sandbox runs its clock `timeScale` times faster than the wall clock,
 * and tests can jump it forward with `advance()`. Timestamps it produces are RFC 3339
 * without milliseconds, like the API server's.
 */
export interface SimClock {
  now(): number;
  advance(ms: number): void;
  iso(ms?: number): string;
}

export function createSimClock(timeScale: number, wallClock: () => number = Date.now): SimClock {
  const startReal = wallClock();
  // A fast clock would run into the future and kubectl would print "<invalid>" ages, so a
  // sped-up sandbox starts in the past: ten real seconds of run time stay behind the wall clock.
  const startSim = startReal - Math.max(0, timeScale - 1) * 10_000;
  let offset = 0;
  const now = (): number => Math.floor(startSim + (wallClock() - startReal) * timeScale + offset);
  return {
    now,
    advance(ms) {
      offset += ms;
    },
    iso(ms) {
      return formatTime(ms ?? now());
    },
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
