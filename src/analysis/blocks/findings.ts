import type { AiStatus, Finding, TokenUsage } from '../types.js';
import type { KnownBlock, SlackMessage } from '../../slack/messenger.js';
import { slackLimits } from '../../slack/blocks/text.js';
import { codeBlock, contextBlock, header, joinMd, md, message, safe, section, splitMd, type Mrkdwn } from '../../slack/blocks/mrkdwn.js';

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
 * Titles, summaries, evidence, notes and Claude's text are masked and escaped.
 */
export function buildFindingsMessages(findings: readonly Finding[], view: FindingsView = {}): SlackMessage[] {
  const blocks: KnownBlock[] = [header('Analysis')];
  const overflow: Mrkdwn[] = [];
  if (findings.length === 0) {
    blocks.push(section(view.aiText ? md`No known failure pattern matched; see the AI analysis below.` : md`No known failure pattern matched what I could read.`));
  }
  for (const [i, f] of findings.entries()) {
    const summary = md`${safe(severityIcon[f.severity])} *${safe(f.title)}*\n${safe(f.summary)}`;
    // The manual fix of an analyzer with no catalog action: text to copy, never a button.
    const head = f.fix === undefined ? summary : md`${summary}\n*Fix:* ${safe(f.fix)}`;
    const evidence = f.evidence.join('\n');
    if (i >= maxFindingsInMessage) {
      overflow.push(evidence === '' ? head : md`${head}\n${codeBlock(evidence, slackLimits.sectionText - head.length - 1)}`);
      continue;
    }
    blocks.push(section(head));
    if (evidence !== '') {
      const short = codeBlock(evidence, evidenceChars);
      blocks.push(contextBlock(short));
      if (short.endsWith('…```')) overflow.push(md`*Evidence: ${safe(f.title)}*\n${codeBlock(evidence, 100_000)}`);
    }
  }
  if (findings.length > maxFindingsInMessage) blocks.push(section(md`_${findings.length - maxFindingsInMessage} more finding(s) in the replies below._`));
  if (view.aiText !== undefined && view.aiText.trim() !== '') {
    const [first, ...rest] = splitMd(md`*Claude's analysis*\n${safe(view.aiText.trim())}`, slackLimits.sectionText);
    if (first !== undefined) blocks.push(section(first));
    if (rest.length > 0) overflow.push(joinMd(rest, '\n'));
  }
  if (view.rejected && view.rejected.length > 0) {
    const rejected = joinMd(view.rejected.map((r) => md`• ${safe(r)}`), '\n');
    blocks.push(section(md`:warning: *Rejected proposals* (not in the action catalog or invalid):\n${rejected}`));
  }
  const context = [...(view.notes ?? []).map((n) => md`_${safe(n)}_`), ...statusLine(view.aiStatus, view.usage)];
  if (context.length > 0) blocks.push(contextBlock(...context));
  const main = message(fallbackText(findings), blocks.slice(0, slackLimits.blocksPerMessage));
  const followUps = splitMd(joinMd(overflow, '\n\n'), slackLimits.sectionText)
    .filter((c) => c.trim() !== '')
    .slice(0, maxFollowUps)
    .map((chunk) => message(md`Analysis (continued)`, [section(chunk)]));
  return [main, ...followUps];
}

function statusLine(status: AiStatus | undefined, usage: TokenUsage | undefined): Mrkdwn[] {
  const out: Mrkdwn[] = [];
  if (status?.state === 'disabled') out.push(md`Built-in analyzers only (no Anthropic API key configured).`);
  if (status?.state === 'unavailable') out.push(md`:warning: AI analysis unavailable (${safe(status.reason)}); showing the built-in analyzers' result.`);
  if (status?.state === 'stopped') out.push(md`:hourglass: AI analysis stopped early: ${safe(status.reason)}.`);
  if (usage && usage.requests > 0) {
    const n = (x: number) => safe(x.toLocaleString('en-US'));
    out.push(
      md`Claude usage: ${n(usage.inputTokens)} input · ${n(usage.outputTokens)} output · ${n(usage.cacheReadTokens)} cache read · ${n(usage.cacheCreationTokens)} cache write tokens (${usage.requests} requests)`,
    );
  }
  return out;
}

function fallbackText(findings: readonly Finding[]): Mrkdwn {
  if (findings.length === 0) return md`Analysis: no known failure pattern matched.`;
  return md`Analysis: ${safe(findings.map((f) => f.title).join('; '))}`;
}
