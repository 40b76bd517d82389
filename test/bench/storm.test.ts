import { describe, expect, it } from 'vitest';
import { buildStorm, duplicatePosts } from '../../bench/figures/storm.js';
import type { Shot } from '../../bench/lib/load.js';
import type { RecordedCall } from '../../sandbox/slack/index.js';

const sizes = { deliveries: 1000, incidents: 10, redeliveryShare: 0.3, bursts: 50, burstSize: 4, concurrency: 8 };
const idOf = (s: Shot) => s.headers['x-webhook-id']!;

describe('the alert storm', () => {
  it('sends exactly the configured deliveries: 70 % unique, the rest redelivered as bursts or later', () => {
    const turns = buildStorm('secret', sizes);
    const shots = turns.flat();
    expect(shots).toHaveLength(1000);
    expect(new Set(shots.map(idOf)).size).toBe(700);
    const bursts = turns.filter((t): t is Shot[] => Array.isArray(t));
    expect(bursts).toHaveLength(50);
    for (const burst of bursts) expect(new Set(burst.map(idOf)).size).toBe(1);
    expect(new Set(shots.map((s) => String(JSON.parse(s.body).event.data.id))).size).toBe(10);
  });

  it('never redelivers before the first delivery', () => {
    const seen = new Set<string>();
    const firstBody = new Map<string, string>();
    for (const turn of buildStorm('secret', sizes)) {
      const shot = Array.isArray(turn) ? turn[0]! : turn;
      if (!seen.has(idOf(shot))) {
        seen.add(idOf(shot));
        firstBody.set(idOf(shot), shot.body);
      } else {
        // A redelivery is byte for byte the same delivery.
        expect(shot.body).toBe(firstBody.get(idOf(shot)));
      }
    }
  });

  it('counts posts with the same channel, thread and content as duplicates', () => {
    const post = (thread: string, text: string): RecordedCall => ({ method: 'chat.postMessage', args: { channel: 'C1', thread_ts: thread, text }, token: undefined, status: 200, ok: true, at: 0 });
    expect(duplicatePosts([post('1', 'a'), post('2', 'a'), post('1', 'b')])).toBe(0);
    expect(duplicatePosts([post('1', 'a'), post('1', 'a'), post('1', 'a')])).toBe(2);
  });
});
