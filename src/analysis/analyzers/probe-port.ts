import type { CoreV1Event, V1Container, V1Probe } from '@kubernetes/client-node';
import type { Analyzer, Evidence, Finding } from '../types.js';
import { describeEvent, eventsWhere } from './helpers.js';
import { makeFinding, podSpec, subjectId } from './objects.js';

const name = 'probe-port';

export interface ProbeFailure {
  event: CoreV1Event;
  probe: 'liveness' | 'readiness' | 'startup';
  message: string;
  container?: V1Container;
  spec?: V1Probe;
}

/** The kubelet's `Unhealthy` events (`Liveness probe failed: …`), with the probe they are about. */
export function probeFailures(evidence: Evidence): ProbeFailure[] {
  const containers = podSpec(evidence)?.containers ?? [];
  return eventsWhere(evidence, (e) => e.reason === 'Unhealthy' && /probe failed/i.test(e.message ?? ''), 6).map((event) => {
    const message = event.message ?? '';
    const probe = (/^(Liveness|Readiness|Startup) probe/i.exec(message)?.[1]?.toLowerCase() ?? 'readiness') as ProbeFailure['probe'];
    const path = /spec\.containers\{([^}]+)\}/.exec(event.involvedObject.fieldPath ?? '')?.[1];
    const container = containers.find((c) => c.name === path) ?? containers.find((c) => probeOf(c, probe) !== undefined);
    const spec = container ? probeOf(container, probe) : undefined;
    return { event, probe, message, ...(container ? { container } : {}), ...(spec ? { spec } : {}) };
  });
}

export function probeOf(c: V1Container, probe: ProbeFailure['probe']): V1Probe | undefined {
  return probe === 'liveness' ? c.livenessProbe : probe === 'readiness' ? c.readinessProbe : c.startupProbe;
}

/** The probe's port as a number (a named port resolved against the container's ports). */
export function probePort(c: V1Container, p: V1Probe): number | undefined {
  const port = p.httpGet?.port ?? p.tcpSocket?.port ?? p.grpc?.port;
  if (typeof port === 'number') return port;
  if (port === undefined) return undefined;
  const n = Number(port);
  return Number.isInteger(n) ? n : c.ports?.find((x) => x.name === port)?.containerPort;
}

export function describeProbe(f: ProbeFailure): string {
  const p = f.spec;
  if (!p || !f.container) return `${f.probe}Probe: not found in the template`;
  const how = p.httpGet ? `httpGet ${p.httpGet.scheme ?? 'HTTP'} :${String(p.httpGet.port)}${p.httpGet.path ?? '/'}` : p.tcpSocket ? `tcpSocket :${String(p.tcpSocket.port)}` : p.exec ? `exec ${(p.exec.command ?? []).join(' ')}` : 'grpc';
  return `container ${f.container.name} ${f.probe}Probe: ${how}, initialDelaySeconds ${p.initialDelaySeconds ?? 0}, periodSeconds ${p.periodSeconds ?? 10}, timeoutSeconds ${p.timeoutSeconds ?? 1}, failureThreshold ${p.failureThreshold ?? 3}`;
}

const declared = (c: V1Container) => (c.ports ?? []).map((p) => `${p.containerPort}/${p.protocol ?? 'TCP'}`).join(', ') || 'none';

/**
 * A probe aimed where nothing answers: `connection refused` on a port the container does not
 * declare (the fix: the declared port), or the wrong scheme (`server gave HTTP response to
 * HTTPS client`, a TLS answer to plain HTTP). No catalog action edits probes: fix as text.
 */
export const analyzeProbePort: Analyzer = (evidence) => {
  const findings: Finding[] = [];
  const seen = new Set<string>();
  for (const f of probeFailures(evidence)) {
    const c = f.container;
    const p = f.spec;
    if (!c || !p || seen.has(`${c.name}/${f.probe}`)) continue;
    const port = probePort(c, p);
    const refused = /connect: connection refused/.test(f.message);
    const ports = (c.ports ?? []).map((x) => x.containerPort);
    const object = subjectId(evidence) ?? '?';
    const field = `spec.template.spec.containers[${c.name}].${f.probe}Probe`;
    if (refused && port !== undefined && ports.length > 0 && !ports.includes(port)) {
      seen.add(`${c.name}/${f.probe}`);
      findings.push(
        makeFinding({
          analyzer: name,
          kind: 'probe-wrong-port',
          object,
          title: `${object}: the ${f.probe} probe checks port ${port}, where nothing listens`,
          summary: `The ${f.probe} probe connects to port ${port}, but container ${c.name} declares ${declared(c)}: connection refused.${f.probe === 'liveness' ? ' The kubelet keeps restarting the container.' : ' The pods never become Ready.'}`,
          evidence: [describeEvent(f.event), describeProbe(f), `container ${c.name} ports: ${declared(c)}`],
          fix: `Set ${field}.${p.httpGet ? 'httpGet' : p.tcpSocket ? 'tcpSocket' : 'grpc'}.port to ${ports[0] ?? '?'} (the port the container declares).`,
        }),
      );
      continue;
    }
    const toHttps = /server gave HTTP response to HTTPS client/.test(f.message);
    const toTls = /malformed HTTP response|Client sent an HTTP request to an HTTPS server|tls: |first record does not look like a TLS handshake/.test(f.message);
    if (p.httpGet && (toHttps || toTls)) {
      seen.add(`${c.name}/${f.probe}`);
      const want = toHttps ? 'HTTP' : 'HTTPS';
      findings.push(
        makeFinding({
          analyzer: name,
          kind: 'probe-wrong-scheme',
          object,
          title: `${object}: the ${f.probe} probe uses ${p.httpGet.scheme ?? 'HTTP'}, the server speaks ${want}`,
          summary: `The ${f.probe} probe on port ${String(p.httpGet.port)} uses scheme ${p.httpGet.scheme ?? 'HTTP'}, but the program answers ${want}.`,
          evidence: [describeEvent(f.event), describeProbe(f)],
          fix: `Set ${field}.httpGet.scheme to ${want}.`,
        }),
      );
    }
  }
  return { findings, proposals: [] };
};
