import type { KnownBlock, SlackMessage } from '../../slack/messenger.js';

/** Slack caps a section's text at 3000 characters; leave room for fence repair. */
export const maxSectionChars = 2900;
/** Sections per message; Slack allows 50 blocks, a few stay free for context lines. */
export const maxSectionsPerMessage = 10;
/** Beyond this an answer is cut (the thread is not a log viewer). */
export const maxAnswerChars = 60_000;

export interface AnswerView {
  /** mrkdwn, already redacted. */
  text: string;
  /** Small grey line under the answer: where it came from, what needs Claude. */
  footer?: string;
}

/**
 * Splits mrkdwn into pieces of at most `max` characters, at paragraph or line ends when it
 * can, closing and reopening a ``` code fence that a cut would leave open.
 */
export function splitMrkdwn(text: string, max = maxSectionChars): string[] {
  const pieces: string[] = [];
  let rest = text;
  let reopen = false;
  while (rest.length > 0) {
    const prefix: string = reopen ? '```\n' : '';
    const budget = max - prefix.length - 4;
    if (prefix.length + rest.length <= max) {
      pieces.push(prefix + rest);
      break;
    }
    let cut = rest.lastIndexOf('\n\n', budget);
    if (cut < budget / 2) cut = rest.lastIndexOf('\n', budget);
    if (cut < budget / 2) cut = budget;
    let piece: string = prefix + rest.slice(0, cut);
    rest = rest.slice(cut).replace(/^\n+/, '');
    const open: boolean = (piece.match(/```/g)?.length ?? 0) % 2 === 1;
    if (open) piece += '\n```';
    reopen = open;
    pieces.push(piece);
  }
  return pieces.length > 0 ? pieces : [''];
}

/**
 * One answer as one or more thread messages (follow-ups when it is long). The fallback
 * `text` of each message is its own content, so notifications read well. Pure.
 */
export function buildAnswerMessages(answer: AnswerView): SlackMessage[] {
  let body = answer.text.trim() === '' ? '_(no answer)_' : answer.text;
  if (body.length > maxAnswerChars) body = `${body.slice(0, maxAnswerChars)}\n… _(answer cut at ${maxAnswerChars} characters)_`;
  const sections = splitMrkdwn(body);
  const messages: SlackMessage[] = [];
  for (let i = 0; i < sections.length; i += maxSectionsPerMessage) {
    const chunk = sections.slice(i, i + maxSectionsPerMessage);
    const blocks: KnownBlock[] = chunk.map((text) => ({ type: 'section', text: { type: 'mrkdwn', text } }));
    messages.push({ text: fallbackOf(chunk.join('\n')), blocks });
  }
  const last = messages.at(-1);
  if (answer.footer && last?.blocks) {
    last.blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: answer.footer.slice(0, 2000) }] });
  }
  return messages;
}

/** The thread root a `/k8s ask` opens: who asked what, so the answer has a home. */
export function buildAskRootMessage(input: { user: string; question: string }): SlackMessage {
  const question = input.question.length > 2800 ? `${input.question.slice(0, 2800)}…` : input.question;
  return {
    text: `Question from <@${input.user}>: ${fallbackOf(question)}`,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: `:speech_balloon: <@${input.user}> asked: ${quote(question)}` } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: 'Reply in this thread to follow up.' }] },
    ],
  };
}

/** A short error line in a thread when an answer could not be produced. */
export function buildAnswerErrorMessage(reason: string): SlackMessage {
  const text = `:warning: I could not answer that: ${reason.slice(0, 500).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')}`;
  return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
}

function quote(text: string): string {
  return text
    .split('\n')
    .map((line) => `>${line}`)
    .join('\n')
    .replace(/^>/, '\n>');
}

function fallbackOf(text: string): string {
  return text.length > 3000 ? `${text.slice(0, 2999)}…` : text;
}
