import * as z from 'zod';
import { ObjectName } from '../../core/vocabulary.js';
import { formatNode } from '../../kube/format/index.js';
import { defineTool } from './tool.js';

export const getNode = defineTool({
  name: 'get_node',
  description: 'A node: Ready and pressure conditions, taints, whether it is cordoned, allocatable capacity.',
  input: z.strictObject({ name: ObjectName }),
  async run({ name }, ctx) {
    const node = await ctx.reader.getNode(name);
    return node ? formatNode(node, { maxChars: ctx.maxChars, now: ctx.now }) : `node ${name} not found`;
  },
});
