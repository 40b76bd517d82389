import type { AiStatus, Finding, TokenUsage } from '../types.js';
import type { KnownBlock, SlackMessage } from '../../slack/messenger.js';
import { codeBlock, escapeMrkdwn, slackLimits, splitForSlack, truncate } from '../../slack/blocks/text.js';

const severityIcon: Record<Finding['severity'], string> = { critical: ':red_circle:', warning: ':large_yellow_circle:', info: ':information_source:' };

/** Findings shown in the main message; the rest go to follow-ups. Keeps well under 50 blocks. */
export const maxFindingsInMessage = 8;
/** Evidence characters per finding in the main message. */
const evidenceChars = 1200;
const maxFollowUps = 5;

export interface FindingsView {
  usage?: TokenUsage | undefined;
  aiStatus?: AiStatus | undefined;
  /** Claude's closing summary (posted as findings text, escaped). */
  aiText?: string | undefined;
  /** What could not be read or resolved. */
  notes?: string[] | undefined;
  /** Proposals Claude made that were rejected (unknown action, bad fields…). */
  rejected?: string[] | undefined;
}

/** The findings message blocks (the first message of buildFindingsMessages). */
export function buildFindingsBlocks(findings: readonly Finding[], view: FindingsView = {}): KnownBlock[] {
  return buildFindingsMessages(findings, view)[0]?.blocks ?? [];
}

/**
 * The analysis as Slack messages: a main message with every finding summarised (evidence
 * shortened), then follow-ups carrying what did not fit (full evidence, long AI text).
 */
export function buildFindingsMessages(findings: readonly Finding[], view: FindingsView = {}): SlackMessage[] {
  const blocks: KnownBlock[] = [{ type: 'header', text: { type: 'plain_text', text: truncate('Analysis', slackLimits.headerText) } }];
  const overflow: string[] = [];
  if (findings.length === 0) {
    blocks.push(section(view.aiText ? 'No known failure pattern matched; see the AI analysis below.' : 'No known failure pattern matched what I could read.'));
  }
  for (const [i, f] of findings.entries()) {
    const head = `${severityIcon[f.severity]} *${escapeMrkdwn(f.title)}*\n${escapeMrkdwn(f.summary)}`;
    const evidence = f.evidence.join('\n');
    if (i >= maxFindingsInMessage) {
      overflow.push(`${head}\n${evidence === '' ? '' : codeBlock(evidence, slackLimits.sectionText - head.length - 1)}`);
      continue;
    }
    blocks.push(section(truncate(head, slackLimits.sectionText)));
    if (evidence !== '') {
      blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: codeBlock(evidence, evidenceChars) }] });
      if (escapeMrkdwn(evidence).length > evidenceChars - 6) overflow.push(`*Evidence: ${escapeMrkdwn(f.title)}*\n${codeBlock(evidence, 100_000)}`);
    }
  }
  if (findings.length > maxFindingsInMessage) blocks.push(section(`_${findings.length - maxFindingsInMessage} more finding(s) in the replies below._`));
  if (view.aiText !== undefined && view.aiText.trim() !== '') {
    const text = `*Claude's analysis*\n${escapeMrkdwn(view.aiText.trim())}`;
    const [first, ...rest] = splitForSlack(text, slackLimits.sectionText);
    blocks.push(section(first ?? ''));
    if (rest.length > 0) overflow.push(rest.join('\n'));
  }
  if (view.rejected && view.rejected.length > 0) {
    blocks.push(section(truncate(`:warning: *Rejected proposals* (not in the action catalog or invalid):\n${view.rejected.map((r) => `• ${escapeMrkdwn(r)}`).join('\n')}`, slackLimits.sectionText)));
  }
  const context = [...(view.notes ?? []).map((n) => `_${escapeMrkdwn(n)}_`), ...statusLine(view.aiStatus, view.usage)];
  if (context.length > 0) {
    blocks.push({ type: 'context', elements: context.slice(0, 10).map((text) => ({ type: 'mrkdwn' as const, text: truncate(text, slackLimits.contextElementText) })) });
  }
  const main: SlackMessage = { text: fallbackText(findings), blocks: blocks.slice(0, slackLimits.blocksPerMessage) };
  const followUps = splitForSlack(overflow.join('\n\n'), slackLimits.sectionText)
    .filter((c) => c.trim() !== '')
    .slice(0, maxFollowUps)
    .map((chunk): SlackMessage => ({ text: 'Analysis (continued)', blocks: [section(chunk)] }));
  return [main, ...followUps];
}

function statusLine(status: AiStatus | undefined, usage: TokenUsage | undefined): string[] {
  const out: string[] = [];
  if (status?.state === 'disabled') out.push('Built-in analyzers only (no Anthropic API key configured).');
  if (status?.state === 'unavailable') out.push(`:warning: AI analysis unavailable (${escapeMrkdwn(status.reason)}); showing the built-in analyzers' result.`);
  if (status?.state === 'stopped') out.push(`:hourglass: AI analysis stopped early: ${escapeMrkdwn(status.reason)}.`);
  if (usage && usage.requests > 0) {
    const n = (x: number) => x.toLocaleString('en-US');
    out.push(
      `Claude usage: ${n(usage.inputTokens)} input · ${n(usage.outputTokens)} output · ${n(usage.cacheReadTokens)} cache read · ${n(usage.cacheCreationTokens)} cache write tokens (${usage.requests} requests)`,
    );
  }
  return out;
}

function fallbackText(findings: readonly Finding[]): string {
  if (findings.length === 0) return 'Analysis: no known failure pattern matched.';
  return truncate(`Analysis: ${escapeMrkdwn(findings.map((f) => f.title).join('; '))}`, slackLimits.fallbackText);
}

function section(text: string): KnownBlock {
  return { type: 'section', text: { type: 'mrkdwn', text: truncate(text, slackLimits.sectionText) } };
}
