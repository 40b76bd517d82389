import { findTable, unwrapPaste } from './table.js';

/**
 * Output someone ran themselves and pasted into the thread — `kubectl get pods`,
 * `kubectl get events`, `kubectl describe pod` — read by built-in parsers and answered without
 * Claude or the cluster: which pods are failing and why. Plain text (the caller masks and
 * escapes it); undefined when the text holds none of these.
 */
export function answerPastedKubectl(text: string): string | undefined {
  return answerDescribePod(text) ?? answerGetPods(text) ?? answerGetEvents(text);
}

/** What a pod status means and what to look at next. */
const statusMeaning: [RegExp, string][] = [
  [/^CrashLoopBackOff$/, 'its container keeps crashing and the kubelet waits longer before each restart; `kubectl logs <pod> --previous` shows why it exited'],
  [/^OOMKilled$/, 'its container used more memory than its limit and was killed (exit 137); raise the memory limit or find the leak'],
  [/^(ImagePullBackOff|ErrImagePull)$/, 'the image cannot be pulled (a wrong tag or registry, or missing pull credentials); `kubectl describe pod` shows the pull error'],
  [/^(CreateContainerConfigError|CreateContainerError)$/, 'the container cannot be created: a ConfigMap, Secret or key it references is missing'],
  [/^Pending$/, 'it is not scheduled or not started yet: no node fits (resources, taints, affinity) or a volume is not bound; its events say which'],
  [/^ContainerCreating$/, 'its containers are being created: volumes may still be mounting or the image pulling'],
  [/^(Error|Failed)$/, 'its container exited with an error'],
  [/^Evicted$/, 'the kubelet evicted it (node pressure: memory, disk)'],
  [/^Terminating$/, 'it is being deleted; stuck here usually means a finalizer or an unreachable node'],
  [/^Init:/, 'an init container has not finished'],
  [/^(Unknown|NodeLost)$/, 'its node stopped reporting'],
];

function meaningOf(status: string): string | undefined {
  return statusMeaning.find(([pattern]) => pattern.test(status))?.[1];
}

function answerGetPods(text: string): string | undefined {
  const table = findTable(text, ['NAME', 'READY', 'STATUS']);
  if (!table) return undefined;
  const failing: string[] = [];
  const restarting: string[] = [];
  for (const row of table.rows) {
    const name = row.NAMESPACE ? `${row.NAMESPACE}/${row.NAME ?? '?'}` : (row.NAME ?? '?');
    const status = row.STATUS ?? '';
    const [ready, total] = (row.READY ?? '').split('/').map(Number);
    const restarts = Number.parseInt(row.RESTARTS ?? '0', 10) || 0;
    const healthy = (status === 'Running' && ready !== undefined && ready === total) || status === 'Completed' || status === 'Succeeded';
    if (!healthy) {
      const meaning = meaningOf(status) ?? (status === 'Running' ? 'it runs but is not ready: its readiness probe fails' : undefined);
      const said = meaning?.replace('<pod>', row.NAMESPACE ? `${row.NAME ?? ''} -n ${row.NAMESPACE}` : (row.NAME ?? ''));
      failing.push(`• ${name} — ${status || '?'}, ${row.READY ?? '?'} ready${restarts > 0 ? `, ${restarts} restarts` : ''}${said ? `: ${said}` : ''}`);
    } else if (restarts >= 3) {
      restarting.push(`• ${name} — running and ready, but restarted ${restarts} times${row.RESTARTS?.includes('(') ? ` (last ${row.RESTARTS.replace(/^\d+\s*/, '').replace(/[()]/g, '')})` : ''}`);
    }
  }
  const total = table.rows.length;
  const lines = [failing.length === 0 ? `All ${total} pods in your output are running and ready.` : `${failing.length} of ${total} pods in your output are not healthy:`, ...failing];
  if (restarting.length > 0) lines.push('Restarting often:', ...restarting);
  return lines.join('\n');
}

