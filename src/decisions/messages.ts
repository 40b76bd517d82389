import { renderKubectl } from './actions/kubectl.js';
import type { Proposal } from './actions/proposal.js';
import { redactText } from '../shared/redact.js';
import { actionIds } from './action-ids.js';
import { buildProposalMessage } from './blocks/proposal.js';
import { buildProposalSummaryBlocks } from './blocks/decision.js';
import { escapeMrkdwn } from '../slack/blocks/text.js';
import type { KnownBlock, SlackMessage } from '../slack/messenger.js';
import type { ExecutionResult, Verdict } from './connections.js';

/**
 * Thread messages of the decision loop. Pure builders: the workers and the click core
 * decide what to say, these decide how it looks.
 */

export interface RenderProposalOptions {
  /** Approve / Reject buttons (approval, or yolo waiting for a human). */
  buttons: boolean;
  /** One extra line, e.g. why yolo did not run it by itself. */
  note?: string;
  /** Shown without buttons because the channel is in plan mode (D's builder says so). */
  planMode?: boolean;
}

export type RenderProposal = (proposal: Proposal, options: RenderProposalOptions) => SlackMessage;

/** A proposal message for the decision loop's own proposals (Undo, inverse), over D's builder. */
export const renderProposalMessage: RenderProposal = (proposal, options) => {
  const kubectl = renderKubectl(proposal.action);
  const base = buildProposalMessage(proposal, { mode: options.planMode ? 'plan' : 'approval', kubectl });
  let blocks: KnownBlock[] = options.buttons || options.planMode || proposal.risk === 'forbidden' ? (base.blocks ?? []) : buildProposalSummaryBlocks(proposal);
  if (options.note) {
    const at = blocks.findIndex((b) => b.type === 'actions');
    const note = context(options.note);
    blocks = at < 0 ? [...blocks, note] : [...blocks.slice(0, at), note, ...blocks.slice(at)];
  }
  return { text: base.text, blocks };
};

export function buildDryRunMessage(proposal: Proposal, result: ExecutionResult): SlackMessage {
  const command = renderKubectl(proposal.action);
  const text = result.ok
    ? `:test_tube: Dry run of \`${command}\` passed: ${fromCluster(result.summary)}. Running it for real now.`
    : `:test_tube: Dry run of \`${command}\` failed (${result.code}): ${fromCluster(result.message)}. Nothing was changed.`;
  return simple(text);
}

/** The target changed between the approval and the run: nothing ran. */
export function buildStaleAtExecutionMessage(proposal: Proposal, explanation: string): SlackMessage {
  return simple(`:hourglass: Not run: \`${renderKubectl(proposal.action)}\` was ${fromCluster(explanation)} Nothing was changed; ask for a fresh analysis.`);
}

export function buildExecutionMessage(proposal: Proposal, result: ExecutionResult, options: { auto: boolean; undo: boolean }): SlackMessage {
  const command = renderKubectl(proposal.action);
  const who = options.auto ? ' (ran by itself under the yolo policy)' : '';
  const text = result.ok
    ? `:gear: Executed \`${command}\`${who}: ${fromCluster(result.summary)}. Verifying now.`
    : `:warning: Execution of \`${command}\` failed (${result.code}): ${fromCluster(result.message)}`;
  const blocks: KnownBlock[] = [section(text)];
  if (options.undo) {
    blocks.push({
      type: 'actions',
      block_id: `undo-${proposal.id}`.slice(0, 255),
      elements: [{ type: 'button', action_id: actionIds.undo, text: { type: 'plain_text', text: 'Undo' }, value: proposal.id }],
    });
  }
  return { text, blocks };
}

export function buildVerdictMessage(proposal: Proposal, verdict: Verdict): SlackMessage {
  const head = verdict.ok ? ':white_check_mark: Verified' : ':x: Verification failed';
  const text = `${head} for \`${renderKubectl(proposal.action)}\`: ${fromCluster(verdict.summary)}`;
  const evidence = verdict.evidence.slice(0, 10).map((e) => `• ${fromCluster(e)}`).join('\n');
  return { text, blocks: [section(text), ...(evidence ? [context(evidence)] : [])] };
}

export function buildUnknownOutcomeMessage(proposal: Proposal): SlackMessage {
  return simple(
    `:warning: Execution state of \`${renderKubectl(proposal.action)}\` is unknown: the worker stopped after the real run began, ` +
      'so Deckhand will not run it again. Check the cluster; a verification runs now.',
  );
}

/**
 * Text that came from the cluster (API messages, pod states, log lines in evidence): masked
 * for credentials and escaped, so it can neither leak a secret nor ping or link in Slack.
 */
function fromCluster(text: string): string {
  return escapeMrkdwn(redactText(text));
}

export const simple = (text: string): SlackMessage => ({ text, blocks: [section(text)] });

function section(text: string): KnownBlock {
  return { type: 'section', text: { type: 'mrkdwn', text: clip(text, 3000) } };
}

function context(text: string): KnownBlock {
  return { type: 'context', elements: [{ type: 'mrkdwn', text: clip(text, 3000) }] };
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
