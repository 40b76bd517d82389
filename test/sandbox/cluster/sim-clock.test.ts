import { describe, expect, it } from 'vitest';
import { createSimClock } from '../../../sandbox/cluster/sim-clock.js';

function wall(start = Date.parse('2026-12-02T10:00:00Z')) {
  let t = start;
  return { now: () => t, pass: (ms: number) => void (t += ms) };
}

describe('sandbox clock', () => {
  it('is never ahead of the wall clock, whatever the time scale', () => {
    for (const scale of [1, 4, 100, 1000]) {
      const w = wall();
      const clock = createSimClock(scale, w.now, { warmupMs: 60_000 });
      for (let step = 0; step < 500; step++) {
        w.pass(1_000);
        expect(clock.now()).toBeLessThanOrEqual(w.now());
        expect(Date.parse(clock.iso())).toBeLessThanOrEqual(w.now());
      }
    }
  });

  it('runs time-scale times faster during the warm-up, then with the wall clock', () => {
    const w = wall();
    const clock = createSimClock(4, w.now, { warmupMs: 60_000 });
    const start = clock.now();
    expect(w.now() - start).toBe(180_000);
    w.pass(30_000);
    expect(clock.now() - start).toBe(120_000);
    w.pass(30_000);
    expect(clock.now()).toBe(w.now());
    w.pass(5_000);
    expect(clock.now()).toBe(w.now());
  });

  it('advances into its history but refuses to pass the wall clock', () => {
    const w = wall();
    const clock = createSimClock(1, w.now, { historyMs: 20 * 60_000 });
    expect(clock.lag()).toBe(20 * 60_000);
    clock.advance(15 * 60_000);
    expect(clock.lag()).toBe(5 * 60_000);
    expect(() => clock.advance(6 * 60_000)).toThrow(/would pass the wall clock/);
    expect(clock.now()).toBeLessThanOrEqual(w.now());
  });
});
