import * as z from 'zod';
import { NamespaceName, ObjectName } from '../../core/vocabulary.js';
import { formatEvents } from '../../kube/format/index.js';
import { defineTool } from './tool.js';

export const getEvents = defineTool({
  name: 'get_events',
  description: 'Recent events of a namespace, or of one object when kind and name are given (newest first).',
  input: z.strictObject({
    namespace: NamespaceName,
    kind: z.enum(['Pod', 'Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Node', 'HorizontalPodAutoscaler']).optional(),
    name: ObjectName.optional(),
    limit: z.int().min(1).max(50).optional(),
  }),
  async run({ namespace, kind, name, limit }, ctx) {
    const events =
      kind !== undefined && name !== undefined
        ? await ctx.reader.listObjectEvents(namespace, kind, name)
        : await ctx.reader.listNamespaceEvents(namespace, { limit: limit ?? 20 });
    return formatEvents(events, { limit: limit ?? 20, maxChars: ctx.maxChars, now: ctx.now });
  },
});
