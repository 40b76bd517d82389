import * as z from 'zod';
import { NamespaceName, ObjectName } from '../../core/vocabulary.js';
import { formatDeployment } from '../../kube/format/index.js';
import { defineTool } from './tool.js';

export const getDeployment = defineTool({
  name: 'get_deployment',
  description: 'A deployment: replicas, conditions, current revision, and what changed between its recent revisions (ReplicaSets).',
  input: z.strictObject({ namespace: NamespaceName, name: ObjectName }),
  async run({ namespace, name }, ctx) {
    const dep = await ctx.reader.getDeployment(namespace, name);
    if (!dep) return `deployment ${namespace}/${name} not found`;
    const sets = await ctx.reader.listDeploymentReplicaSets(namespace, name);
    return formatDeployment(dep, sets, { maxChars: ctx.maxChars });
  },
});
