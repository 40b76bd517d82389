import { describe, expect, it } from 'vitest';
import { foldRepeatedLines, formatLogs, stripAnsi } from '../../../src/kube/format/logs.js';

describe('formatLogs', () => {
  it('strips ANSI colours and cursor sequences', () => {
    expect(stripAnsi('\u001b[31mERROR\u001b[0m boom \u001b]0;title\u0007done')).toBe('ERROR boom done');
  });

  it('folds repeated consecutive lines', () => {
    expect(foldRepeatedLines(['a', 'b', 'b', 'b', 'c', 'b'])).toEqual(['a', 'b', '… (repeated 3 times)', 'c', 'b']);
  });

  it('keeps the newest lines when it must cut, and marks the cut', () => {
    const lines = Array.from({ length: 500 }, (_, i) => `line ${i} ${'x'.repeat(40)}`);
    lines.push('FATAL config: PAYMENT_URL "htp://payments" is not a valid URL');
    const text = formatLogs({ ok: true, text: `${lines.join('\n')}\n`, truncated: false }, { maxBytes: 1000 });
    expect(Buffer.byteLength(text, 'utf8')).toBeLessThanOrEqual(1000);
    expect(text).toContain('FATAL config: PAYMENT_URL "htp://payments" is not a valid URL');
    expect(text).toContain('[truncated:');
    expect(text).not.toContain('line 0 ');
  });

  it('stays within maxBytes with multi-byte text', () => {
    const text = formatLogs({ ok: true, text: 'ü€😀 '.repeat(2000), truncated: false }, { maxBytes: 512 });
    expect(Buffer.byteLength(text, 'utf8')).toBeLessThanOrEqual(512);
  });

  it('passes on the kubelet message when logs are unavailable', () => {
    const text = formatLogs(
      { ok: false, message: 'container "frontend" in pod "frontend-x" is waiting to start: trying and failing to pull image' },
      { maxBytes: 1000, label: 'shop/frontend-x' },
    );
    expect(text).toBe('logs shop/frontend-x: unavailable: container "frontend" in pod "frontend-x" is waiting to start: trying and failing to pull image');
  });

  it('says when the log is empty', () => {
    expect(formatLogs({ ok: true, text: '', truncated: false }, { maxBytes: 100 })).toBe('logs: (empty)');
  });
});
