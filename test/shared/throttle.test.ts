import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/shared/logger.js';
import { createThrottledWarning, isConnectionError } from '../../src/shared/throttle.js';

describe('createThrottledWarning', () => {
  it('logs a lasting condition once per interval with the repeats it stood for, and its end once', () => {
    const lines: string[] = [];
    const log = createLogger({ level: 'info', destination: { write: (line: string) => void lines.push(line) } });
    let now = 0;
    const trouble = createThrottledWarning({ log, message: 'redis unreachable', recoveredMessage: 'redis reachable again', intervalMs: 30_000, clock: () => now });
    // ~6 errors a second for a minute.
    for (let i = 0; i < 360; i++) {
      trouble.warn({ connection: 'main', err: 'connect ECONNREFUSED' });
      now += 166;
    }
    trouble.recovered();
    trouble.recovered();
    const warnings = lines.filter((l) => l.includes('redis unreachable'));
    expect(warnings.length).toBeLessThanOrEqual(3);
    expect(warnings.length).toBeGreaterThanOrEqual(2);
    expect(warnings[1]).toMatch(/"suppressed":\d{3}/);
    expect(lines.filter((l) => l.includes('redis reachable again'))).toHaveLength(1);
  });

  it('states the repeats on recovery even when there were none, so the end of an outage reads the same every time', () => {
    const lines: string[] = [];
    const log = createLogger({ level: 'info', destination: { write: (line: string) => void lines.push(line) } });
    const trouble = createThrottledWarning({ log, message: 'redis unreachable', recoveredMessage: 'redis reachable again', clock: () => 0 });
    trouble.warn({ connection: 'main' });
    trouble.recovered({ connection: 'main' });
    expect(lines.filter((l) => l.includes('redis reachable again'))).toEqual([expect.stringMatching(/"suppressed":0,"msg":"redis reachable again"/)]);
  });

  it('tells a lost connection from an error of one command', () => {
    expect(isConnectionError(new Error('connect ECONNREFUSED 127.0.0.1:6379'))).toBe(true);
    expect(isConnectionError(new Error('read ECONNRESET'))).toBe(true);
    expect(isConnectionError(new Error('Connection is closed.'))).toBe(true);
    expect(isConnectionError(new Error('Missing key for job 1. moveToFinished'))).toBe(false);
  });
});
