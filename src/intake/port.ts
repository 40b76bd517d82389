/**
 * What other capabilities may use of intake: the way an alert enters the pipeline (the
 * cluster watch raises its own alerts through it, so a watched failure gets the same thread,
 * analysis and buttons as an alerted one) and the thread root's rendering (the watch edits
 * the root when a workload recovers).
 */
export { createAlertAccepter, type AcceptAlert } from './accept.js';
export { buildIncidentRootMessage } from './blocks/incident.js';
