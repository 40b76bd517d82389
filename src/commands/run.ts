import { buildAuditMessage } from './blocks/audit.js';
import { buildErrorMessage, buildHelpMessage, buildUsageMessage } from './blocks/help.js';
import { buildClustersMessage, buildModeMessage, buildPauseMessage, buildStatusMessage, type StatusView } from './blocks/status.js';
import { channelRef, md, safe } from '../slack/blocks/mrkdwn.js';
import type { SlackMessage } from '../slack/messenger.js';
import { subcommands, type ParsedCommand } from './parse.js';
import type { CommandPorts } from './ports.js';
import { withTimeout } from '../shared/timeout.js';

export interface CommandInvocation {
  channel: string;
  user: string;
  /** The slash command as typed (`/k8s`), for help texts. */
  command: string;
  triggerId: string;
}

/** How the listener answers: privately, or visibly in the channel (mode changes, pauses). */
export interface CommandReply {
  responseType: 'ephemeral' | 'in_channel';
  message: SlackMessage;
}

/** Time allowed for one cluster's reachability check before it counts as unreachable. */
export const clusterCheckTimeoutMs = 5_000;

const ephemeral = (message: SlackMessage): CommandReply => ({ responseType: 'ephemeral', message });

/**
 * Runs one parsed `/k8s` command after the ack. Expected refusals (not authorised, feature
 * missing) are replies; unexpected failures throw and the listener turns them into an
 * ephemeral error.
 */
export async function runK8sCommand(ports: CommandPorts, parsed: ParsedCommand, call: CommandInvocation): Promise<CommandReply> {
  switch (parsed.kind) {
    case 'help':
      return ephemeral(buildHelpMessage({ command: call.command }));
    case 'unknown':
      return ephemeral(buildHelpMessage({ command: call.command, unknown: parsed.subcommand }));
    case 'invalid':
      return ephemeral(buildUsageMessage(parsed.message, subcommands[parsed.subcommand].usage, call.command));
    case 'ask': {
      await ports.enqueueAsk({
        channel: call.channel,
        user: call.user,
        question: parsed.question,
        triggerId: call.triggerId,
        ...(parsed.cluster ? { cluster: parsed.cluster } : {}),
        ...(parsed.namespace ? { namespace: parsed.namespace } : {}),
      });
      return ephemeral({ text: ':hourglass_flowing_sand: Looking into it — the answer follows in the thread I just opened.' });
    }
    case 'status':
      return ephemeral(buildStatusMessage(await collectStatus(ports, call.channel)));
    case 'clusters': {
      const names = ports.clusterNames();
      const checks = await Promise.all(
        names.map(async (name) => {
          const watch = ports.watchState?.(name);
          return { name, ...(await checkWithTimeout(ports, name)), ...(watch === undefined ? {} : { watch }) };
        }),
      );
      return ephemeral(buildClustersMessage(checks));
    }
    case 'mode': {
      const current = await ports.getChannelMode(call.channel);
      if (parsed.mode === undefined) return ephemeral(buildModeMessage({ channel: call.channel, mode: current.mode }));
      const refusal = await refuseUnlessAuthorized(ports, call, 'change the mode');
      if (refusal) return refusal;
      await ports.setChannelMode({ channel: call.channel, mode: parsed.mode, user: call.user });
      return { responseType: 'in_channel', message: buildModeMessage({ channel: call.channel, mode: parsed.mode, changedBy: call.user, previous: current.mode }) };
    }
    case 'pause':
    case 'resume': {
      const refusal = await refuseUnlessAuthorized(ports, call, parsed.kind);
      if (refusal) return refusal;
      // The kill switch is global: saying "paused on prod" while everything is paused (or
      // "resumed on prod" while everything resumes) would mislead at the worst moment.
      if (parsed.cluster !== undefined) {
        return ephemeral(
          buildErrorMessage(md`\`/k8s ${safe(parsed.kind)}\` acts on every cluster at once; per-cluster ${safe(parsed.kind)} is not supported. Run \`/k8s ${safe(parsed.kind)}\` alone.`),
        );
      }
      await (parsed.kind === 'pause' ? ports.pause : ports.resume)({ user: call.user });
      return { responseType: 'in_channel', message: buildPauseMessage({ paused: parsed.kind === 'pause', user: call.user }) };
    }
    case 'audit': {
      const query = { limit: parsed.limit, ...(parsed.incidentId ? { incidentId: parsed.incidentId } : {}) };
      const entries = await ports.auditRecent(query);
      return ephemeral(buildAuditMessage({ entries, ...query }));
    }
  }
}

async function refuseUnlessAuthorized(ports: CommandPorts, call: CommandInvocation, what: string): Promise<CommandReply | undefined> {
  if (await ports.isAuthorized({ user: call.user, channel: call.channel })) return undefined;
  return ephemeral(buildErrorMessage(md`Only the approvers of ${channelRef(call.channel)} may ${safe(what)}. Ask one of them, or add yourself to \`approvers\` in deckhand.yaml.`));
}

async function checkWithTimeout(ports: CommandPorts, name: string): Promise<{ ok: boolean; detail?: string }> {
  try {
    return await withTimeout(ports.checkCluster(name), clusterCheckTimeoutMs, () => ({ ok: false, detail: `no answer within ${clusterCheckTimeoutMs / 1000} s` }));
  } catch (err) {
    return { ok: false, detail: err instanceof Error ? err.message : String(err) };
  }
}

/** Reads every part of the status independently: one failing store does not hide the others. */
export async function collectStatus(ports: CommandPorts, channel: string): Promise<StatusView> {
  const orUnknown = async <T>(read: () => Promise<T>): Promise<T | 'unknown'> => {
    try {
      return await read();
    } catch {
      return 'unknown';
    }
  };
  const [mode, paused, incidents, pendingProposals, breakers] = await Promise.all([
    ports.getChannelMode(channel),
    orUnknown(ports.pauseState),
    orUnknown(ports.listOpenIncidents),
    orUnknown(ports.listPendingProposals),
    orUnknown(() => ports.breakerStates(ports.clusterNames())),
  ]);
  return { channel, mode: mode.mode, modeSource: mode.source, paused, incidents, pendingProposals, breakers };
}
