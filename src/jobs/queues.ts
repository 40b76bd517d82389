/**
 * Queue names. One queue per stage of the pipeline in the style guide:
 * intake → analysis → (proposals in Slack) → decision (a click's consequences) → execution → verification.
 * Each stage owns the zod schema of its job data, beside its worker.
 */
export const queueNames = {
  intake: 'intake',
  analysis: 'analysis',
  decision: 'decision',
  execution: 'execution',
  verification: 'verification',
  conversation: 'conversation',
} as const;
export type QueueName = (typeof queueNames)[keyof typeof queueNames];
