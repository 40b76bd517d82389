import * as z from 'zod';
import { NamespaceName } from '../../core/vocabulary.js';
import { defineTool } from './tool.js';

export const findWorkload = defineTool({
  name: 'find_workload',
  description: 'Deployments, StatefulSets and DaemonSets whose name equals or contains the given text, in one namespace or all.',
  input: z.strictObject({ name: z.string().min(1).max(253).regex(/^[a-z0-9.-]+$/, { error: 'lowercase name text' }), namespace: NamespaceName.optional() }),
  async run({ name, namespace }, ctx) {
    const found = await ctx.reader.findWorkloads(name, namespace);
    if (found.length === 0) return `no workload named like ${name}`;
    return found.slice(0, 30).map((w) => `${w.kind} ${w.namespace}/${w.name}`).join('\n');
  },
});
