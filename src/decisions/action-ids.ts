/**
 * Block Kit action ids of Deckhand's buttons. A button's `value` is the proposal id (the
 * incident id for Approve all), parsed with zod when clicked; nothing else in a click is trusted.
 */
export const actionIds = {
  approve: 'proposal_approve',
  reject: 'proposal_reject',
  undo: 'proposal_undo',
  reanalyze: 'incident_reanalyze',
  approveAll: 'incident_approve_all',
} as const;
export type ActionId = (typeof actionIds)[keyof typeof actionIds];
