import { describe, expect, it } from 'vitest';
import { readTools, runReadTool } from '../../../src/analysis/tools/index.js';
import { maxLogBytes } from '../../../src/analysis/tools/get-pod-logs.js';
import { emptyWorld, fakeReader } from '../fixtures.js';

const tool = readTools.find((t) => t.name === 'get_pod_logs')!;

describe('get_pod_logs', () => {
  it(`gives the model at most ${maxLogBytes} bytes of a chatty container, the newest lines, the cut marked`, async () => {
    const world = emptyWorld();
    const lines = Array.from({ length: 300 }, (_, i) => `level=info msg="handled request" path=/api/orders/${i} status=200 duration_ms=${i % 97} request_id=req-${String(i).padStart(6, '0')}`);
    world.logs['checkout-b2-x1/checkout'] = `${[...lines, 'level=fatal msg="FATAL config: PAYMENT_URL is not a valid URL"'].join('\n')}\n`;
    const out = await runReadTool(tool, { namespace: 'shop', pod: 'checkout-b2-x1', container: 'checkout', previous: true }, { reader: fakeReader(world), now: new Date(), maxBytes: 16_384 });
    expect(out.ok).toBe(true);
    expect(Buffer.byteLength(out.text)).toBeLessThanOrEqual(maxLogBytes);
    expect(Buffer.byteLength(out.text)).toBeGreaterThan(maxLogBytes / 2);
    expect(out.text.split('\n')[0]).toBe('logs shop/checkout-b2-x1 container checkout (previous):');
    expect(out.text).toMatch(/\[truncated: \d+ earlier chars\]/);
    expect(out.text.trimEnd().endsWith('level=fatal msg="FATAL config: PAYMENT_URL is not a valid URL"')).toBe(true);
  });

  it('a short log comes whole', async () => {
    const world = emptyWorld();
    world.logs['checkout-b2-x1/checkout'] = 'level=info msg="starting checkout"\nFATAL config: PAYMENT_URL "htp://payments" is not a valid URL\n';
    const out = await runReadTool(tool, { namespace: 'shop', pod: 'checkout-b2-x1', container: 'checkout', previous: true }, { reader: fakeReader(world), now: new Date(), maxBytes: 16_384 });
    expect(out.text).toBe('logs shop/checkout-b2-x1 container checkout (previous):\nlevel=info msg="starting checkout"\nFATAL config: PAYMENT_URL "htp://payments" is not a valid URL');
  });
});
