import { ageSince, refLabel, type Health, type SweepRef, type SweepReport, type UnitVerdict } from '../analysis/port.js';
import { inlineCode, joinMd, md, safe, type Mrkdwn } from '../slack/blocks/mrkdwn.js';

/**
 * The sweep and one workload's verdict as Slack answers: the verdict first (Yes/No for a
 * yes/no question), unhealthy lines first with their root cause and the command that says
 * more, and every unit counted — what is not shown is named or numbered, never dropped.
 */

/** "is it healthy now?" (positive) or "is checkout still broken?" (negative); undefined for other questions. */
export type YesNo = 'positive' | 'negative';

const positive = /\b(healthy|ok|okay|fine|good|up|running|working|fixed|better|recovered|resolved|back|ready|stable|green|alright|available)\b/i;
const negative = /\b(broken|down|failing|crash\w*|unhealthy|wrong|dead|stuck|erroring|degraded|sick|problems?|issues?)\b/i;

/** Whether a question asks yes or no about health, and which way round. */
export function detectYesNo(question: string): YesNo | undefined {
  const q = question.trim().toLowerCase();
  if (!/^(is|are|does|do|did|has|have|was|were|still|any|anything|everything)\b/.test(q) && !/^(everything|all|it|things|we)\b.*\?$/.test(q)) return undefined;
  if (/^(is|are)\s+there\s+(any\s+)?(problems?|issues?|errors?|failures?)\b/.test(q)) return 'negative';
  if (negative.test(q)) return 'negative';
  if (positive.test(q)) return 'positive';
  return undefined;
}

const icons: Record<Health, Mrkdwn> = { failing: md`:red_circle:`, degraded: md`:large_orange_circle:`, healthy: md`:large_green_circle:` };

/** Yes or No, bold, for a question of this polarity about something healthy or not. */
export function yesNoWord(polarity: YesNo, healthy: boolean): Mrkdwn {
  return (polarity === 'positive') === healthy ? md`*Yes*` : md`*No*`;
}

/** The command that tells more about a unit, or the kubectl that does when /k8s ask cannot scope it. */
export function moreHint(ref: SweepRef): Mrkdwn {
  const scopable = ['Deployment', 'StatefulSet', 'DaemonSet', 'Pod'].includes(ref.kind);
  const label = refLabel(ref);
  return scopable ? inlineCode(`/k8s ask about ${label} -n ${ref.namespace}`) : inlineCode(`kubectl describe ${label} -n ${ref.namespace}`);
}

/** "(0/3 ready, for 20m)" from the wall clock; nothing when neither is known. */
function facts(verdict: UnitVerdict, now: number): Mrkdwn {
  const age = ageSince(verdict.since, now);
  const parts = [verdict.state, age && verdict.health !== 'healthy' ? `for ${age}` : undefined].filter((x): x is string => x !== undefined && x !== '');
  return parts.length > 0 ? md` (${safe(parts.join(', '))})` : md``;
}

function name(ref: SweepRef, withNamespace: boolean): Mrkdwn {
  return withNamespace ? md`*${safe(refLabel(ref))}* in ${inlineCode(ref.namespace)}` : md`*${safe(refLabel(ref))}*`;
}

/** One unhealthy unit: icon, name, state and age, root cause, where to read more. */
export function renderVerdictLine(verdict: UnitVerdict, now: number, withNamespace: boolean): Mrkdwn {
  const cause = verdict.cause ? md` — ${safe(clipText(verdict.cause, 320))}` : md``;
  const unexamined = verdict.examined || verdict.health === 'healthy' ? md`` : md` _(status only)_`;
  return md`${icons[verdict.health]} ${name(verdict.ref, withNamespace)}${facts(verdict, now)}${cause}${unexamined} · more: ${moreHint(verdict.ref)}`;
}

export interface RenderSweepOptions {
  now: number;
  yesNo?: YesNo | undefined;
  /** Unhealthy units shown one per line; the rest are named in one line. */
  maxLines?: number;
  /** Healthy units named in the closing line; the rest are counted. */
  maxHealthyNames?: number;
}

