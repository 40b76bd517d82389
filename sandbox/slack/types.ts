import type { Logger } from '../shared/product.js';

/** A person (or the bot) in the sandbox workspace. */
export interface SandboxUser {
  id: string;
  /** Handle, e.g. `alice`. */
  name: string;
  realName?: string;
  /** Shown in the UI's user switcher, e.g. "on-call SRE (approver)". */
  title?: string;
  isBot?: boolean;
  isAdmin?: boolean;
}

export interface SandboxChannel {
  id: string;
  /** Without `#`. */
  name: string;
  isPrivate?: boolean;
  topic?: string;
}

export interface SandboxUsergroup {
  id: string;
  handle: string;
  users: string[];
}

export interface SandboxReaction {
  name: string;
  users: string[];
  count: number;
}

export interface SandboxFile {
  id: string;
  name: string;
  title: string;
  length: number;
  content: string;
  channel?: string;
  threadTs?: string;
}

/** A message as the sandbox stores it (and returns it from conversations.*). */
export interface SandboxMessage {
  type: 'message';
  channel: string;
  ts: string;
  thread_ts?: string;
  user?: string;
  bot_id?: string;
  text: string;
  blocks?: unknown[];
  attachments?: unknown[];
  edited?: { user: string; ts: string };
  reactions?: SandboxReaction[];
  files?: { id: string; name: string; title: string }[];
  reply_count?: number;
  reply_users?: string[];
  latest_reply?: string;
  subtype?: string;
  /** chat.postMessage's `metadata`; returned by conversations.* only with include_all_metadata. */
  metadata?: SandboxMessageMetadata;
}

export interface SandboxMessageMetadata {
  event_type: string;
  event_payload: Record<string, unknown>;
}

export interface SandboxEphemeral {
  /** Synthetic ts, usable as `messageTs` when clicking a button in it. */
  ts: string;
  channel: string;
  user: string;
  text: string;
  blocks?: unknown[];
  thread_ts?: string;
}

/** One Web API call (or response_url POST, method `response_url`) as received. */
export interface RecordedCall {
  method: string;
  /** Decoded form or JSON body; `blocks`/`attachments`/other JSON strings parsed. */
  args: Record<string, unknown>;
  token: string | undefined;
  status: number;
  ok: boolean;
  error?: string;
  at: number;
}

export interface FailRule {
  /** Web API method, or `*` for any. */
  method: string;
  /** HTTP status to answer with; without it the answer is 200 `{ ok:false, error }`. */
  status?: 429 | 500 | 503;
  /** Seconds, for 429 (default 1). */
  retryAfter?: number;
  error?: string;
  /** How many calls this rule fails (default 1). */
  times?: number;
  /**
   * With a 5xx `status`: the call is carried out first, then answered with the failure,
   * like Slack posting a message and then losing or failing the answer.
   */
  applyFirst?: boolean;
}

export interface SlackSandboxOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** The Bearer token accepted by the Web API; default `xoxb-sandbox`. */
  botToken?: string;
  /** Used to sign requests sent to the bot; default `sandbox-signing-secret`. */
  signingSecret?: string;
  /**
   * Socket Mode: `apps.connections.open` hands out WebSocket URLs on this server, and the
   * person's clicks, commands and messages go over the bot's connection while it holds one
   * (signed HTTP to the bot url otherwise). Default false.
   */
  socketMode?: boolean;
  /** The app-level token `apps.connections.open` accepts; default `xapp-sandbox`. */
  appToken?: string;
  /** How long a Socket Mode delivery waits for the bot's ack (Slack: 3 s); default 3000. */
  ackTimeoutMs?: number;
  /** Where signed requests go, e.g. http://127.0.0.1:3000/slack/events; can be set later. */
  botUrl?: string;
  /** People of the workspace (the bot user is added automatically). */
  users?: SandboxUser[];
  channels?: SandboxChannel[];
  usergroups?: SandboxUsergroup[];
  /** Bot identity as auth.test reports it; defaults UBOT / BBOT. */
  botUserId?: string;
  botId?: string;
  botName?: string;
  teamId?: string;
  teamDomain?: string;
  /** Workspace name shown on the page; default "Deckhand sandbox". */
  title?: string;
  /** Milliseconds since the epoch; drives message ts, signatures and response_url expiry. */
  clock?: () => number;
  log?: Logger;
}

export const defaultUsers: SandboxUser[] = [
  { id: 'UALICE', name: 'alice', realName: 'Alice Approver', title: 'on-call SRE (approver)' },
  { id: 'UBOB', name: 'bob', realName: 'Bob Builder', title: 'developer (not an approver)' },
];

export const defaultChannels: SandboxChannel[] = [
  { id: 'CINCIDENTS', name: 'incidents', topic: 'Alerts and incident threads' },
  { id: 'CPLATFORM', name: 'platform', topic: 'Platform team' },
];
