import * as z from 'zod';
import { NamespaceName } from '../../core/vocabulary.js';
import { podDisplayStatus } from '../../kube/format/index.js';
import { defineTool, LabelSelector } from './tool.js';

export const listPods = defineTool({
  name: 'list_pods',
  description: 'Pods of a namespace (optionally by label selector), one per line: name, status, ready, restarts, node.',
  input: z.strictObject({ namespace: NamespaceName, labelSelector: LabelSelector.optional() }),
  async run({ namespace, labelSelector }, ctx) {
    const pods = await ctx.reader.listPods(namespace, labelSelector === undefined ? {} : { labelSelector });
    if (pods.length === 0) return `no pods in ${namespace}${labelSelector ? ` matching ${labelSelector}` : ''}`;
    return pods
      .map((p) => {
        const statuses = p.status?.containerStatuses ?? [];
        const ready = `${statuses.filter((s) => s.ready).length}/${p.spec?.containers.length ?? statuses.length}`;
        const restarts = statuses.reduce((n, s) => n + s.restartCount, 0);
        return `${p.metadata?.name ?? '?'}  ${podDisplayStatus(p)}  ready ${ready}  restarts ${restarts}  node ${p.spec?.nodeName ?? '-'}`;
      })
      .join('\n');
  },
});