/** A namespace or cluster sweep as an answer. */
export function renderSweepAnswer(report: SweepReport, options: RenderSweepOptions): Mrkdwn {
  const { now } = options;
  const maxLines = options.maxLines ?? 8;
  const maxNames = options.maxHealthyNames ?? 10;
  const cluster = report.namespace === undefined;
  const where = cluster ? md`cluster ${inlineCode(report.cluster)}` : md`${inlineCode(report.namespace ?? '')}`;
  const unhealthy = report.verdicts.filter((v) => v.health !== 'healthy');
  const healthy = report.verdicts.filter((v) => v.health === 'healthy');
  const total = report.verdicts.length;
  const lines: Mrkdwn[] = [];

  if (total === 0) {
    const verdict = options.yesNo ? md`${yesNoWord(options.yesNo, true)} — ` : md``;
    lines.push(md`${verdict}I found no workloads in ${where}.`);
  } else if (unhealthy.length === 0) {
    const lead = options.yesNo ? md`${yesNoWord(options.yesNo, true)} — all` : md`All`;
    lines.push(md`${lead} ${total} ${plural(total, 'workload')} in ${where} ${total === 1 ? md`looks` : md`look`} healthy.`);
  } else {
    const lead = options.yesNo ? md`${yesNoWord(options.yesNo, false)} — ${unhealthy.length}` : md`*${unhealthy.length}`;
    const tail = options.yesNo ? md`:` : md`:*`;
    lines.push(md`${lead} of ${total} ${plural(total, 'workload')} in ${where} ${unhealthy.length === 1 ? md`is` : md`are`} unhealthy${tail}`);
    for (const verdict of unhealthy.slice(0, maxLines)) lines.push(renderVerdictLine(verdict, now, cluster));
    const rest = unhealthy.slice(maxLines);
    if (rest.length > 0) {
      lines.push(md`_and ${rest.length} more unhealthy: ${safe(rest.map((v) => (cluster ? `${refLabel(v.ref)} in ${v.ref.namespace}` : refLabel(v.ref))).join(', '))}_`);
    }
  }
  if (healthy.length > 0 && unhealthy.length > 0) {
    const names = healthy.slice(0, maxNames).map((v) => (cluster ? `${v.ref.namespace}/${refLabel(v.ref)}` : refLabel(v.ref)));
    const more = healthy.length > maxNames ? `, and ${healthy.length - maxNames} others` : '';
    lines.push(md`_and ${healthy.length} more healthy: ${safe(names.join(', ') + more)}_`);
  }
  const remarks = healthy.flatMap((v) => v.findings.slice(0, 1).map((f) => `${refLabel(v.ref)}: ${f.title}`));
  if (remarks.length > 0) lines.push(md`_Worth a look:_ ${safe(remarks.slice(0, 3).join('; '))}`);
  if (report.unexamined > 0) lines.push(md`_${report.unexamined} unhealthy ${plural(report.unexamined, 'workload')} judged from status only (the sweep examines at most a few closely); ask about one for its events and logs._`);
  if (report.notes.length > 0) lines.push(md`_Notes:_ ${safe(report.notes.slice(0, 5).join('; '))}`);
  return joinMd(lines, '\n');
}

/**
 * The first line about one workload: Yes/No for a yes/no question, else its state with an
 * icon; then the root cause. A healthy unit's warning follows as a remark.
 */
export function renderWorkloadVerdict(verdict: UnitVerdict, options: { now: number; yesNo?: YesNo | undefined }): Mrkdwn {
  const healthy = verdict.health === 'healthy';
  const lead = options.yesNo ? md`${yesNoWord(options.yesNo, healthy)} — ` : md`${icons[verdict.health]} `;
  const who = name(verdict.ref, true);
  const state = md`${who} ${healthy ? md`is healthy` : md`is ${safe(verdict.health)}`}${facts(verdict, options.now)}`;
  const cause = verdict.cause ? md`: ${safe(clipText(verdict.cause, 600))}` : md`.`;
  const remark = healthy && verdict.findings[0] ? md`\n_Note:_ ${safe(verdict.findings[0].title)}` : md``;
  return md`${lead}${state}${cause}${remark}`;
}

function plural(n: number, word: string): Mrkdwn {
  return safe(n === 1 ? word : `${word}s`);
}

function clipText(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
