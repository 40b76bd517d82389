import type { AppContext } from '../core/feature.js';

/** `/k8s ask`: a question asked by command, answered in a new thread by the conversation worker. */
export interface AskRequest {
  channel: string;
  user: string;
  question: string;
  cluster?: string;
  namespace?: string;
  /** Slack's trigger_id: unique per invocation, the job's idempotency key. */
  triggerId: string;
}

/** The conversation's declared way in for other capabilities; the conversation feature is one. */
export interface AskProvider {
  ask(ctx: AppContext): (request: AskRequest) => Promise<void>;
}

/** `/k8s ask` reads a question's cluster / namespace the way thread questions are read. */
export { extractScope } from './scope.js';
