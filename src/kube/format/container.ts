import type { V1Container, V1ContainerState, V1ContainerStatus, V1EnvVar, V1Probe, V1ResourceRequirements } from '@kubernetes/client-node';
import { clip } from './bound.js';
import { formatTimestamp } from './time.js';

/** `waiting CrashLoopBackOff (back-off 5m0s …)`, `running since …`, `terminated Completed exit code 0`. */
export function formatContainerState(state: V1ContainerState | undefined): string {
  if (state?.waiting) {
    const message = state.waiting.message ? ` (${clip(state.waiting.message, 200)})` : '';
    return `waiting ${state.waiting.reason ?? ''}${message}`.trim();
  }
  if (state?.running) return `running since ${formatTimestamp(state.running.startedAt)}`;
  if (state?.terminated) return formatTerminated(state.terminated);
  return 'no state yet';
}

export function formatTerminated(t: NonNullable<V1ContainerState['terminated']>): string {
  const reason = t.reason ?? 'terminated';
  const signal = t.signal ? `, signal ${t.signal}` : '';
  const message = t.message ? ` (${clip(t.message, 200)})` : '';
  return `terminated ${reason}, exit code ${t.exitCode}${signal}, finished ${formatTimestamp(t.finishedAt)}${message}`;
}

/** The last termination, which says why a restarting container died (exit 1, OOMKilled 137…). */
export function formatLastTermination(status: V1ContainerStatus): string | undefined {
  const last = status.lastState?.terminated;
  return last ? `last ${formatTerminated(last)}` : undefined;
}

export function formatResourceList(list: Record<string, string> | undefined): string {
  const entries = Object.entries(list ?? {});
  return entries.length === 0 ? 'none' : entries.map(([k, v]) => `${k}=${v}`).join(', ');
}

export function formatResources(resources: V1ResourceRequirements | undefined): string {
  return `limits ${formatResourceList(resources?.limits)}; requests ${formatResourceList(resources?.requests)}`;
}

export function formatProbe(probe: V1Probe | undefined): string | undefined {
  if (!probe) return undefined;
  let how = 'unknown';
  if (probe.httpGet) how = `http-get ${probe.httpGet.scheme === 'HTTPS' ? 'https' : 'http'}://${probe.httpGet.host ?? ''}:${String(probe.httpGet.port)}${probe.httpGet.path ?? '/'}`;
  else if (probe.tcpSocket) how = `tcp-socket :${String(probe.tcpSocket.port)}`;
  else if (probe.exec) how = `exec [${clip((probe.exec.command ?? []).join(' '), 120)}]`;
  else if (probe.grpc) how = `grpc :${probe.grpc.port}`;
  const timing = [
    `delay=${probe.initialDelaySeconds ?? 0}s`,
    `timeout=${probe.timeoutSeconds ?? 1}s`,
    `period=${probe.periodSeconds ?? 10}s`,
    `#success=${probe.successThreshold ?? 1}`,
    `#failure=${probe.failureThreshold ?? 3}`,
  ].join(' ');
  return `${how} ${timing}`;
}

/**
 * An env var as NAME=value, or NAME=<from secret s key k> for references: the reference is
 * shown, the referenced value is never fetched (Deckhand never reads Secrets).
 */
export function formatEnvVar(env: V1EnvVar): string {
  const from = env.valueFrom;
  if (!from) return `${env.name}=${clip(env.value ?? '', 200)}`;
  if (from.secretKeyRef) return `${env.name}=<from secret ${from.secretKeyRef.name ?? '?'} key ${from.secretKeyRef.key}>`;
  if (from.configMapKeyRef) return `${env.name}=<from configmap ${from.configMapKeyRef.name ?? '?'} key ${from.configMapKeyRef.key}>`;
  if (from.fieldRef) return `${env.name}=<field ${from.fieldRef.fieldPath}>`;
  if (from.resourceFieldRef) return `${env.name}=<resource ${from.resourceFieldRef.resource}>`;
  return `${env.name}=<from reference>`;
}

/** The block describe shows for one container (spec plus its status when known). */
export function describeContainer(container: V1Container, status: V1ContainerStatus | undefined, indent: string): string[] {
  const lines = [`${indent}${container.name}:`, `${indent}  Image: ${container.image ?? '?'}`];
  const inner = `${indent}  `;
  if (container.command?.length) lines.push(`${inner}Command: ${clip(container.command.join(' '), 200)}`);
  if (container.args?.length) lines.push(`${inner}Args: ${clip(container.args.join(' '), 200)}`);
  if (container.ports?.length) lines.push(`${inner}Ports: ${container.ports.map((p) => `${p.containerPort}/${p.protocol ?? 'TCP'}`).join(', ')}`);
  if (status) {
    lines.push(`${inner}State: ${formatContainerState(status.state)}`);
    const last = status.lastState?.terminated;
    if (last) lines.push(`${inner}Last State: ${formatTerminated(last)}`);
    lines.push(`${inner}Ready: ${String(status.ready)}, Restart Count: ${status.restartCount}`);
  }
  lines.push(`${inner}Limits: ${formatResourceList(container.resources?.limits)}`);
  lines.push(`${inner}Requests: ${formatResourceList(container.resources?.requests)}`);
  const liveness = formatProbe(container.livenessProbe);
  if (liveness) lines.push(`${inner}Liveness: ${liveness}`);
  const readiness = formatProbe(container.readinessProbe);
  if (readiness) lines.push(`${inner}Readiness: ${readiness}`);
  const startup = formatProbe(container.startupProbe);
  if (startup) lines.push(`${inner}Startup: ${startup}`);
  const env = container.env ?? [];
  if (env.length > 0) {
    lines.push(`${inner}Env:`);
    for (const item of env.slice(0, 40)) lines.push(`${inner}  ${formatEnvVar(item)}`);
    if (env.length > 40) lines.push(`${inner}  … ${env.length - 40} more`);
  }
  for (const source of container.envFrom ?? []) {
    if (source.configMapRef) lines.push(`${inner}Env from configmap ${source.configMapRef.name ?? '?'}`);
    if (source.secretRef) lines.push(`${inner}Env from secret ${source.secretRef.name ?? '?'} (values not read)`);
  }
  return lines;
}
