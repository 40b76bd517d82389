import { describe, expect, it } from 'vitest';
import { formatAge } from '../../../src/kube/format/time.js';

describe('formatAge', () => {
  const now = new Date('2026-11-21T12:00:00Z');
  const at = (ms: number) => new Date(now.getTime() + ms);

  it('measures from the wall clock, kubectl-style', () => {
    expect(formatAge(at(-45_000), now)).toBe('45s');
    expect(formatAge(at(-3 * 3_600_000), now)).toBe('3h');
    expect(formatAge(at(-5 * 86_400_000).toISOString(), now)).toBe('5d');
  });

  it('reads a time ahead of the clock as unknown, not as 0s (a fast cluster clock)', () => {
    expect(formatAge(at(4 * 3_600_000), now)).toBe('?');
    expect(formatAge(at(1000), now)).toBe('0s');
  });
});
