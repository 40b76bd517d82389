import { subcommands } from '../parse.js';
import type { SlackMessage } from '../../slack/messenger.js';
import { contextBlock, inlineCode, joinMd, md, message, safe, section, type Mrkdwn } from '../../slack/blocks/mrkdwn.js';

/**
 * `/k8s help`: every subcommand with its usage. When the user typed something unknown,
 * says so first (masked and escaped), so help is an answer and not a shrug. Pure.
 */
export function buildHelpMessage(options: { unknown?: string; command?: string } = {}): SlackMessage {
  const command = options.command ?? '/k8s';
  const lines = Object.values(subcommands).map((s) => md`• ${inlineCode(`${command} ${s.usage}`)} — ${safe(s.summary)}`);
  const intro = options.unknown !== undefined ? md`I don't know ${inlineCode(options.unknown.slice(0, 100))}. Here is what I can do:` : md`Deckhand commands:`;
  const footer = md`In an incident thread you can also just ask: any reply there, or a mention of me anywhere, gets an answer.`;
  return message(joinMd([intro, ...lines, md``, footer], '\n'), [section(joinMd([intro, ...lines], '\n')), contextBlock(footer)]);
}

/** A bad argument: what was wrong (our words, possibly quoting the user: made safe) and the subcommand's usage. */
export function buildUsageMessage(problem: string, usage: string, command = '/k8s'): SlackMessage {
  const text = md`${safe(problem)}\nUsage: ${inlineCode(`${command} ${usage}`)}`;
  return message(text, [section(text)]);
}

/**
 * Any error that reaches the user: plain, ephemeral, never silent. Takes Mrkdwn: a caller
 * says what is ours (md`…`) and what is outside text (safe(…)).
 */
export function buildErrorMessage(problem: Mrkdwn): SlackMessage {
  const text = md`:warning: ${problem}`;
  return message(text, [section(text)]);
}
