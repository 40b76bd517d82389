import * as z from 'zod';
import { ContainerName, NamespaceName, ObjectName } from '../../core/vocabulary.js';

/**
 * The action catalog (contract: "Action catalog"). These are the only things Deckhand can
 * ever propose or run. Every field is validated strictly: unknown keys are rejected, names
 * must be valid Kubernetes names and quantities valid Kubernetes quantities, so text read
 * from the cluster or the model cannot smuggle anything into a kubectl rendering or an API call.
 */

export const CpuQuantity = z.string().regex(/^(\d+(\.\d+)?|\.\d+)m?$/, { error: 'must be a CPU quantity such as 500m or 2' });
export const MemoryQuantity = z
  .string()
  .regex(/^(\d+(\.\d+)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|k|K|M|G|T|P|E)?$/, { error: 'must be a memory quantity such as 512Mi or 2Gi' });

export const ResourceList = z
  .strictObject({ cpu: CpuQuantity.optional(), memory: MemoryQuantity.optional() })
  .refine((r) => r.cpu !== undefined || r.memory !== undefined, { error: 'give cpu, memory or both' });
export type ResourceList = z.infer<typeof ResourceList>;

export const RolloutKind = z.enum(['Deployment', 'StatefulSet', 'DaemonSet']);
export type RolloutKind = z.infer<typeof RolloutKind>;
export const ScalableKind = z.enum(['Deployment', 'StatefulSet']);
export type ScalableKind = z.infer<typeof ScalableKind>;

export const RestartPod = z.strictObject({ type: z.literal('restart_pod'), namespace: NamespaceName, pod: ObjectName });
export const RolloutRestart = z.strictObject({
  type: z.literal('rollout_restart'),
  namespace: NamespaceName,
  kind: RolloutKind,
  name: ObjectName,
});
export const Scale = z.strictObject({
  type: z.literal('scale'),
  namespace: NamespaceName,
  kind: ScalableKind,
  name: ObjectName,
  replicas: z.int().min(0).max(1000),
});
export const RolloutUndo = z.strictObject({
  type: z.literal('rollout_undo'),
  namespace: NamespaceName,
  name: ObjectName,
  toRevision: z.int().min(1).optional(),
});
export const SetResources = z
  .strictObject({
    type: z.literal('set_resources'),
    namespace: NamespaceName,
    kind: RolloutKind,
    name: ObjectName,
    container: ContainerName,
    limits: ResourceList.optional(),
    requests: ResourceList.optional(),
  })
  .refine((a) => a.limits !== undefined || a.requests !== undefined, { error: 'give limits, requests or both' });
export const CordonNode = z.strictObject({ type: z.literal('cordon_node'), node: ObjectName });
export const UncordonNode = z.strictObject({ type: z.literal('uncordon_node'), node: ObjectName });

export const Action = z.discriminatedUnion('type', [
  RestartPod,
  RolloutRestart,
  Scale,
  RolloutUndo,
  SetResources,
  CordonNode,
  UncordonNode,
]);
export type Action = z.infer<typeof Action>;
export type ActionType = Action['type'];
export const actionTypes = [
  'restart_pod',
  'rollout_restart',
  'scale',
  'rollout_undo',
  'set_resources',
  'cordon_node',
  'uncordon_node',
] as const satisfies readonly ActionType[];

/** The namespace an action touches, or undefined for cluster-scoped actions (nodes). */
export function namespaceOf(action: Action): string | undefined {
  return 'namespace' in action ? action.namespace : undefined;
}
