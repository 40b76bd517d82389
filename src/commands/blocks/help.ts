import { subcommands } from '../parse.js';
import type { SlackMessage } from '../../slack/messenger.js';

/**
 * `/k8s help`: every subcommand with its usage. When the user typed something unknown,
 * says so first, so help is an answer and not a shrug. Pure.
 */
export function buildHelpMessage(options: { unknown?: string; command?: string } = {}): SlackMessage {
  const command = options.command ?? '/k8s';
  const lines = Object.values(subcommands).map((s) => `• \`${command} ${s.usage}\` — ${s.summary}`);
  const intro = options.unknown !== undefined ? `I don't know \`${escape(options.unknown)}\`. Here is what I can do:` : 'Deckhand commands:';
  const footer = 'In an incident thread you can also just ask: any reply there, or a mention of me anywhere, gets an answer.';
  const text = [intro, ...lines, '', footer].join('\n');
  return {
    text,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: [intro, ...lines].join('\n') } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: footer }] },
    ],
  };
}

/** A bad argument: what was wrong and the subcommand's usage. */
export function buildUsageMessage(message: string, usage: string, command = '/k8s'): SlackMessage {
  const text = `${message}\nUsage: \`${command} ${usage}\``;
  return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
}

/** Any error that reaches the user: plain, ephemeral, never silent. */
export function buildErrorMessage(message: string): SlackMessage {
  const text = `:warning: ${message}`;
  return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text: text.slice(0, 2900) } }] };
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/`/g, "'").slice(0, 100);
}
