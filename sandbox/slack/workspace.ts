import type {
  SandboxChannel,
  SandboxEphemeral,
  SandboxFile,
  SandboxMessage,
  SandboxUser,
  SandboxUsergroup,
} from './types.js';

export interface WorkspaceOptions {
  users: SandboxUser[];
  channels: SandboxChannel[];
  usergroups: SandboxUsergroup[];
  clock: () => number;
}

/** What changed, for live views (the UI's event stream). */
export type WorkspaceChange =
  | { kind: 'message'; channel: string; ts: string }
  | { kind: 'ephemeral'; channel: string; user: string }
  | { kind: 'reset' };

/**
 * The sandbox's in-memory Slack workspace: channels, people, messages, threads and
 * ephemerals. Pure state; the Web API handlers and the UI both go through it.
 */
export interface Workspace {
  users: Map<string, SandboxUser>;
  channels: Map<string, SandboxChannel>;
  usergroups: Map<string, SandboxUsergroup>;
  files: Map<string, SandboxFile>;
  /** A new unique ts, strictly greater than every earlier one. */
  nextTs(): string;
  /** Channel by id or by name (with or without `#`). */
  findChannel(idOrName: string): SandboxChannel | undefined;
  findMessage(channel: string, ts: string): SandboxMessage | undefined;
  addMessage(message: Omit<SandboxMessage, 'type' | 'ts'> & { ts?: string }): SandboxMessage;
  updateMessage(channel: string, ts: string, patch: Partial<SandboxMessage>): SandboxMessage | undefined;
  deleteMessage(channel: string, ts: string): boolean;
  /** Top-level messages and replies, oldest first. */
  messages(channel?: string): SandboxMessage[];
  /** The root followed by its replies, oldest first; empty when there is no such thread. */
  thread(channel: string, ts: string): SandboxMessage[];
  addEphemeral(ephemeral: Omit<SandboxEphemeral, 'ts'>): SandboxEphemeral;
  findEphemeral(ts: string): SandboxEphemeral | undefined;
  replaceEphemeral(ts: string, patch: Partial<SandboxEphemeral>): void;
  deleteEphemeral(ts: string): void;
  ephemerals(channel?: string): SandboxEphemeral[];
  onChange(listener: (change: WorkspaceChange) => void): () => void;
  reset(): void;
}

const microsPerSecond = 1_000_000n;

export function formatTs(micros: bigint): string {
  const seconds = micros / microsPerSecond;
  const fraction = (micros % microsPerSecond).toString().padStart(6, '0');
  return `${seconds.toString()}.${fraction}`;
}

function parseTs(ts: string): bigint {
  const [seconds = '0', fraction = '0'] = ts.split('.');
  return BigInt(seconds) * microsPerSecond + BigInt(fraction.padEnd(6, '0').slice(0, 6));
}

export function compareTs(a: string, b: string): number {
  const diff = parseTs(a) - parseTs(b);
  return diff < 0n ? -1 : diff > 0n ? 1 : 0;
}

export function createWorkspace(options: WorkspaceOptions): Workspace {
  const users = new Map(options.users.map((u) => [u.id, u]));
  const channels = new Map(options.channels.map((c) => [c.id, c]));
  const usergroups = new Map(options.usergroups.map((g) => [g.id, g]));
  const files = new Map<string, SandboxFile>();
  let messages: SandboxMessage[] = [];
  let ephemerals: SandboxEphemeral[] = [];
  let lastMicros = 0n;
  const listeners = new Set<(change: WorkspaceChange) => void>();

  const emit = (change: WorkspaceChange): void => {
    for (const listener of listeners) listener(change);
  };

  const nextTs = (): string => {
    const now = BigInt(Math.floor(options.clock())) * 1000n;
    lastMicros = now > lastMicros ? now : lastMicros + 100n;
    return formatTs(lastMicros);
  };

  const findChannel = (idOrName: string): SandboxChannel | undefined => {
    const byId = channels.get(idOrName);
    if (byId) return byId;
    const name = idOrName.replace(/^#/, '');
    return [...channels.values()].find((c) => c.name === name);
  };

  const findMessage = (channel: string, ts: string): SandboxMessage | undefined =>
    messages.find((m) => m.channel === channel && m.ts === ts);

  const refreshThreadSummary = (channel: string, rootTs: string): void => {
    const root = findMessage(channel, rootTs);
    if (!root) return;
    const replies = messages.filter((m) => m.channel === channel && m.thread_ts === rootTs && m.ts !== rootTs);
    if (replies.length === 0) {
      delete root.reply_count;
      delete root.reply_users;
      delete root.latest_reply;
      if (root.thread_ts === root.ts) delete root.thread_ts;
      return;
    }
    root.thread_ts = root.ts;
    root.reply_count = replies.length;
    root.reply_users = [...new Set(replies.map((r) => r.user ?? r.bot_id ?? ''))].filter(Boolean);
    root.latest_reply = replies[replies.length - 1]?.ts ?? root.ts;
  };

  return {
    users,
    channels,
    usergroups,
    files,
    nextTs,
    findChannel,
    findMessage,
    addMessage(input) {
      const message: SandboxMessage = { ...input, type: 'message', ts: input.ts ?? nextTs() };
      messages.push(message);
      messages.sort((a, b) => compareTs(a.ts, b.ts));
      if (message.thread_ts && message.thread_ts !== message.ts) {
        refreshThreadSummary(message.channel, message.thread_ts);
      }
      emit({ kind: 'message', channel: message.channel, ts: message.ts });
      return message;
    },
    updateMessage(channel, ts, patch) {
      const message = findMessage(channel, ts);
      if (!message) return undefined;
      Object.assign(message, patch);
      emit({ kind: 'message', channel, ts });
      return message;
    },
    deleteMessage(channel, ts) {
      const message = findMessage(channel, ts);
      if (!message) return false;
      messages = messages.filter((m) => m !== message);
      if (message.thread_ts && message.thread_ts !== message.ts) refreshThreadSummary(channel, message.thread_ts);
      emit({ kind: 'message', channel, ts });
      return true;
    },
    messages(channel) {
      return messages.filter((m) => channel === undefined || m.channel === channel);
    },
    thread(channel, ts) {
      const root = findMessage(channel, ts);
      if (!root) return [];
      return [root, ...messages.filter((m) => m.channel === channel && m.thread_ts === ts && m.ts !== ts)];
    },
    addEphemeral(input) {
      const ephemeral: SandboxEphemeral = { ...input, ts: nextTs() };
      ephemerals.push(ephemeral);
      emit({ kind: 'ephemeral', channel: ephemeral.channel, user: ephemeral.user });
      return ephemeral;
    },
    findEphemeral(ts) {
      return ephemerals.find((e) => e.ts === ts);
    },
    replaceEphemeral(ts, patch) {
      const ephemeral = ephemerals.find((e) => e.ts === ts);
      if (!ephemeral) return;
      Object.assign(ephemeral, patch);
      emit({ kind: 'ephemeral', channel: ephemeral.channel, user: ephemeral.user });
    },
    deleteEphemeral(ts) {
      const ephemeral = ephemerals.find((e) => e.ts === ts);
      if (!ephemeral) return;
      ephemerals = ephemerals.filter((e) => e !== ephemeral);
      emit({ kind: 'ephemeral', channel: ephemeral.channel, user: ephemeral.user });
    },
    ephemerals(channel) {
      return ephemerals.filter((e) => channel === undefined || e.channel === channel);
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    reset() {
      messages = [];
      ephemerals = [];
      files.clear();
      emit({ kind: 'reset' });
    },
  };
}
