import { describe, expect, it } from 'vitest';
import { clampToReceiveTime } from '../../src/ingest/enqueue.js';
import { cleanText, titleOf, workloadHintOf } from '../../src/ingest/title.js';

describe('titleOf', () => {
  it("keeps a sender's title, cleaned to one line", () => {
    expect(titleOf('  checkout:\n high\t5xx \u0000rate ', [], 'PagerDuty')).toBe('checkout: high 5xx rate');
    expect(titleOf('\u202Egnp.exe', [], 'PagerDuty')).toBe('gnp.exe');
  });

  it('falls back to the first usable hint, then to "Untitled alert from <source>"', () => {
    expect(titleOf('', [undefined, ' \n ', 'Checkout API'], 'PagerDuty')).toBe('Checkout API');
    expect(titleOf(undefined, [workloadHintOf({ namespace: 'shop', deployment: 'cart' })], 'Alertmanager')).toBe('shop/cart');
    expect(titleOf('\u0000\u0007', [], 'Alertmanager')).toBe('Untitled alert from Alertmanager');
  });

  it('cuts an absurdly long title', () => {
    const title = titleOf('y'.repeat(1_000_000), [], 'PagerDuty');
    expect(title).toHaveLength(300);
    expect(title.endsWith('…')).toBe(true);
    expect(cleanText('abcdef', 4)).toBe('abc…');
  });
});

describe('clampToReceiveTime', () => {
  const now = Date.parse('2026-12-02T08:00:00Z');
  it('keeps past times and clamps future or unreadable ones to the receive time', () => {
    expect(clampToReceiveTime('2026-12-02T07:59:00Z', now)).toBe('2026-12-02T07:59:00Z');
    expect(clampToReceiveTime('2099-01-01T00:00:00Z', now)).toBe('2026-12-02T08:00:00.000Z');
    expect(clampToReceiveTime('not a time', now)).toBe('2026-12-02T08:00:00.000Z');
  });
});
