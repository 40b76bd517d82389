/**
 * Block Kit action ids of Deckhand's buttons. A button's `value` is always the proposal id,
 * parsed with zod when clicked; nothing else in a click is trusted.
 */
export const actionIds = {
  approve: 'proposal_approve',
  reject: 'proposal_reject',
  undo: 'proposal_undo',
  reanalyze: 'incident_reanalyze',
} as const;
export type ActionId = (typeof actionIds)[keyof typeof actionIds];
