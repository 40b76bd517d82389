import * as z from 'zod';
import { ContainerName, NamespaceName, ObjectName } from '../../core/vocabulary.js';
import { formatLogs } from '../../kube/format/index.js';
import { defineTool } from './tool.js';

export const getPodLogs = defineTool({
  name: 'get_pod_logs',
  description: 'Last log lines of a container. Use previous=true for the instance that crashed (CrashLoopBackOff).',
  input: z.strictObject({
    namespace: NamespaceName,
    pod: ObjectName,
    container: ContainerName.optional(),
    previous: z.boolean().optional(),
    tailLines: z.int().min(1).max(500).optional(),
  }),
  async run({ namespace, pod, container, previous, tailLines }, ctx) {
    const result = await ctx.reader.readLogs(namespace, pod, {
      ...(container === undefined ? {} : { container }),
      previous: previous ?? false,
      tailLines: tailLines ?? 100,
      limitBytes: ctx.maxChars * 4,
    });
    return formatLogs(result, { maxBytes: ctx.maxChars, label: `${namespace}/${pod}${container ? ` container ${container}` : ''}${previous ? ' (previous)' : ''}` });
  },
});
