import type { V1Container, V1Probe } from '@kubernetes/client-node';
import type { Analyzer, Evidence, Finding } from '../types.js';
import { containerProblems, describeEvent, eventsWhere } from './helpers.js';
import { makeFinding, namespaceOf, podSpec, subjectId } from './objects.js';
import { describeProbe, probeFailures, probePort } from './probe-port.js';

const name = 'probe-timing';

/** The kubelet gives a probe-killed container at least this long to stop (kuberuntime's minimumGracePeriodInSeconds). */
const minimumGraceSeconds = 2;
/** Clock skew between a container's recorded start and the prober's ticks. */
const slackSeconds = 2;

/** How long each of a container's killed runs lasted (lastState.terminated), in seconds. */
function runLengths(evidence: Evidence, container: string): number[] {
  return containerProblems(evidence)
    .filter((x) => x.status.name === container && x.status.restartCount > 0)
    .map((x) => {
      const t = x.status.lastState?.terminated;
      return t?.startedAt && t.finishedAt ? (new Date(t.finishedAt).getTime() - new Date(t.startedAt).getTime()) / 1000 : undefined;
    })
    .filter((s): s is number => s !== undefined && Number.isFinite(s));
}

/** The probe's handler alone (what a startupProbe doing the same check needs). */
function handlerOf(p: V1Probe): Record<string, unknown> {
  if (p.httpGet) return { httpGet: { path: p.httpGet.path ?? '/', port: p.httpGet.port, ...(p.httpGet.scheme ? { scheme: p.httpGet.scheme } : {}) } };
  if (p.tcpSocket) return { tcpSocket: { port: p.tcpSocket.port } };
  if (p.grpc) return { grpc: { port: p.grpc.port } };
  return { exec: { command: p.exec?.command ?? [] } };
}

/** A strategic merge patch of one container of the pod template, as `kubectl patch` takes it. */
function patchCommand(evidence: Evidence, c: V1Container, fields: Record<string, unknown>): string {
  const body = JSON.stringify({ spec: { template: { spec: { containers: [{ name: c.name, ...fields }] } } } });
  const ref = evidence.workload?.ref;
  return ref ? `kubectl -n ${ref.namespace} patch ${ref.kind.toLowerCase()} ${ref.name} -p '${body}'` : `kubectl -n ${namespaceOf(evidence)} patch <the pod's Deployment> -p '${body}'`;
}

/**
 * A liveness probe that kills a slow starter, read as a real cluster shows it: the kubelet's
 * `Killing` "Container x failed liveness probe, will be restarted" events, `Unhealthy`
 * liveness failures on the port the container declares, no startupProbe, and every killed run
 * lasting about the probe's budget — initialDelaySeconds + periodSeconds × failureThreshold,
 * plus the termination grace period a program gets once killed. The program never got the
 * time to listen; the crash loop and the failing probe are its symptoms.
 */
export const analyzeProbeTiming: Analyzer = (evidence) => {
  const findings: Finding[] = [];
  const spec = podSpec(evidence);
  const failures = probeFailures(evidence).filter((f) => f.probe === 'liveness');
  for (const c of spec?.containers ?? []) {
    const p = c.livenessProbe;
    if (!p || c.startupProbe) continue;
    const failure = failures.find((f) => f.container?.name === c.name);
    const killed = eventsWhere(evidence, (e) => e.reason === 'Killing' && (e.message ?? '').startsWith(`Container ${c.name} failed liveness probe`), 1);
    if (!failure || killed.length === 0) continue;
    // A probe on a port the container does not declare is probe-port's finding.
    const port = probePort(c, p);
    if (port !== undefined && (c.ports ?? []).length > 0 && !(c.ports ?? []).some((x) => x.containerPort === port)) continue;
    const delay = p.initialDelaySeconds ?? 0;
    const period = p.periodSeconds ?? 10;
    const threshold = p.failureThreshold ?? 3;
    const budget = delay + period * threshold;
    const grace = Math.max(minimumGraceSeconds, p.terminationGracePeriodSeconds ?? spec?.terminationGracePeriodSeconds ?? 30);
    const runs = runLengths(evidence, c.name);
    // Killed at the threshold-th failure (the first probe comes up to a period after the delay), dead within the grace period.
    const earliest = delay + period * (threshold - 1) - slackSeconds;
    const latest = budget + grace + slackSeconds;
    if (runs.length === 0 || !runs.every((s) => s >= earliest && s <= latest)) continue;
    const object = subjectId(evidence) ?? '?';
    const startupThreshold = Math.max(30, Math.ceil((budget * 4) / period));
    const window = startupThreshold * period;
    const restarts = containerProblems(evidence).filter((x) => x.status.name === c.name && x.status.restartCount > 0);
    const backOff = restarts.find((x) => x.waitingReason === 'CrashLoopBackOff');
    const last = restarts[0]?.status.lastState?.terminated;
    findings.push(
      makeFinding({
        analyzer: name,
        kind: 'probe-kills-slow-start',
        object,
        title: `${object}: the liveness probe kills container ${c.name} before it has started`,
        summary: `Container ${c.name} is killed by its liveness probe after ${Math.round(Math.max(...runs))}s each time, its probe budget (initialDelaySeconds ${delay} + ${threshold} × ${period}s = ${budget}s, then up to ${grace}s to stop), and it has no startupProbe: it never gets the time to start listening${port !== undefined ? ` on ${port}` : ''}. The restarts and the failing probe follow from that.`,
        evidence: [
          describeEvent(failure.event),
          ...killed.map(describeEvent),
          describeProbe(failure),
          `container ${c.name} startupProbe: none`,
          `each run before its kill: ${runs.map((s) => `${Math.round(s)}s`).join(', ')} (restarts: ${restarts.map((x) => `${x.podName} ×${x.status.restartCount}`).join(', ')})`,
          last ? `lastState.terminated: ${last.reason ?? '?'} (exit code ${last.exitCode})` : undefined,
          backOff?.waitingMessage ? `CrashLoopBackOff: ${backOff.waitingMessage}` : undefined,
        ],
        fix:
          `Add a startupProbe with the same check, which holds the liveness probe off until the program listens (up to ${window}s here): ` +
          patchCommand(evidence, c, { startupProbe: { ...handlerOf(p), periodSeconds: period, failureThreshold: startupThreshold } }) +
          ` — or raise livenessProbe.initialDelaySeconds above the program's start time: ${patchCommand(evidence, c, { livenessProbe: { initialDelaySeconds: window } })}`,
      }),
    );
  }
  return { findings, proposals: [] };
};
