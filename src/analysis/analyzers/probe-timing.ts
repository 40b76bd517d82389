import type { Analyzer, Finding } from '../types.js';
import { containerProblems, describeEvent, eventsWhere } from './helpers.js';
import { makeFinding, subjectId } from './objects.js';
import { describeProbe, probeFailures, probePort } from './probe-port.js';

const name = 'probe-timing';

/**
 * A liveness probe that kills a slow starter: the container is restarted "failed liveness
 * probe" each time after running about initialDelaySeconds + failureThreshold × periodSeconds,
 * on the port it declares, without a startupProbe. The program never got the time to listen.
 */
export const analyzeProbeTiming: Analyzer = (evidence) => {
  const findings: Finding[] = [];
  const killed = eventsWhere(evidence, (e) => e.reason === 'Killing' && /failed liveness probe/i.test(e.message ?? ''), 1);
  for (const f of probeFailures(evidence).filter((x) => x.probe === 'liveness')) {
    const c = f.container;
    const p = f.spec;
    if (!c || !p || c.startupProbe) continue;
    const port = probePort(c, p);
    if (port !== undefined && (c.ports ?? []).length > 0 && !(c.ports ?? []).some((x) => x.containerPort === port)) continue;
    const budget = (p.initialDelaySeconds ?? 0) + (p.failureThreshold ?? 3) * (p.periodSeconds ?? 10);
    const runs = containerProblems(evidence)
      .filter((x) => x.status.name === c.name && x.status.restartCount > 0)
      .map((x) => {
        const t = x.status.lastState?.terminated;
        return t?.startedAt && t.finishedAt ? (new Date(t.finishedAt).getTime() - new Date(t.startedAt).getTime()) / 1000 : undefined;
      })
      .filter((s): s is number => s !== undefined);
    const killedEarly = runs.length > 0 && runs.every((s) => s <= budget + (p.periodSeconds ?? 10) + 5);
    if (!killedEarly || killed.length === 0) continue;
    const object = subjectId(evidence) ?? '?';
    const suggested = Math.max(30, Math.ceil((budget * 4) / (p.periodSeconds ?? 10)));
    findings.push(
      makeFinding({
        analyzer: name,
        kind: 'probe-kills-slow-start',
        object,
        title: `${object}: the liveness probe kills container ${c.name} before it has started`,
        summary: `Container ${c.name} is killed after ${Math.round(Math.max(...runs))}s each time, about its liveness budget (initialDelaySeconds ${p.initialDelaySeconds ?? 0} + ${p.failureThreshold ?? 3} × ${p.periodSeconds ?? 10}s = ${budget}s), and has no startupProbe: it never gets time to start listening.`,
        evidence: [describeEvent(f.event), ...killed.map(describeEvent), describeProbe(f), `run time before each kill: ${runs.map((s) => `${Math.round(s)}s`).join(', ')}`],
        fix: `Add a startupProbe to container ${c.name} (same check, periodSeconds ${p.periodSeconds ?? 10}, failureThreshold ${suggested}), or raise livenessProbe.initialDelaySeconds above the program's start time.`,
      }),
    );
    break;
  }
  return { findings, proposals: [] };
};
