import { describe, expect, it } from 'vitest';
import { answerQuestion, type AnswerInput } from '../../src/conversation/answer.js';

const input: AnswerInput = {
  question: 'why?',
  user: 'UALICE',
  context: { thread: { channel: 'C1', threadTs: '1.1' }, incidentId: undefined, cluster: undefined, namespace: undefined, origin: undefined,
    subject: undefined, events: [], turns: [], foldedCount: 0, folded: [] },
  incident: undefined,
  cluster: 'lab',
  target: { namespace: 'shop' },
  reader: undefined,
};

describe('answerQuestion', () => {
  it('redacts and escapes what Claude says before it reaches Slack', async () => {
    const claude = { answer: () => Promise.resolve({ text: '<!channel> DB_PASSWORD=hunter2hunter2 & <http://x|click>', proposals: [] }) };
    const answer = await answerQuestion({ claude, now: Date.now }, input);
    expect(answer.via).toBe('claude');
    expect(answer.text).toBe('&lt;!channel&gt; DB_PASSWORD=**** &amp; &lt;http://x|click&gt;');
  });

  it('without Claude and without cluster access, says plainly what it cannot do', async () => {
    const answer = await answerQuestion({ now: Date.now }, input);
    expect(answer.via).toBe('builtin');
    expect(answer.text).toContain('cannot read cluster `lab`');
    expect(answer.footer).toContain('need Claude');
  });
});
