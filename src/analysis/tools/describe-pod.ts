import * as z from 'zod';
import { NamespaceName, ObjectName } from '../../core/vocabulary.js';
import { formatPodDescribe } from '../../kube/format/index.js';
import { defineTool } from './tool.js';

export const describePod = defineTool({
  name: 'describe_pod',
  description: 'Like kubectl describe pod: containers, images, resources, probes, env (secrets masked), conditions and recent events.',
  input: z.strictObject({ namespace: NamespaceName, pod: ObjectName }),
  async run({ namespace, pod }, ctx) {
    const p = await ctx.reader.getPod(namespace, pod);
    if (!p) return `pod ${namespace}/${pod} not found`;
    const events = await ctx.reader.listObjectEvents(namespace, 'Pod', pod);
    return formatPodDescribe(p, events, { maxChars: ctx.maxChars, now: ctx.now, eventLimit: 10 });
  },
});
