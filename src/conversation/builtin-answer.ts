import { gatherEvidence, runAnalyzers, type GatherTarget, type Evidence } from '../analysis/port.js';
import { formatDeployment, formatEvents, formatLogs, formatPodSummary } from '../kube/format/index.js';
import type { ClusterReader } from '../kube/reader.js';

/**
 * Answers without Claude: keyword intents over the incident's workload, read with the
 * ClusterReader and shown with the kube formatters, diagnosed by the built-in analyzers.
 * What it cannot do (free-form reasoning, proposing a fix from a question) it says plainly.
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
  now: number;
  /** Bound of the whole answer in characters. */
  maxChars?: number;
}

export interface BuiltinAnswer {
  text: string;
  /** Which intents were answered, for the footer and tests. */
  answered: Intent[];
}

const hasWorkloadTarget = (t: GatherTarget): boolean =>
  [t.pod, t.deployment, t.statefulset, t.daemonset, t.node, t.hpa].some((v) => v !== undefined) || (t.names?.length ?? 0) > 0;

export async function answerBuiltin(input: BuiltinAnswerInput): Promise<BuiltinAnswer> {
  const { reader, target } = input;
  const asked = detectIntents(input.question);
  const chosen: Intent[] = asked.length > 0 ? asked : ['status', 'why'];

  if (!hasWorkloadTarget(target)) {
    if (!target.namespace) {
      return {
        text: 'I need to know where to look. Name a workload or a namespace, e.g. "status of deployment web in namespace shop" or "events -n shop".',
        answered: [],
      };
    }
    return { text: await namespaceOverview(reader, target.namespace, chosen, input.now), answered: chosen.filter((i) => i !== 'why') };
  }

  const evidence = await gatherEvidence(reader, target);
  const parts: string[] = [];
  const now = new Date(input.now);
  for (const intent of chosen) {
    const part = renderIntent(intent, evidence, input.now, now);
    if (part) parts.push(part);
  }
  if (evidence.notes.length > 0) parts.push(`_Notes:_ ${evidence.notes.slice(0, 5).join('; ')}`);
  const text = parts.join('\n\n') || 'I found nothing to show for that workload.';
  const max = input.maxChars ?? 12_000;
  return { text: text.length > max ? `${text.slice(0, max - 20)}\n… _(cut)_` : text, answered: chosen };
}

function renderIntent(intent: Intent, evidence: Evidence, nowMs: number, now: Date): string | undefined {
  const workload = evidence.workload;
  switch (intent) {
    case 'status':
    case 'describe': {
      const lines: string[] = [];
      if (workload?.deployment) lines.push(formatDeployment(workload.deployment, workload.replicaSets, { maxChars: intent === 'describe' ? 3000 : 1200 }));
      else if (workload) lines.push(`${workload.ref.kind.toLowerCase()} ${workload.ref.namespace}/${workload.ref.name}`);
      lines.push(`${evidence.totalPods} pod(s)${evidence.pods.length < evidence.totalPods ? `, showing the ${evidence.pods.length} least healthy` : ''}:`);
      for (const pod of evidence.pods) lines.push(formatPodSummary(pod, { now, maxChars: 800 }));
      return `*${intent === 'status' ? 'Status' : 'Details'}*\n${code(lines.join('\n'))}`;
    }
    case 'logs': {
      if (evidence.logs.length === 0) return '*Logs*\nNo pod logs to show.';
      const blocks = evidence.logs.slice(0, 3).map((l) =>
        formatLogs(l.result, { maxBytes: 2000, label: `${evidence.namespace ?? ''}/${l.pod} container ${l.container}${l.previous ? ' (previous)' : ''}` }),
      );
      return `*Logs*\n${code(blocks.join('\n\n'))}`;
    }
    case 'events': {
      const all = [...(workload?.events ?? []), ...Object.values(evidence.podEvents).flat()];
      return `*Events*\n${code(formatEvents(all, { now, limit: 15, maxChars: 2500 }))}`;
    }
    case 'why': {
      const { findings } = runAnalyzers(evidence, nowMs);
      if (findings.length === 0) return '*Diagnosis*\nThe built-in analyzers recognise no known failure pattern here.';
      const lines = findings.slice(0, 5).map((f) => `• *${f.title}* (${f.severity}): ${f.summary}${f.evidence.length > 0 ? `\n  ${f.evidence.slice(0, 3).join('\n  ')}` : ''}`);
      return `*Diagnosis*\n${lines.join('\n')}`;
    }
  }
}

async function namespaceOverview(reader: ClusterReader, namespace: string, chosen: Intent[], nowMs: number): Promise<string> {
  const now = new Date(nowMs);
  const parts: string[] = [];
  if (chosen.some((i) => i === 'status' || i === 'describe' || i === 'why' || i === 'logs')) {
    const pods = await reader.listPods(namespace);
    const lines = pods.slice(0, 15).map((p) => formatPodSummary(p, { now, maxChars: 400 }).split('\n')[0] ?? '');
    parts.push(`*Pods in ${namespace}* (${pods.length})\n${code(lines.join('\n') || 'no pods')}`);
  }
  if (chosen.includes('events') || chosen.includes('why')) {
    const events = await reader.listNamespaceEvents(namespace, { limit: 30 });
    parts.push(`*Events in ${namespace}*\n${code(formatEvents(events, { now, limit: 15, maxChars: 2500 }))}`);
  }
  if (chosen.includes('logs') || chosen.includes('why')) {
    parts.push('_Name a workload or pod ("logs of deployment web") for its logs and a diagnosis._');
  }
  return parts.join('\n\n');
}

function code(text: string): string {
  return `\`\`\`\n${text.replace(/```/g, "'''")}\n\`\`\``;
}
