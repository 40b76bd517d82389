import { describe, expect, it } from 'vitest';
import { createInflight } from '../../src/decisions/inflight.js';

describe('clicks in flight at shutdown', () => {
  it('drain waits for tracked work, including work that fails', async () => {
    const inflight = createInflight();
    let finish!: () => void;
    let finished = false;
    const slow = inflight.track(() => new Promise<void>((resolve) => (finish = resolve)).then(() => void (finished = true)));
    const failing = inflight.track(() => Promise.reject(new Error('slack down')));
    await expect(failing).rejects.toThrow('slack down');
    expect(inflight.size).toBe(1);
    const drained = inflight.drain(60_000);
    finish();
    expect(await drained).toBe(true);
    expect(finished).toBe(true);
    await slow;
    expect(inflight.size).toBe(0);
  });

  it('drain gives up after its grace period when work never ends', async () => {
    const inflight = createInflight();
    void inflight.track(() => new Promise<void>(() => undefined));
    expect(await inflight.drain(10)).toBe(false);
    expect(inflight.size).toBe(1);
  });
});
