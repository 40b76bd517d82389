import { describe, expect, it } from 'vitest';
import { subcommands } from '../../../src/commands/parse.js';
import { buildHelpMessage } from '../../../src/commands/blocks/help.js';
import { escapeMrkdwn } from '../../../src/slack/blocks/text.js';

describe('buildHelpMessage', () => {
  it('lists every subcommand with its usage (placeholders escaped, so Slack shows <question>)', () => {
    const { text } = buildHelpMessage();
    for (const s of Object.values(subcommands)) expect(text).toContain(`/k8s ${escapeMrkdwn(s.usage)}`);
    expect(text).toContain('/k8s ask &lt;question&gt;');
  });

  it('says which word it did not know, escaped', () => {
    const { text } = buildHelpMessage({ unknown: '<!channel>' });
    expect(text).toContain("I don't know `&lt;!channel&gt;`");
  });
});