function answerGetEvents(text: string): string | undefined {
  const table = findTable(text, ['TYPE', 'REASON', 'OBJECT', 'MESSAGE']);
  if (!table) return undefined;
  const warnings = table.rows.filter((r) => r.TYPE === 'Warning');
  if (warnings.length === 0) return `No warnings among the ${table.rows.length} events in your output.`;
  const byObject = new Map<string, string[]>();
  for (const row of warnings) {
    const object = row.OBJECT ?? '?';
    const line = `${row.REASON ?? '?'}: ${row.MESSAGE ?? ''}`.trim();
    const lines = byObject.get(object) ?? [];
    if (!lines.includes(line)) lines.push(line);
    byObject.set(object, lines);
  }
  const out = [`${warnings.length} of ${table.rows.length} events in your output are warnings, about ${byObject.size} object${byObject.size === 1 ? '' : 's'}:`];
  for (const [object, lines] of byObject) {
    out.push(`• ${object}`);
    for (const line of lines.slice(0, 3)) out.push(`   ${line}`);
  }
  return out.join('\n');
}

/** `kubectl describe pod`: the pod's phase, each container's state and last state, the warnings. */
function answerDescribePod(text: string): string | undefined {
  const plain = unwrapPaste(text);
  const name = /^Name:\s+(\S+)/m.exec(plain)?.[1];
  if (!name || !/^Containers:/m.test(plain)) return undefined;
  const namespace = /^Namespace:\s+(\S+)/m.exec(plain)?.[1];
  const phase = /^Status:\s+(\S+)/m.exec(plain)?.[1] ?? '?';
  const lines = [`Pod ${namespace ? `${namespace}/` : ''}${name}: ${phase}.`];
  const containers = plain.split(/^Containers:\s*$/m)[1]?.split(/^(Conditions|Volumes|Events|QoS Class):/m)[0] ?? '';
  for (const block of containers.split(/^ {2}(?=[a-z0-9][-a-z0-9.]*:\s*$)/m).slice(1)) {
    const container = /^([^:\s]+):/.exec(block)?.[1] ?? '?';
    const state = /^\s+State:\s+(\S+)/m.exec(block)?.[1];
    const reason = /^\s+State:[^\n]*\n\s+Reason:\s+(\S+)/m.exec(block)?.[1];
    const last = /Last State:\s+(\S+)\s*\n\s+Reason:\s+(\S+)(?:[\s\S]*?Exit Code:\s+(\d+))?/m.exec(block);
    const restarts = /Restart Count:\s+(\d+)/.exec(block)?.[1];
    const ready = /^\s+Ready:\s+(\S+)/m.exec(block)?.[1];
    const parts = [`container ${container}: ${state ?? '?'}${reason ? ` (${reason})` : ''}`];
    if (ready) parts.push(`ready ${ready.toLowerCase()}`);
    if (restarts && restarts !== '0') parts.push(`${restarts} restarts`);
    if (last && last[1] === 'Terminated') parts.push(`last exit: ${last[2] ?? '?'}${last[3] ? ` (exit code ${last[3]})` : ''}`);
    const meaning = (meaningOf(reason ?? '') ?? meaningOf(last?.[2] ?? ''))?.replace('<pod>', name);
    lines.push(`• ${parts.join(', ')}${meaning ? ` — ${meaning}` : ''}`);
  }
  const events = plain.split(/^Events:/m)[1];
  if (events) {
    const warnings = [...events.matchAll(/^\s*Warning\s+(\S+)\s+\S+(?: \(x\d+ over \S+\))?\s+(\S+)\s+(.+)$/gm)].map((m) => `${m[1] ?? '?'}: ${(m[3] ?? '').trim()}`);
    const unique = [...new Set(warnings)];
    if (unique.length > 0) lines.push('Warning events:', ...unique.slice(0, 5).map((w) => `   ${w}`));
  }
  return lines.join('\n');
}
