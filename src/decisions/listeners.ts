import type { App } from '@slack/bolt';
import * as z from 'zod';
import type { Logger } from '../shared/logger.js';
import { actionIds } from './action-ids.js';
import type { SlackMessenger } from '../slack/messenger.js';
import type { Click, ClickHandlers, ClickResult } from './clicks.js';
import type { Inflight } from './inflight.js';
import type { DecisionLoopMetrics } from '../metrics/metrics.js';

/** The parts of a block_actions payload a click uses; everything else is ignored. */
const ClickPayload = z.object({
  user: z.object({ id: z.string().min(1) }),
  channel: z.object({ id: z.string().min(1) }).optional(),
  container: z.object({ channel_id: z.string().optional(), thread_ts: z.string().optional() }).loose().optional(),
  message: z.object({ ts: z.string().optional(), thread_ts: z.string().optional() }).loose().optional(),
  actions: z.array(z.object({ action_id: z.string(), value: z.string().min(1).max(200) }).loose()).min(1),
});

export interface DecisionListenerDeps {
  clicks: Pick<ClickHandlers, 'approve' | 'reject' | 'undo' | 'reanalyze'>;
  /** "Approve all" of an incident (the click's value is the incident id). */
  approveAll?: (input: { incidentId: string; user: string; channel: string }) => Promise<ClickResult>;
  messenger: Pick<SlackMessenger, 'postEphemeral'>;
  log: Logger;
  /** Clicks in flight, which shutdown waits for (bounded). */
  inflight?: Pick<Inflight, 'track'>;
  metrics?: DecisionLoopMetrics;
}

/**
 * Bolt listeners of the decision buttons. Thin: ack first (Slack wants it within 3 s), parse
 * the click with zod, call the core, and tell the clicker (ephemeral) when it was refused.
 */
export function registerDecisionListeners(app: App, deps: DecisionListenerDeps): void {
  const routes: [string, (click: Click) => Promise<ClickResult>][] = [
    [actionIds.approve, (c) => deps.clicks.approve(c)],
    [actionIds.reject, (c) => deps.clicks.reject(c)],
    [actionIds.undo, (c) => deps.clicks.undo(c)],
    [actionIds.reanalyze, (c) => deps.clicks.reanalyze(c)],
  ];
  const { approveAll } = deps;
  if (approveAll) routes.push([actionIds.approveAll, (c) => approveAll({ incidentId: c.proposalId, user: c.user, channel: c.channel })]);
  for (const [actionId, handle] of routes) {
    app.action(actionId, async ({ ack, body }) => {
      await ack();
      // Slack was told "received": from here the click is ours to finish, even on SIGTERM.
      const track = deps.inflight ? deps.inflight.track.bind(deps.inflight) : (work: () => Promise<void>) => work();
      await track(async () => {
        const parsed = ClickPayload.safeParse(body);
        const channel = parsed.success ? (parsed.data.channel?.id ?? parsed.data.container?.channel_id) : undefined;
        const action = parsed.success ? parsed.data.actions.find((a) => a.action_id === actionId) : undefined;
        if (!parsed.success || !channel || !action) {
          deps.log.warn({ actionId }, 'unparseable button click ignored');
          return;
        }
        const user = parsed.data.user.id;
        const threadTs = parsed.data.message?.thread_ts ?? parsed.data.container?.thread_ts;
        let result: ClickResult;
        try {
          result = await handle({ proposalId: action.value, user, channel });
        } catch (err) {
          deps.log.error({ actionId, proposalId: action.value, err: err instanceof Error ? err.message : String(err) }, 'button click failed');
          result = { ok: false, reason: 'unknown_proposal', message: 'Deckhand could not handle this click just now; try again in a moment.' };
        }
        if (!result.ok) deps.metrics?.decisions.inc({ decision: 'refused', by: 'human', reason: result.reason });
        const text = result.ok ? result.notice : result.message;
        if (text === undefined) return;
        try {
          await deps.messenger.postEphemeral({ channel, user, ...(threadTs ? { threadTs } : {}), message: { text } });
        } catch (err) {
          deps.log.warn({ actionId, err: err instanceof Error ? err.message : String(err) }, 'ephemeral reply failed');
        }
      });
    });
  }
}
