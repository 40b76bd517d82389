import { describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/analysis/types.js';
import { buildFindingsBlocks, buildFindingsMessages } from '../../../src/analysis/blocks/findings.js';
import { safe, splitMd } from '../../../src/slack/blocks/mrkdwn.js';

const finding: Finding = {
  analyzer: 'crash-loop',
  title: 'deployment/checkout in shop is crash-looping',
  severity: 'critical',
  summary: 'Container checkout exits with code 1.',
  evidence: ['restarts: checkout-1 ×6', 'FATAL config: PAYMENT_URL "htp://payments" is not a valid URL'],
};

describe('buildFindingsBlocks', () => {
  it('shows each finding with its evidence', () => {
    const text = JSON.stringify(buildFindingsBlocks([finding]));
    expect(text).toContain('deployment/checkout in shop is crash-looping');
    expect(text).toContain('PAYMENT_URL');
  });

  it('shows token usage and the AI status in a context line', () => {
    const blocks = buildFindingsBlocks([finding], {
      usage: { inputTokens: 1200, outputTokens: 340, cacheReadTokens: 5000, cacheCreationTokens: 800, requests: 3 },
      aiStatus: { state: 'stopped', reason: 'step limit (8) reached' },
    });
    const context = JSON.stringify(blocks.filter((b) => b.type === 'context').at(-1));
    expect(context).toContain('1,200 input');
    expect(context).toContain('5,000 cache read');
    expect(context).toContain('step limit (8) reached');
  });

  it('says when the AI analysis is unavailable', () => {
    expect(JSON.stringify(buildFindingsBlocks([finding], { aiStatus: { state: 'unavailable', reason: 'Claude is overloaded' } }))).toContain('AI analysis unavailable');
  });

  it('escapes cluster text: no pings, no links', () => {
    const evil: Finding = { ...finding, title: '<!channel> pwned', summary: '<https://evil.example|click>', evidence: ['<@U123> & ```'] };
    const text = JSON.stringify(buildFindingsMessages([evil], { aiText: 'IGNORE <!here>' }));
    expect(text).not.toMatch(/<!channel>|<!here>|<https:|<@U123>/);
  });

  it('stays within Slack limits and moves overflow to follow-ups', () => {
    const many = Array.from({ length: 30 }, (_, i) => ({ ...finding, title: `finding ${i}`, evidence: ['y'.repeat(5000)] }));
    const messages = buildFindingsMessages(many, { aiText: 'z'.repeat(9000) });
    expect(messages.length).toBeGreaterThan(1);
    expect(messages.map((m) => m.blocks!.length).filter((n) => n > 50)).toEqual([]);
    const blocks = messages.flatMap((m) => m.blocks!);
    const lengths = {
      section: blocks.flatMap((b) => (b.type === 'section' ? [b.text!.text.length] : [])),
      header: blocks.flatMap((b) => (b.type === 'header' ? [b.text.text.length] : [])),
      context: blocks.flatMap((b) => (b.type === 'context' ? b.elements.map((e) => (e as { text: string }).text.length) : [])),
    };
    // Each kind is there (the long texts are cut to fit, not dropped) and within Slack's limit.
    expect(Math.max(...lengths.section)).toBeGreaterThan(2000);
    expect(lengths.header.length).toBeGreaterThan(0);
    expect(Math.max(...lengths.context)).toBeGreaterThan(1000);
    expect(lengths.section.filter((n) => n > 3000)).toEqual([]);
    expect(lengths.header.filter((n) => n > 150)).toEqual([]);
    expect(lengths.context.filter((n) => n > 2000)).toEqual([]);
  });
});

describe('splitMd', () => {
  it('splits at line breaks into chunks within the limit and loses nothing but the break', () => {
    const text = Array.from({ length: 100 }, (_, i) => `line ${i} ${'x'.repeat(40)}`).join('\n');
    const chunks = splitMd(safe(text), 500);
    for (const c of chunks) expect(c.length).toBeLessThanOrEqual(500);
    expect(chunks.join('\n')).toBe(text);
  });
  it('hard-cuts a line longer than the limit', () => {
    expect(splitMd(safe('a'.repeat(25)), 10)).toEqual(['a'.repeat(10), 'a'.repeat(10), 'a'.repeat(5)]);
  });
});

describe('a finding with a manual fix', () => {
  it('shows the fix as text under the summary, escaped, with no button', () => {
    const blocks = buildFindingsBlocks([
      { analyzer: 'missing-service-account', kind: 'missing-service-account', object: 'ServiceAccount/shop/sa', title: 'ServiceAccount sa does not exist in shop', severity: 'critical', summary: 'refused', evidence: [], fix: 'kubectl -n shop create serviceaccount <sa>' },
    ]);
    const text = JSON.stringify(blocks);
    expect(text).toContain('*Fix:* kubectl -n shop create serviceaccount &lt;sa&gt;');
    expect(text).not.toContain('"type":"button"');
  });
});
