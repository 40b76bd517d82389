import type { Tool } from '@anthropic-ai/sdk/resources/messages';
import * as z from 'zod';
import { actionTypes } from '../../decisions/actions/catalog.js';
import type { ReadTool } from '../tools/index.js';
import { proposeActionDescription, proposeActionToolName } from './propose-action.js';

/**
 * The tool definitions Claude reads on every request (cached, but still counted): read
 * tools, then propose_action, with cache_control on the last one so the list is cached.
 *
 * They are kept small on purpose. What the model needs is the shape — names, types, enums,
 * which fields are required; the checks that make an input safe (Kubernetes name patterns,
 * lengths, quantity syntax, the exact fields of each action type) are zod's, applied to
 * every call, and a refused call tells the model what was wrong. So the schemas sent drop
 * patterns, length bounds and `additionalProperties`, and propose_action's catalog — a
 * seven-way union of strict objects, 1.3k tokens as JSON Schema — is sent as one flat
 * object whose description says which fields each type takes.
 */
export function buildToolDefinitions(tools: readonly ReadTool[]): Tool[] {
  const defs: Tool[] = tools.map((t) => ({ name: t.name, description: t.description, input_schema: compactSchema(t.input) }));
  defs.push({ name: proposeActionToolName, description: proposeActionDescription, input_schema: proposeActionSchema });
  const last = defs[defs.length - 1];
  if (last) last.cache_control = { type: 'ephemeral' };
  return defs;
}

const str = { type: 'string' };
const resources = { type: 'object', properties: { cpu: str, memory: str } };

/** propose_action's input as the model sees it; ProposeActionInput (zod) is what is enforced. */
const proposeActionSchema: Tool['input_schema'] = {
  type: 'object',
  properties: {
    action: {
      type: 'object',
      properties: {
        type: { type: 'string', enum: [...actionTypes] },
        namespace: str,
        kind: { type: 'string', enum: ['Deployment', 'StatefulSet', 'DaemonSet'] },
        name: str,
        pod: str,
        node: str,
        container: str,
        replicas: { type: 'integer' },
        toRevision: { type: 'integer' },
        limits: resources,
        requests: resources,
      },
      required: ['type'],
    },
    rationale: str,
    confidence: { type: 'number' },
  },
  required: ['action', 'rationale', 'confidence'],
};

const dropped = new Set(['$schema', 'pattern', 'maxLength', 'minLength', 'additionalProperties', 'format']);

/** A zod schema as JSON Schema, without the keywords zod enforces anyway (see above). */
export function compactSchema(schema: z.ZodType): Tool['input_schema'] {
  return strip(z.toJSONSchema(schema, { io: 'input' })) as Tool['input_schema'];
}

function strip(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(strip);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).flatMap(([k, v]) => (dropped.has(k) ? [] : [[k, strip(v)]])));
}
