import { describe, expect, it } from 'vitest';
import { buildAnswerMessages, buildAskRootMessage, maxSectionChars, splitMrkdwn } from '../../../src/conversation/blocks/answer.js';
import { safe } from '../../../src/slack/blocks/mrkdwn.js';

describe('splitMrkdwn', () => {
  it('keeps short text whole', () => {
    expect(splitMrkdwn(safe('hello'))).toEqual(['hello']);
  });

  it('splits long text into pieces Slack accepts, losing nothing', () => {
    const lines = Array.from({ length: 400 }, (_, i) => `line ${i} ${'x'.repeat(20)}`);
    const pieces = splitMrkdwn(safe(lines.join('\n')));
    expect(pieces.length).toBeGreaterThan(1);
    for (const p of pieces) expect(p.length).toBeLessThanOrEqual(maxSectionChars);
    const joined = pieces.join('\n');
    for (const l of [lines[0], lines[199], lines[399]]) expect(joined).toContain(l);
  });

  it('closes and reopens a code fence cut in two', () => {
    const text = `intro\n\`\`\`\n${Array.from({ length: 300 }, (_, i) => `log ${i} ${'y'.repeat(15)}`).join('\n')}\n\`\`\`\nend`;
    const pieces = splitMrkdwn(safe(text));
    expect(pieces.length).toBeGreaterThan(1);
    for (const p of pieces) expect((p.match(/```/g)?.length ?? 0) % 2).toBe(0);
  });
});

describe('buildAnswerMessages', () => {
  it('posts a short answer as one message with a footer', () => {
    const [msg, ...rest] = buildAnswerMessages({ text: safe('The pod is OOMKilled.'), footer: 'built-in analyzers' });
    expect(rest).toEqual([]);
    expect(msg?.text).toBe('The pod is OOMKilled.');
    expect(msg?.blocks?.at(-1)).toMatchObject({ type: 'context' });
  });

  it('spreads a very long answer over several messages, each within Slack limits', () => {
    const messages = buildAnswerMessages({ text: safe(Array.from({ length: 3000 }, (_, i) => `row ${i} ${'z'.repeat(20)}`).join('\n')) });
    expect(messages.length).toBeGreaterThan(1);
    for (const m of messages) {
      expect(m.blocks!.length).toBeLessThanOrEqual(50);
      expect(m.text.length).toBeLessThanOrEqual(3000);
    }
  });
});

describe('buildAskRootMessage', () => {
  it('names who asked and quotes the question', () => {
    const msg = buildAskRootMessage({ user: 'UALICE', question: 'why is web down' });
    expect(JSON.stringify(msg.blocks)).toContain('<@UALICE> asked');
    expect(JSON.stringify(msg.blocks)).toContain('>why is web down');
  });
});
