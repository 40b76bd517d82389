import { renderKubectl } from '../decisions/actions/kubectl.js';
import type { AppContext } from '../core/feature.js';
import { channelConfigOf } from '../core/config/load.js';
import type { AskRequest } from '../conversation/port.js';
import type { DecisionsPort } from '../decisions/port.js';
import { AppError } from '../shared/errors.js';
import type { AuditLine } from './blocks/audit.js';
import type { CommandPorts } from './ports.js';
import { describeWatch, type WatchStatusProvider } from '../watch/port.js';

/**
 * Adapts the app's context and the decision stores to CommandPorts. Pure wiring: every
 * rule lives in the stores (who may set a mode, auditing) or in src/commands/run.ts.
 */
export function createCommandPorts(
  ctx: Pick<AppContext, 'config' | 'incidents' | 'clusters'>,
  decisions: DecisionsPort,
  enqueueAsk: (ask: AskRequest) => Promise<void>,
  watch?: WatchStatusProvider,
): CommandPorts {
  const channelConfig = (channel: string) => channelConfigOf(ctx.config, channel);
  const listOpen = () => ctx.incidents.listOpen();
  return {
    async getChannelMode(channel) {
      const [mode, override] = await Promise.all([decisions.modes.effectiveMode(channel), decisions.modes.getOverride(channel)]);
      return { mode, source: override !== undefined && override === mode ? 'runtime' : 'config' };
    },
    async setChannelMode(input) {
      const result = await decisions.modes.setChannelMode(input);
      // A refusal by the store (not an approver, channel not configured) is shown as is.
      if (!result.ok) throw new AppError('forbidden', result.message);
    },
    isAuthorized: ({ user, channel }) => decisions.approvers.isApprover(channelConfig(channel), user),
    async pauseState() {
      const state = await decisions.pause.state();
      return { global: state.paused, clusters: [] };
    },
    async pause({ user }) {
      await decisions.pause.pause({ user, reason: 'via /k8s pause' });
    },
    async resume({ user }) {
      await decisions.pause.resume({ user });
    },
    async listOpenIncidents() {
      const open = await listOpen();
      return open
        .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
        .map((i) => ({
          id: i.id,
          title: i.title,
          severity: i.severity,
          status: i.status,
          ...(i.channel ? { channel: i.channel } : {}),
          ...(i.threadTs ? { threadTs: i.threadTs } : {}),
        }));
    },
    async breakerStates(clusters) {
      return Promise.all(
        clusters.map(async (cluster) => {
          const state = await decisions.breaker.state(cluster);
          return state.open
            ? { cluster, state: 'open', detail: `${state.failures} failures`, closesAt: new Date(state.closesAt).toISOString() }
            : { cluster, state: 'closed', ...(state.failures > 0 ? { detail: `${state.failures} recent failures` } : {}) };
        }),
      );
    },
    async auditRecent(query) {
      const entries = await decisions.audit.recent(query);
      return entries.map(
        (e): AuditLine => ({
          at: e.at,
          actor: e.actor ?? 'deckhand',
          type: e.type,
          ...(e.incidentId ? { incidentId: e.incidentId } : {}),
          detail: e.summary,
        }),
      );
    },
    clusterNames: () => ctx.clusters.names(),
    watchState(name) {
      const status = watch?.status().find((s) => s.cluster === name);
      return status ? describeWatch(status) : undefined;
    },
    async checkCluster(name) {
      const result = await ctx.clusters.check(name);
      return { ok: result.ok, ...(result.ok || !result.message ? {} : { detail: result.message }) };
    },
    async listPendingProposals() {
      const open = await listOpen();
      const records = (await Promise.all(open.map((i) => decisions.store.listByIncident(i.id)))).flat();
      return records
        .filter((r) => r.status === 'pending')
        .map((r) => ({ id: r.proposal.id, summary: renderKubectl(r.proposal.action), risk: r.proposal.risk, incidentId: r.proposal.incidentId }));
    },
    enqueueAsk,
  };
}
