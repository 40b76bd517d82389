import { assessEvidence, gatherEvidence, runAnalyzers, sweep, type Evidence, type GatherTarget, type SweepOptions } from '../analysis/port.js';
import { formatDeployment, formatEvents, formatLogs, formatPodSummary } from '../kube/format/index.js';
import type { ClusterReader } from '../kube/reader.js';
import { clip, codeBlock, joinMd, md, safe, type Mrkdwn } from '../slack/blocks/mrkdwn.js';
import { describeNeverStarted } from './never-started.js';
import { detectYesNo, moreHint, renderSweepAnswer, renderWorkloadVerdict, type YesNo } from './sweep-answer.js';

/**
 * Answers without Claude: a question about a namespace (or the cluster) is answered by the
 * sweep; one about a workload starts with its verdict (Yes/No for a yes/no question) and goes
 * on with keyword intents over it, read with the ClusterReader and shown with the kube
 * formatters, diagnosed by the built-in analyzers. What it cannot do it says plainly.
 */
export const intents = ['status', 'logs', 'events', 'why', 'describe'] as const;
export type Intent = (typeof intents)[number];

const keywords: Record<Intent, RegExp> = {
  status: /\b(status|state|health|healthy|up|down|running|ready|replicas?|pods?)\b/i,
  logs: /\b(logs?|output|stderr|stdout|stack ?trace|exceptions?|errors? messages?)\b/i,
  events: /\b(events?|happened|timeline|history|recent)\b/i,
  why: /\b(why|cause|root ?cause|diagnos\w*|what'?s wrong|wrong|broken|failing|crash\w*|fix|explain|problem|issue)\b/i,
  describe: /\b(describe|details?|config(uration)?|spec|image|limits?|resources?|rollout|revision)\b/i,
};

/** Intents the question names; an empty list means "give the overview". */
export function detectIntents(question: string): Intent[] {
  return intents.filter((intent) => keywords[intent].test(question));
}

export interface BuiltinAnswerInput {
  question: string;
  reader: ClusterReader;
  target: GatherTarget;
  /** The wall clock (ms): ages are measured from it. */
  now: number;
  /** Bound of the whole answer in characters. */
  maxChars?: number;
  sweep?: SweepOptions;
}

export interface BuiltinAnswer {
  /** Masked and escaped, with Deckhand's own markup. */
  text: Mrkdwn;
  /** Which intents were answered, for the footer and tests. */
  answered: Intent[];
}

/** Whether a target names something narrower than a namespace. */
export const hasWorkloadTarget = (t: GatherTarget): boolean =>
  [t.pod, t.deployment, t.statefulset, t.daemonset, t.node, t.hpa].some((v) => v !== undefined) || (t.names?.length ?? 0) > 0;

export async function answerBuiltin(input: BuiltinAnswerInput): Promise<BuiltinAnswer> {
  const { reader, target } = input;
  const asked = detectIntents(input.question);
  const yesNo = detectYesNo(input.question);
  const chosen: Intent[] = asked.length > 0 ? asked : ['status', 'why'];
  const max = input.maxChars ?? 12_000;
  const bound = (text: Mrkdwn): Mrkdwn => (text.length > max ? md`${clip(text, max - 20)}\n… _(cut)_` : text);

  if (!hasWorkloadTarget(target)) {
    return { text: bound(await namespaceAnswer(input, chosen, yesNo)), answered: chosen };
  }

  const evidence = await gatherEvidence(reader, target);
  const assessed = assessEvidence(evidence, input.now);
  const parts: Mrkdwn[] = [];
  if (assessed) parts.push(renderWorkloadVerdict(assessed.verdict, { now: input.now, yesNo }));
  // A yes/no question gets its answer and the reason, not the whole picture.
  const shown: Intent[] = yesNo && assessed ? (chosen.filter((i) => i === 'logs' || i === 'events')) : chosen;
  if (yesNo && assessed && assessed.verdict.health !== 'healthy') {
    const top = assessed.verdict.findings[0];
    if (top && top.evidence.length > 0) parts.push(safe(top.evidence.slice(0, 3).map((e) => `• ${e}`).join('\n')));
    parts.push(md`_More:_ ${moreHint(assessed.verdict.ref)}`);
  }
  for (const intent of shown) {
    if (intent === 'why' && assessed && assessed.verdict.health === 'healthy' && assessed.verdict.findings.length === 0) continue;
    const part = renderIntent(intent, evidence, input.now);
    if (part) parts.push(part);
  }
  if (evidence.notes.length > 0) parts.push(md`_Notes:_ ${safe(evidence.notes.slice(0, 5).join('; '))}`);
  const text = parts.length > 0 ? joinMd(parts, '\n\n') : md`I found nothing to show for that workload.`;
  return { text: bound(text), answered: yesNo && assessed ? ['status', ...shown] : chosen };
}

/** A namespace (or, with none, the cluster): the sweep, and the events when asked for. */
async function namespaceAnswer(input: BuiltinAnswerInput, chosen: Intent[], yesNo: YesNo | undefined): Promise<Mrkdwn> {
  const { reader, now } = input;
  const namespace = input.target.namespace;
  const parts: Mrkdwn[] = [];
  const eventsOnly = chosen.length === 1 && chosen[0] === 'events' && !yesNo;
  if (!eventsOnly) parts.push(renderSweepAnswer(await sweep(reader, { namespace }, now, input.sweep), { now, yesNo }));
  if (chosen.includes('events') && namespace !== undefined) {
    const events = await reader.listNamespaceEvents(namespace, { limit: 30 });
    parts.push(md`*Events in ${safe(namespace)}*\n${codeBlock(formatEvents(events, { now: new Date(now), limit: 15, maxChars: 2500 }))}`);
  }
  if (chosen.includes('logs')) parts.push(md`_Name a workload or pod ("logs of deployment web") for its logs._`);
  return joinMd(parts, '\n\n');
}

function renderIntent(intent: Intent, evidence: Evidence, nowMs: number): Mrkdwn | undefined {
  const workload = evidence.workload;
  const now = new Date(nowMs);
  switch (intent) {
    case 'status':
    case 'describe': {
      const lines: string[] = [];
      if (workload?.deployment) lines.push(formatDeployment(workload.deployment, workload.replicaSets, { maxChars: intent === 'describe' ? 3000 : 1200 }));
      else if (workload) lines.push(`${workload.ref.kind.toLowerCase()} ${workload.ref.namespace}/${workload.ref.name}`);
      lines.push(`${evidence.totalPods} pod(s)${evidence.pods.length < evidence.totalPods ? `, showing the ${evidence.pods.length} least healthy` : ''}:`);
      for (const pod of evidence.pods) lines.push(formatPodSummary(pod, { now, maxChars: 800 }));
      return md`*${intent === 'status' ? md`Status` : md`Details`}*\n${codeBlock(lines.join('\n'), 8000)}`;
    }
    case 'logs': {
      const neverStarted = describeNeverStarted(evidence, nowMs);
      const blocks = evidence.logs.slice(0, 3).map((l) =>
        formatLogs(l.result, { maxBytes: 2000, label: `${evidence.namespace ?? ''}/${l.pod} container ${l.container}${l.previous ? ' (previous)' : ''}` }),
      );
      const parts: Mrkdwn[] = [];
      if (neverStarted.length > 0) parts.push(safe(neverStarted.join('\n')));
      if (blocks.length > 0) parts.push(codeBlock(blocks.join('\n\n'), 8000));
      if (parts.length === 0) parts.push(md`No pod logs to show.`);
      return md`*Logs*\n${joinMd(parts, '\n')}`;
    }
    case 'events': {
      const all = [...(workload?.events ?? []), ...Object.values(evidence.podEvents).flat()];
      return md`*Events*\n${codeBlock(formatEvents(all, { now, limit: 15, maxChars: 2500 }))}`;
    }
    case 'why': {
      const { findings } = runAnalyzers(evidence, nowMs);
      if (findings.length === 0) return md`*Diagnosis*\nThe built-in analyzers recognise no known failure pattern here.`;
      const lines = findings.slice(0, 5).map((f) => `• *${f.title}* (${f.severity}): ${f.summary}${f.evidence.length > 0 ? `\n  ${f.evidence.slice(0, 3).join('\n  ')}` : ''}`);
      return md`*Diagnosis*\n${safe(lines.join('\n'))}`;
    }
  }
}
