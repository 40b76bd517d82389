import { channelModes, type ChannelMode } from '../core/config/file.js';
import { extractScope } from '../conversation/port.js';

/**
 * `/k8s …` as a value. Pure and total: every text parses to something, so a typo answers
 * with help or a clear usage line and never with silence.
 */
export type ParsedCommand =
  | { kind: 'help' }
  | { kind: 'ask'; question: string; cluster?: string; namespace?: string }
  | { kind: 'status' }
  | { kind: 'mode'; mode?: ChannelMode }
  | { kind: 'pause' | 'resume'; cluster?: string }
  | { kind: 'audit'; incidentId?: string; limit: number }
  | { kind: 'clusters' }
  /** Not a subcommand: answered with help. */
  | { kind: 'unknown'; subcommand: string }
  /** A subcommand with bad arguments: answered with its usage. */
  | { kind: 'invalid'; subcommand: SubcommandName; message: string };

export const subcommands = {
  help: { usage: 'help', summary: 'List every subcommand.' },
  ask: { usage: 'ask <question>', summary: 'Ask about the cluster ("what is wrong in shop?", "about deployment/checkout -n shop", "is it healthy now?"); the answer opens a thread where you can follow up. Name a scope with "in shop", "-n shop", "in the cluster" or "on cluster prod".' },
  status: { usage: 'status', summary: 'Open incidents, pending proposals, this channel’s mode, breaker state per cluster, paused or not.' },
  mode: { usage: 'mode [plan|approval|yolo]', summary: 'Show this channel’s mode, or set it (approvers only; audited).' },
  pause: { usage: 'pause', summary: 'Stop all automatic and approved actions on every cluster (approvers only).' },
  resume: { usage: 'resume', summary: 'Resume actions after a pause (approvers only).' },
  audit: { usage: 'audit [incident-id | n]', summary: 'The latest audit entries, for one incident or the last n (default 10).' },
  clusters: { usage: 'clusters', summary: 'Configured clusters, whether they answer, and their watch (detection).' },
} as const;
export type SubcommandName = keyof typeof subcommands;

export const defaultAuditLimit = 10;
export const maxAuditLimit = 50;

const aliases: Record<string, SubcommandName> = { '?': 'help', '-h': 'help', '--help': 'help', stop: 'pause', start: 'resume', cluster: 'clusters' };

export function parseK8sCommand(text: string): ParsedCommand {
  const trimmed = text.trim();
  if (trimmed === '') return { kind: 'help' };
  const [head = '', ...rest] = trimmed.split(/\s+/);
  const word = head.toLowerCase();
  const name = (word in subcommands ? word : aliases[word]) as SubcommandName | undefined;
  const args = rest;
  const argText = trimmed.slice(head.length).trim();

  switch (name) {
    case undefined:
      return { kind: 'unknown', subcommand: head };
    case 'help':
      return { kind: 'help' };
    case 'status':
      return { kind: 'status' };
    case 'clusters':
      return { kind: 'clusters' };
    case 'ask': {
      if (argText === '') return { kind: 'invalid', subcommand: 'ask', message: 'Ask a question, e.g. `/k8s ask why is checkout crashing in namespace shop`.' };
      const scope = extractScope(argText);
      return {
        kind: 'ask',
        question: argText,
        ...(scope.cluster ? { cluster: scope.cluster } : {}),
        ...(scope.namespace ? { namespace: scope.namespace } : {}),
      };
    }
    case 'mode': {
      if (args.length === 0) return { kind: 'mode' };
      const mode = args[0]?.toLowerCase();
      if (args.length === 1 && channelModes.some((m) => m === mode)) return { kind: 'mode', mode: mode as ChannelMode };
      return { kind: 'invalid', subcommand: 'mode', message: `Unknown mode "${argText}". Choose one of: ${channelModes.join(', ')}.` };
    }
    case 'pause':
    case 'resume': {
      if (args.length === 0) return { kind: name };
      if (args.length === 1 && /^[A-Za-z0-9][-A-Za-z0-9_.]{0,63}$/.test(args[0] ?? '')) return { kind: name, cluster: args[0] ?? '' };
      return { kind: 'invalid', subcommand: name, message: `Usage: \`/k8s ${subcommands[name].usage}\`.` };
    }
    case 'audit': {
      if (args.length === 0) return { kind: 'audit', limit: defaultAuditLimit };
      const arg = args[0] ?? '';
      if (args.length > 1) return { kind: 'invalid', subcommand: 'audit', message: `Usage: \`/k8s ${subcommands.audit.usage}\`.` };
      if (/^\d+$/.test(arg)) {
        const n = Number(arg);
        if (n < 1 || n > maxAuditLimit) return { kind: 'invalid', subcommand: 'audit', message: `Give a number from 1 to ${maxAuditLimit}.` };
        return { kind: 'audit', limit: n };
      }
      if (!/^[-A-Za-z0-9_.:]{1,128}$/.test(arg)) return { kind: 'invalid', subcommand: 'audit', message: `"${arg}" is not an incident id.` };
      return { kind: 'audit', incidentId: arg, limit: maxAuditLimit };
    }
  }
}
