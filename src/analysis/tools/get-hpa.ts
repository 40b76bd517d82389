import * as z from 'zod';
import { NamespaceName, ObjectName } from '../../core/vocabulary.js';
import { formatHpa } from '../../kube/format/index.js';
import { defineTool } from './tool.js';

export const getHpa = defineTool({
  name: 'get_hpa',
  description: 'HorizontalPodAutoscalers of a namespace (or one by name): min/max/current replicas, metrics vs targets, conditions.',
  input: z.strictObject({ namespace: NamespaceName, name: ObjectName.optional() }),
  async run({ namespace, name }, ctx) {
    const hpas = (await ctx.reader.listHpas(namespace)).filter((h) => name === undefined || h.metadata?.name === name);
    if (hpas.length === 0) return name === undefined ? `no HPA in ${namespace}` : `HPA ${namespace}/${name} not found`;
    return hpas.map((h) => formatHpa(h, { maxChars: ctx.maxChars })).join('\n\n');
  },
});
