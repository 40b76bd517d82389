import type { Analyzer, Finding } from '../types.js';
import { containerProblems, eventsWhere, describeEvent, logExcerpt, logsOf, unique, workloadLabel, type ContainerProblem } from './helpers.js';
import { decideUndo } from './undo.js';
import { subjectId } from './objects.js';

const name = 'crash-loop';

/** Restarts after which a container that just crashed again is crash-looping between its back-offs. */
const minRestarts = 3;
/** The longest back-off (5 min) and a short run: a crash older than this is over. */
const recentCrashMs = 10 * 60_000;

/**
 * A container caught in the run between two back-offs: restarted at least `minRestarts` times,
 * its last run ended with a non-zero exit recently. (An alert fired on CrashLoopBackOff may be
 * read just after the kubelet restarted it.)
 */
function restartedAfterCrash(p: ContainerProblem, now: number): boolean {
  const last = p.status.lastState?.terminated;
  if (!last || last.exitCode === 0 || p.status.restartCount < minRestarts) return false;
  const finished = last.finishedAt ? new Date(last.finishedAt).getTime() : undefined;
  return finished !== undefined && now - finished < recentCrashMs;
}

/**
 * Containers in CrashLoopBackOff (OOM kills are left to the oom-killed analyzer). Proposes a
 * rollback only when the crashes came with the latest revision; never a blind restart, since
 * a restart brings back the same template and the same crash.
 */
export const analyzeCrashLoop: Analyzer = (evidence, now) => {
  const crashing = containerProblems(evidence).filter((p) => p.lastReason !== 'OOMKilled' && (p.waitingReason === 'CrashLoopBackOff' || restartedAfterCrash(p, now)));
  const [first] = crashing;
  if (!first) return { findings: [], proposals: [] };
  const container = first.status.name;
  const lines: string[] = [];
  const reasons = unique(crashing.map((p) => `${p.lastReason ?? 'unknown reason'} (exit code ${p.lastExitCode ?? '?'})`));
  const between = crashing.filter((p) => p.waitingReason !== 'CrashLoopBackOff').length;
  lines.push(`${crashing.length} container(s) in CrashLoopBackOff${between > 0 ? ` (${between} just restarted after crashing)` : ''}; last termination: ${reasons.join(', ')}`);
  lines.push(`restarts: ${crashing.map((p) => `${p.podName} ×${p.status.restartCount}`).join(', ')}`);
  const excerpt = logExcerpt(logsOf(evidence, first.podName, container));
  if (excerpt) lines.push(`last log lines of ${first.podName}/${container}:\n${excerpt}`);
  for (const e of eventsWhere(evidence, (e) => e.reason === 'BackOff' && /restarting/i.test(e.message ?? ''), 1)) lines.push(describeEvent(e));

  const pods = unique(crashing.map((p) => p.pod));
  const undo = decideUndo(evidence, now, { analyzer: name, symptom: 'Containers crash on start', failingPods: pods, confidence: 0.85 });
  lines.push(...undo.evidence);
  const fatal = excerpt?.split('\n').reverse().find((l) => /fatal|panic|error|exception/i.test(l));
  // The kubelet's own kills (a failing liveness or startup probe) are not the program exiting.
  const [probeKill] = eventsWhere(evidence, (e) => e.reason === 'Killing' && new RegExp(`^Container ${container} failed (liveness|startup) probe`).test(e.message ?? ''), 1);
  if (probeKill) lines.push(describeEvent(probeKill));
  const probe = /failed (liveness|startup) probe/.exec(probeKill?.message ?? '')?.[1];
  const finding: Finding = {
    analyzer: name,
    kind: 'crash-loop',
    object: subjectId(evidence) ?? '?',
    ...(undo.proposal ? {} : { fix: fatal ? `Fix what the program reports ("${fatal.trim()}") in its configuration or image, then roll out.` : `Read the container's logs (kubectl logs --previous) and fix the cause; a restart alone brings back the same crash.` }),
    title: `${workloadLabel(evidence)} is crash-looping`,
    severity: 'critical',
    summary:
      (probe
        ? `Container ${container} is killed by the kubelet when its ${probe} probe fails (exit code ${first.lastExitCode ?? '?'}, ${first.lastReason ?? 'unknown'}) and is restarted with back-off.`
        : `Container ${container} exits with code ${first.lastExitCode ?? '?'} (${first.lastReason ?? 'unknown'}) and is restarted with back-off.`) +
      (fatal ? ` Last error: ${fatal.trim().replace(/[.!]?$/, '.')}` : '') +
      (undo.proposal ? ' The crashes started with the latest rollout.' : ' No recent template change explains it; restarting would not help.'),
    evidence: lines,
  };
  return { findings: [finding], proposals: undo.proposal ? [undo.proposal] : [] };
};
