import { describe, expect, it } from 'vitest';
import { subcommands } from '../../../src/commands/parse.js';
import { buildHelpMessage } from '../../../src/commands/blocks/help.js';

describe('buildHelpMessage', () => {
  it('lists every subcommand with its usage', () => {
    const { text } = buildHelpMessage();
    for (const s of Object.values(subcommands)) expect(text).toContain(`/k8s ${s.usage}`);
  });

  it('says which word it did not know, escaped', () => {
    const { text } = buildHelpMessage({ unknown: '<!channel>' });
    expect(text).toContain("I don't know `&lt;!channel&gt;`");
  });
});
