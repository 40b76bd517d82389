import { describe, expect, it } from 'vitest';
import { renderBlocks } from '../../../../sandbox/slack/ui/blocks.js';
import { renderMrkdwn, renderPlain } from '../../../../sandbox/slack/ui/mrkdwn.js';

const ctx = {
  userName: (id: string) => ({ UALICE: 'alice', UBOT: 'deckhand' })[id],
  channelName: (id: string) => ({ CINCIDENTS: 'incidents' })[id],
};
const ref = { channel: 'CINCIDENTS', ts: '1.000100' };

describe('sandbox mrkdwn rendering', () => {
  it('renders bold, italic, strike, inline code and code blocks', () => {
    expect(renderMrkdwn('*Roll back* _now_ ~never~ `kubectl get pods`', ctx)).toBe(
      '<strong>Roll back</strong> <em>now</em> <del>never</del> <code><span class="nowrap">kubectl</span> <span class="nowrap">get</span> <span class="nowrap">pods</span></code>',
    );
    expect(renderMrkdwn('logs:\n```FATAL *not bold*\nline 2```\nafter', ctx)).toBe('logs:<pre>FATAL *not bold*\nline 2</pre>after');
  });

  it('renders links, mentions and date tokens, and keeps Slack-escaped text literal', () => {
    expect(renderMrkdwn('<https://example.com/a?b=1&amp;c=2|the runbook>', ctx)).toBe(
      '<a href="https://example.com/a?b=1&amp;c=2" target="_blank" rel="noopener noreferrer">the runbook</a>',
    );
    expect(renderMrkdwn('<@UALICE> in <#CINCIDENTS>', ctx)).toBe('<span class="mention">@alice</span> in <span class="mention">#incidents</span>');
    expect(renderMrkdwn('a &lt;b&gt; &amp; c', ctx)).toBe('a &lt;b&gt; &amp; c');
    expect(renderMrkdwn('<!date^1700000000^{date_num}|fallback>', ctx)).toBe('2023-11-14');
    expect(renderMrkdwn(':white_check_mark: done :not_an_emoji:', ctx)).toBe('✅ done :not_an_emoji:');
  });

  it('never lets message text inject HTML or script URLs', () => {
    const html = renderMrkdwn('<javascript:alert(1)|click> <img src=x onerror=alert(1)> "quoted"', ctx);
    expect(html).not.toContain('javascript:');
    expect(html).not.toContain('<img');
    expect(renderPlain('<b>plain</b>')).toBe('&lt;b&gt;plain&lt;/b&gt;');
  });

  it('renders buttons with their style and the data the click endpoint needs', () => {
    const html = renderBlocks(
      [
        { type: 'header', text: { type: 'plain_text', text: 'Title' } },
        {
          type: 'actions',
          elements: [
            { type: 'button', action_id: 'proposal_approve', value: 'p"1', style: 'primary', text: { type: 'plain_text', text: 'Approve' } },
            { type: 'button', action_id: 'proposal_reject', value: 'p1', style: 'danger', text: { type: 'plain_text', text: 'Reject' } },
          ],
        },
      ],
      ctx,
      ref,
    );
    expect(html).toContain('<div class="block header">Title</div>');
    expect(html).toContain('class="btn btn-primary" data-action-id="proposal_approve" data-value="p&quot;1" data-channel="CINCIDENTS" data-message-ts="1.000100"');
    expect(html).toContain('class="btn btn-danger"');
  });
});
