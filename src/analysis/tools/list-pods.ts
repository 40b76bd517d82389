import type { V1Pod } from '@kubernetes/client-node';
import * as z from 'zod';
import { NamespaceName } from '../../core/vocabulary.js';
import { podDisplayStatus } from '../../kube/format/index.js';
import { defineTool, LabelSelector } from './tool.js';

/**
 * Pods listed at most. A namespace of hundreds of healthy pods would otherwise fill the tool's
 * byte budget, cost thousands of tokens on every later turn, and say little: the pods that are
 * not Running and ready are always listed first, and what is left out is counted.
 */
export const maxListedPods = 40;

export const listPods = defineTool({
  name: 'list_pods',
  description: 'Pods of a namespace (optionally by label selector), one per line: name, status, ready, restarts, node.',
  input: z.strictObject({ namespace: NamespaceName, labelSelector: LabelSelector.optional() }),
  async run({ namespace, labelSelector }, ctx) {
    const pods = await ctx.reader.listPods(namespace, labelSelector === undefined ? {} : { labelSelector });
    if (pods.length === 0) return `no pods in ${namespace}${labelSelector ? ` matching ${labelSelector}` : ''}`;
    // Unhealthy pods first (stable, so siblings stay together), then the healthy ones up to the cap.
    const shown = new Set([...pods.filter((p) => !runningAndReady(p)), ...pods.filter(runningAndReady)].slice(0, maxListedPods));
    const lines = ['NAME  STATUS  READY  RESTARTS  NODE', ...pods.filter((p) => shown.has(p)).map(podLine)];
    const omitted = pods.filter((p) => !shown.has(p));
    if (omitted.length > 0) {
      const healthy = omitted.filter(runningAndReady).length;
      const what = healthy === omitted.length ? 'all Running and ready' : `${healthy} Running and ready`;
      lines.push(`… ${omitted.length} more pod(s) omitted (${what}); narrow with labelSelector`);
    }
    return lines.join('\n');
  },
});

function podLine(p: V1Pod): string {
  const statuses = p.status?.containerStatuses ?? [];
  const ready = `${statuses.filter((s) => s.ready).length}/${p.spec?.containers.length ?? statuses.length}`;
  const restarts = statuses.reduce((n, s) => n + s.restartCount, 0);
  return `${p.metadata?.name ?? '?'}  ${podDisplayStatus(p)}  ${ready}  ${restarts}  ${p.spec?.nodeName ?? '-'}`;
}

function runningAndReady(p: V1Pod): boolean {
  const statuses = p.status?.containerStatuses ?? [];
  return podDisplayStatus(p) === 'Running' && statuses.length > 0 && statuses.every((s) => s.ready);
}
