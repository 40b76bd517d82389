import type { V1Node } from '@kubernetes/client-node';
import { boundHead, clip, defaultMaxChars, type BoundOptions } from './bound.js';
import { formatAge, toDate } from './time.js';

export interface FormatNodeOptions extends BoundOptions {
  now?: Date;
}

/** Ready=Unknown or False is the headline; pressure conditions matter only when True. */
function isAbnormal(type: string, status: string): boolean {
  return type === 'Ready' ? status !== 'True' : status === 'True';
}

/**
 * A node's health: Ready and pressure conditions (the normal ones on one line, the others
 * whole, abnormal ones flagged), taints,
 * whether it is cordoned, allocatable capacity.
 */
export function formatNode(node: V1Node, options: FormatNodeOptions = {}): string {
  const now = options.now ?? new Date();
  const conditions = node.status?.conditions ?? [];
  const ready = conditions.find((c) => c.type === 'Ready');
  const readyText = ready?.status === 'True' ? 'Ready' : ready ? `NotReady (Ready=${ready.status}${ready.reason ? ` ${ready.reason}` : ''})` : 'Ready unknown';
  const lines = [
    `node ${node.metadata?.name ?? '?'}: ${readyText}${node.spec?.unschedulable ? ', SchedulingDisabled (cordoned)' : ', schedulable'}, age ${formatAge(node.metadata?.creationTimestamp, now)}`,
  ];
  const info = node.status?.nodeInfo;
  if (info) lines.push(`  kubelet ${info.kubeletVersion}, ${info.osImage}, ${info.containerRuntimeVersion}`);
  // Conditions as a healthy node has them share one line (their messages only restate the
  // status); any other is shown whole, with its reason, message and heartbeat.
  const normal = conditions.filter((c) => (c.type === 'Ready' ? c.status === 'True' : c.status === 'False'));
  if (normal.length > 0) {
    const beats = normal.map((c) => toDate(c.lastHeartbeatTime)?.getTime()).filter((t): t is number => t !== undefined);
    const heartbeat = beats.length > 0 ? `; last heartbeat ${formatAge(new Date(Math.max(...beats)), now)} ago` : '';
    lines.push(`  conditions normal: ${normal.map((c) => `${c.type}=${c.status}`).join(', ')}${heartbeat}`);
  }
  for (const c of conditions.filter((x) => !normal.includes(x))) {
    const flag = isAbnormal(c.type, c.status) ? ' <-- abnormal' : '';
    const heartbeat = toDate(c.lastHeartbeatTime) ? `, last heartbeat ${formatAge(c.lastHeartbeatTime, now)} ago` : '';
    lines.push(`  condition ${c.type}=${c.status}${c.reason ? ` ${c.reason}` : ''}${c.message ? `: ${clip(c.message, 200)}` : ''}${heartbeat}${flag}`);
  }
  const taints = node.spec?.taints ?? [];
  lines.push(`  taints: ${taints.length ? taints.map((t) => `${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}`).join(', ') : 'none'}`);
  const alloc = node.status?.allocatable ?? {};
  const cap = node.status?.capacity ?? {};
  lines.push(`  allocatable: cpu ${alloc.cpu ?? '?'}, memory ${alloc.memory ?? '?'}, pods ${alloc.pods ?? '?'} (capacity cpu ${cap.cpu ?? '?'}, memory ${cap.memory ?? '?'})`);
  return boundHead(lines.join('\n'), options.maxChars ?? defaultMaxChars);
}
