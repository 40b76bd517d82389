import * as z from 'zod';
import { NamespaceName, ObjectName } from '../../core/vocabulary.js';
import { formatPodSummary } from '../../kube/format/index.js';
import { defineTool } from './tool.js';

export const getPodStatus = defineTool({
  name: 'get_pod_status',
  description: 'Status of one pod: phase, container states, restarts, last termination reason and exit code.',
  input: z.strictObject({ namespace: NamespaceName, pod: ObjectName }),
  async run({ namespace, pod }, ctx) {
    const p = await ctx.reader.getPod(namespace, pod);
    return p ? formatPodSummary(p, { maxChars: ctx.maxChars, now: ctx.now }) : `pod ${namespace}/${pod} not found`;
  },
});
