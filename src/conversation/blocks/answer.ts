import type { SlackMessage } from '../../slack/messenger.js';
import { clip, contextBlock, joinMd, md, mention, message, safe, section, splitFenced, splitLines, type Mrkdwn } from '../../slack/blocks/mrkdwn.js';

/** Slack caps a section's text at 3000 characters; leave room for fence repair. */
export const maxSectionChars = 2900;
/** Sections per message; Slack allows 50 blocks, a few stay free for context lines. */
export const maxSectionsPerMessage = 10;
/** Beyond this an answer is cut (the thread is not a log viewer). */
export const maxAnswerChars = 60_000;

/**
 * Splits mrkdwn into pieces of at most `max` characters, at paragraph or line ends when it
 * can, closing and reopening a ``` code fence that a cut would leave open.
 */
export function splitMrkdwn(text: Mrkdwn, max = maxSectionChars): Mrkdwn[] {
  return splitFenced(text, max);
}

export interface AnswerView {
  /** The answer, already made safe (conversation/answer.ts: model and cluster text through `safe()`). */
  text: Mrkdwn;
  /** Small grey line under the answer: where it came from, what needs Claude. Outside text: made safe here. */
  footer?: string;
}

/**
 * One answer as one or more thread messages (follow-ups when it is long). The fallback
 * `text` of each message is its own content, so notifications read well. Pure.
 */
export function buildAnswerMessages(answer: AnswerView): SlackMessage[] {
  let body: Mrkdwn = answer.text.trim() === '' ? md`_(no answer)_` : answer.text;
  if (body.length > maxAnswerChars) body = md`${clip(body, maxAnswerChars)}\n… _(answer cut at ${maxAnswerChars} characters)_`;
  const sections = splitMrkdwn(body);
  const messages: SlackMessage[] = [];
  for (let i = 0; i < sections.length; i += maxSectionsPerMessage) {
    const chunk = sections.slice(i, i + maxSectionsPerMessage);
    messages.push(message(joinMd(chunk, '\n'), chunk.map(section)));
  }
  const last = messages.at(-1);
  if (answer.footer && last?.blocks) last.blocks.push(contextBlock(safe(answer.footer)));
  return messages;
}

/** The thread root a `/k8s ask` opens: who asked what (masked and escaped), so the answer has a home. */
export function buildAskRootMessage(input: { user: string; question: string }): SlackMessage {
  const question = clip(safe(input.question), 2800);
  return message(md`Question from ${mention(input.user)}: ${question}`, [
    section(md`:speech_balloon: ${mention(input.user)} asked: ${quote(question)}`),
    contextBlock(md`Reply in this thread to follow up.`),
  ]);
}

/** A short error line in a thread when an answer could not be produced. */
export function buildAnswerErrorMessage(reason: string): SlackMessage {
  const text = md`:warning: I could not answer that: ${clip(safe(reason), 500)}`;
  return message(text, [section(text)]);
}

function quote(text: Mrkdwn): Mrkdwn {
  return md`\n>${joinMd(splitLines(text), '\n>')}`;
}
