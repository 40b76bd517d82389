import type { GatherTarget, ProposedAction, TokenUsage } from '../analysis/port.js';
import type { Incident } from '../core/incident.js';
import type { ClusterReader } from '../kube/reader.js';
import { safe, type Mrkdwn } from '../slack/blocks/mrkdwn.js';
import { answerBuiltin } from './builtin-answer.js';
import { answerPastedKubectl } from './pasted/answer.js';
import type { ThreadContext } from './context-store.js';
import { renderContext } from './render-context.js';

/**
 * What the conversation needs from the Claude investigator (src/analysis): one question,
 * answered with the read-only tools and `propose_action`, given the thread's context.
 */
export interface ClaudeAnswerer {
  /** `usage`: what the answer cost (Claude's token counts), for logs and the bench. */
  answer(input: ClaudeQuestion): Promise<{ text: string; proposals: ProposedAction[]; usage?: TokenUsage }>;
}

export interface ClaudeQuestion {
  /** The thread's context (incident, findings, proposals, decisions, earlier turns), bounded. */
  contextText: string;
  question: string;
  /** Slack user asking; becomes proposal.requestedBy. */
  user: string;
  cluster: string;
  namespace?: string;
  reader: ClusterReader | undefined;
}

export interface AnswerDeps {
  /** Present only when ANTHROPIC_API_KEY is set. */
  claude?: ClaudeAnswerer;
  now: () => number;
}

export interface AnswerInput {
  question: string;
  user: string;
  context: ThreadContext;
  incident: Incident | undefined;
  cluster: string;
  target: GatherTarget;
  reader: ClusterReader | undefined;
}

export interface Answer {
  /** Masked and escaped (model and cluster text may neither leak a secret nor ping or link). */
  text: Mrkdwn;
  /** Plain; the answer builder makes it safe. */
  footer: string;
  proposals: ProposedAction[];
  via: 'claude' | 'builtin';
}

export const needsClaudeNote =
  'Built-in answers cover what is wrong in a namespace or the cluster, and the status, logs, events and known failure patterns of a workload. Open questions and proposing a fix from a question need Claude (set ANTHROPIC_API_KEY).';

/**
 * Answers one question in a thread: with Claude when configured (the model gets the
 * incident's context and may read the cluster and propose catalog actions), otherwise with
 * the built-in path. The answer text is masked and escaped here, once (`safe`).
 */
export async function answerQuestion(deps: AnswerDeps, input: AnswerInput): Promise<Answer> {
  // kubectl output pasted into the thread: the built-in parsers read it, no model, no cluster call.
  const pasted = answerPastedKubectl(input.question);
  if (pasted !== undefined) {
    return { text: safe(pasted), footer: 'Built-in parsers · read from the kubectl output you pasted; the cluster was not asked', proposals: [], via: 'builtin' };
  }
  if (deps.claude) {
    const result = await deps.claude.answer({
      contextText: renderContext(input.context, input.incident),
      question: input.question,
      user: input.user,
      cluster: input.cluster,
      ...(input.target.namespace ? { namespace: input.target.namespace } : {}),
      reader: input.reader,
    });
    return {
      text: safe(result.text),
      footer: (`Claude · cluster \`${input.cluster}\`${input.target.namespace ? ` · namespace \`${input.target.namespace}\`` : ''}`),
      proposals: result.proposals,
      via: 'claude',
    };
  }
  if (!input.reader) {
    return {
      text: safe(`I cannot read cluster \`${input.cluster}\` from here, and without Claude I can only answer from the cluster.`),
      footer: needsClaudeNote,
      proposals: [],
      via: 'builtin',
    };
  }
  const builtin = await answerBuiltin({ question: input.question, reader: input.reader, target: input.target, now: deps.now() });
  return {
    text: builtin.text,
    footer: (`Built-in analyzers · cluster \`${input.cluster}\` · ${needsClaudeNote}`),
    proposals: [],
    via: 'builtin',
  };
}
