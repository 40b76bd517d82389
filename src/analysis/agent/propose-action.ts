import * as z from 'zod';
import { Action } from '../../decisions/actions/catalog.js';

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

/** The catalog in one line per type: the schema sent is flat (tool-schemas.ts), this says which fields each takes. */
export const proposeActionDescription =
  'Propose ONE catalog action for a human to approve; Deckhand computes its risk. action by type: ' +
  'restart_pod{namespace,pod}; rollout_restart{namespace,kind,name}; scale{namespace,kind,name,replicas}; ' +
  'rollout_undo{namespace,name,toRevision?}; set_resources{namespace,kind,name,container,limits?,requests?}; ' +
  'cordon_node{node}; uncordon_node{node}. No other fields.';
