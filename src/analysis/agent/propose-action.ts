import * as z from 'zod';
import { Action } from '../../actions/catalog.js';

export const proposeActionToolName = 'propose_action';

/**
 * Input of `propose_action` (contract: "Claude contract"). Strict: a `risk` or any other
 * extra field is refused, as is any action outside the catalog. Risk is never read from here.
 */
export const ProposeActionInput = z.strictObject({
  action: Action,
  rationale: z.string().min(1).max(2000),
  confidence: z.number().min(0).max(1),
});
export type ProposeActionInput = z.infer<typeof ProposeActionInput>;

export const proposeActionDescription =
  'Propose ONE remediation from the action catalog for a human to approve. Deckhand validates it, computes its risk itself ' +
  '(you cannot set risk), renders the kubectl command and posts it with Approve/Reject buttons. Only these action types exist: ' +
  'restart_pod, rollout_restart, scale, rollout_undo, set_resources, cordon_node, uncordon_node.';
