import { AppError } from '../shared/errors.js';
import { buildAuditMessage } from '../slack/blocks/audit.js';
import { channelRef, inlineCode, md, safe } from '../slack/blocks/mrkdwn.js';
import { buildErrorMessage, buildHelpMessage, buildUsageMessage } from '../slack/blocks/help.js';
import { buildClustersMessage, buildModeMessage, buildPauseMessage, buildStatusMessage, type StatusView } from '../slack/blocks/status.js';
import type { SlackMessage } from '../slack/messenger.js';
import { subcommands, type ParsedCommand } from './parse.js';
import type { CommandPorts } from './ports.js';

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
      const checks = await Promise.all(names.map(async (name) => ({ name, ...(await checkWithTimeout(ports, name)) })));
      return ephemeral(buildClustersMessage(checks));
    }
    case 'mode': {
      const current = await ports.getChannelMode(call.channel);
      if (parsed.mode === undefined) return ephemeral(buildModeMessage({ channel: call.channel, mode: current.mode }));
      const refusal = await refuseUnlessAuthorized(ports, call, 'change the mode');
      if (refusal) return refusal;
      if (!ports.setChannelMode) return ephemeral(buildErrorMessage(md`Changing the mode is not available in this deployment.`));
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
      const run = parsed.kind === 'pause' ? ports.pause : ports.resume;
      if (!run) return ephemeral(buildErrorMessage(md`${inlineCode(parsed.kind)} is not available in this deployment.`));
      await run({ user: call.user, ...(parsed.cluster ? { cluster: parsed.cluster } : {}) });
      return {
        responseType: 'in_channel',
        message: buildPauseMessage({ paused: parsed.kind === 'pause', user: call.user, ...(parsed.cluster ? { cluster: parsed.cluster } : {}) }),
      };
    }
    case 'audit': {
      if (!ports.auditRecent) return ephemeral(buildErrorMessage(md`The audit log is not available in this deployment.`));
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
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<{ ok: boolean; detail: string }>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, detail: `no answer within ${clusterCheckTimeoutMs / 1000} s` }), clusterCheckTimeoutMs);
  });
  try {
    return await Promise.race([ports.checkCluster(name), timeout]);
  } catch (err) {
    return { ok: false, detail: err instanceof Error ? err.message : String(err) };
  } finally {
    clearTimeout(timer);
  }
}

/** Reads every part of the status independently: one failing store does not hide the others. */
export async function collectStatus(ports: CommandPorts, channel: string): Promise<StatusView> {
  const orUnknown = async <T>(read: (() => Promise<T>) | undefined): Promise<T | 'unknown'> => {
    if (!read) return 'unknown';
    try {
      return await read();
    } catch {
      return 'unknown';
    }
  };
  const breakerStates = ports.breakerStates;
  const [mode, paused, incidents, pendingProposals, breakers] = await Promise.all([
    ports.getChannelMode(channel),
    orUnknown(ports.pauseState),
    orUnknown(ports.listOpenIncidents),
    orUnknown(ports.listPendingProposals),
    orUnknown(breakerStates ? () => breakerStates(ports.clusterNames()) : undefined),
  ]);
  return { channel, mode: mode.mode, modeSource: mode.source, paused, incidents, pendingProposals, breakers };
}

/** Turns anything thrown into words a Slack user can act on (never a stack, never a secret). */
export function describeFailure(err: unknown): string {
  if (err instanceof AppError) {
    if (/not_in_channel|channel_not_found|is_archived/.test(err.message)) {
      return 'I cannot post in this channel. Invite me with `/invite @Deckhand` (or use a channel I am in) and try again.';
    }
    switch (err.code) {
      case 'rate_limited':
        return 'Slack or the cluster asked me to slow down; try again in a minute.';
      case 'unavailable':
      case 'timeout':
      case 'upstream':
        return `A service I depend on did not answer (${err.message}). Try again shortly.`;
      case 'forbidden':
        return `Not allowed: ${err.message}`;
      case 'not_found':
        return `Not found: ${err.message}`;
      case 'bad_request':
        return err.message;
      default:
        break;
    }
  }
  return 'Something went wrong on my side; the error is logged. Try again, or ask an operator to check the logs.';
}
