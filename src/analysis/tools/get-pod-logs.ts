import * as z from 'zod';
import { ContainerName, NamespaceName, ObjectName } from '../../core/vocabulary.js';
import { formatLogs } from '../../kube/format/index.js';
import { defineTool } from './tool.js';

/**
 * Bytes of log text given to the model at most (about 2.5k tokens), the newest lines kept and
 * the cut marked: a chatty container's 100 lines would otherwise fill the whole tool budget,
 * and every later turn reads them again. The crash is at the end; the model can ask again
 * with a smaller tailLines or another container.
 */
export const maxLogBytes = 8192;

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
    return formatLogs(result, { maxBytes: Math.min(ctx.maxChars, maxLogBytes), label: `${namespace}/${pod}${container ? ` container ${container}` : ''}${previous ? ' (previous)' : ''}` });
  },
});
