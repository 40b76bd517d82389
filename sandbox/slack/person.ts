import { randomUUID } from 'node:crypto';
import { findButton } from './buttons.js';
import { ResponsePayload, type ResponseUrls } from './response-url.js';
import { createBotTransport, type BotAnswer, type BotRequest, type BotTransportDeps } from './bot-transport.js';
import type { SandboxIdentity } from './web-api-context.js';
import type { Workspace } from './workspace.js';

export interface ClickInput {
  user: string;
  channel: string;
  /** ts of the message (or ephemeral) holding the button. */
  messageTs: string;
  actionId: string;
  /** Picks among buttons sharing an action id; must match the button's value. */
  value?: string | undefined;
}

export interface UserMessageInput {
  user: string;
  channel: string;
  text: string;
  threadTs?: string | undefined;
}

export interface SlashCommandInput {
  user: string;
  channel: string;
  /** Default `/k8s`. */
  command?: string;
  text: string;
}

/**
 * The sandbox acting as a person: real, signed requests to the bot, like Slack sends — or,
 * while the bot holds a Socket Mode connection, the same payloads as envelopes over it.
 */
export interface SandboxPerson {
  clickButton(input: ClickInput): Promise<BotAnswer & { responseUrl: string; payload: Record<string, unknown> }>;
  /** Stores the message, then sends `message` (and `app_mention` when it mentions the bot) events. */
  postUserMessage(input: UserMessageInput): Promise<{ ts: string; events: (BotAnswer & { eventId: string; type: string })[] }>;
  /** Sends the command; an ack body with text/blocks is shown like Slack shows it. */
  slashCommand(input: SlashCommandInput): Promise<BotAnswer & { responseUrl: string }>;
  /** Sends any event (`{ type, ... }`) wrapped in an event_callback envelope. */
  sendEvent(event: Record<string, unknown>): Promise<BotAnswer & { eventId: string }>;
  /** Sends an earlier event again with `X-Slack-Retry-Num` (Socket Mode: `retry_attempt`), as Slack does after a timeout. */
  resendEvent(eventId: string, retry?: { retryNum?: number; reason?: string }): Promise<BotAnswer>;
  /** Every request sent to the bot, oldest first. */
  botRequests: BotRequest[];
}

export interface PersonDeps extends BotTransportDeps {
  workspace: Workspace;
  identity: SandboxIdentity;
  responseUrls: ResponseUrls;
}

export type { BotAnswer, BotRequest } from './bot-transport.js';

const verificationToken = 'sandbox-verification-token';
const formType = 'application/x-www-form-urlencoded';

export function createPerson(deps: PersonDeps): SandboxPerson {
  const sentEvents = new Map<string, Record<string, unknown>>();
  let triggerCounter = 0;

  const { botRequests, send } = createBotTransport(deps);

  const userOf = (id: string): { id: string; name: string } => {
    const user = deps.workspace.users.get(id);
    if (!user) throw new Error(`slack sandbox: unknown user ${id}`);
    return user;
  };
  const channelOf = (id: string): { id: string; name: string } => {
    const channel = deps.workspace.findChannel(id);
    if (!channel) throw new Error(`slack sandbox: unknown channel ${id}`);
    return channel;
  };
  const nextTriggerId = (): string => `${++triggerCounter}.${Math.floor(deps.clock() / 1000)}.${randomUUID().slice(0, 8)}`;

  const sendEvent: SandboxPerson['sendEvent'] = async (event) => {
    const eventId = `Ev${randomUUID().replace(/-/g, '').slice(0, 10).toUpperCase()}`;
    const envelope = {
      token: verificationToken,
      team_id: deps.identity.teamId,
      api_app_id: deps.identity.appId,
      event,
      type: 'event_callback',
      event_id: eventId,
      event_time: Math.floor(deps.clock() / 1000),
      authorizations: [
        { enterprise_id: null, team_id: deps.identity.teamId, user_id: deps.identity.botUserId, is_bot: true, is_enterprise_install: false },
      ],
      is_ext_shared_channel: false,
    };
    sentEvents.set(eventId, envelope);
    const answer = await send(
      { kind: 'event', id: eventId, body: JSON.stringify(envelope), contentType: 'application/json' },
      { type: 'events_api', payload: envelope },
    );
    return { ...answer, eventId };
  };

  return {
    botRequests,
    sendEvent,
    async resendEvent(eventId, retry = {}) {
      const envelope = sentEvents.get(eventId);
      if (!envelope) throw new Error(`slack sandbox: no event ${eventId} was sent`);
      const retryNum = retry.retryNum ?? 1;
      return send(
        {
          kind: 'event',
          id: eventId,
          body: JSON.stringify(envelope),
          contentType: 'application/json',
          retryNum,
          ...(retry.reason ? { retryReason: retry.reason } : {}),
        },
        { type: 'events_api', payload: envelope, retryAttempt: retryNum, retryReason: retry.reason ?? 'timeout' },
      );
    },

    async postUserMessage(input) {
      userOf(input.user);
      const channel = channelOf(input.channel);
      let threadTs: string | undefined;
      let parentUser: string | undefined;
      if (input.threadTs) {
        const target = deps.workspace.findMessage(channel.id, input.threadTs);
        if (!target) throw new Error(`slack sandbox: no message ${input.threadTs} in ${channel.id}`);
        threadTs = target.thread_ts ?? target.ts;
        parentUser = deps.workspace.findMessage(channel.id, threadTs)?.user;
      }
      const message = deps.workspace.addMessage({
        channel: channel.id,
        user: input.user,
        text: input.text,
        ...(threadTs ? { thread_ts: threadTs } : {}),
      });
      const common = {
        user: input.user,
        text: input.text,
        ts: message.ts,
        channel: channel.id,
        event_ts: message.ts,
        team: deps.identity.teamId,
        ...(threadTs ? { thread_ts: threadTs } : {}),
      };
      const events: (BotAnswer & { eventId: string; type: string })[] = [];
      const asMessage = await sendEvent({
        type: 'message',
        client_msg_id: randomUUID(),
        channel_type: 'channel',
        ...common,
        ...(parentUser ? { parent_user_id: parentUser } : {}),
      });
      events.push({ ...asMessage, type: 'message' });
      if (input.text.includes(`<@${deps.identity.botUserId}>`)) {
        const asMention = await sendEvent({ type: 'app_mention', client_msg_id: randomUUID(), ...common });
        events.push({ ...asMention, type: 'app_mention' });
      }
      return { ts: message.ts, events };
    },

    async slashCommand(input) {
      const user = userOf(input.user);
      const channel = channelOf(input.channel);
      const command = input.command ?? '/k8s';
      const target = { kind: 'command' as const, channel: channel.id, user: user.id };
      const responseUrl = deps.responseUrls.create(target);
      const fields = {
        token: verificationToken,
        team_id: deps.identity.teamId,
        team_domain: deps.identity.teamDomain,
        channel_id: channel.id,
        channel_name: channel.name,
        user_id: user.id,
        user_name: user.name,
        command,
        text: input.text,
        api_app_id: deps.identity.appId,
        is_enterprise_install: 'false',
        response_url: responseUrl,
        trigger_id: nextTriggerId(),
      };
      const body = new URLSearchParams(fields).toString();
      const answer = await send({ kind: 'command', id: `${command} ${input.text}`, body, contentType: formType }, { type: 'slash_commands', payload: fields });
      showAckBody(deps, target, answer);
      return { ...answer, responseUrl };
    },

    async clickButton(input) {
      const user = userOf(input.user);
      const channel = channelOf(input.channel);
      const message = deps.workspace.findMessage(channel.id, input.messageTs);
      const ephemeral = message ? undefined : deps.workspace.findEphemeral(input.messageTs);
      const blocks = message?.blocks ?? ephemeral?.blocks;
      if (!message && !ephemeral) throw new Error(`slack sandbox: no message ${input.messageTs} in ${channel.id}`);
      const button = findButton(blocks ?? [], input.actionId, input.value);
      if (!button) throw new Error(`slack sandbox: no button ${input.actionId} in message ${input.messageTs}`);
      const threadTs = message?.thread_ts ?? ephemeral?.thread_ts;
      const target = {
        kind: 'action' as const,
        channel: channel.id,
        user: user.id,
        messageTs: input.messageTs,
        isEphemeral: !message,
        ...(threadTs && threadTs !== input.messageTs ? { threadTs } : {}),
      };
      const responseUrl = deps.responseUrls.create(target);
      const payload: Record<string, unknown> = {
        type: 'block_actions',
        user: { id: user.id, username: user.name, name: user.name, team_id: deps.identity.teamId },
        api_app_id: deps.identity.appId,
        token: verificationToken,
        container: {
          type: 'message',
          message_ts: input.messageTs,
          channel_id: channel.id,
          is_ephemeral: !message,
          ...(threadTs ? { thread_ts: threadTs } : {}),
        },
        trigger_id: nextTriggerId(),
        team: { id: deps.identity.teamId, domain: deps.identity.teamDomain },
        enterprise: null,
        is_enterprise_install: false,
        channel: { id: channel.id, name: channel.name },
        ...(message ? { message: structuredClone(message) } : {}),
        state: { values: {} },
        response_url: responseUrl,
        actions: [{ ...button, action_ts: `${(deps.clock() / 1000).toFixed(6)}` }],
      };
      const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
      const answer = await send({ kind: 'action', id: input.actionId, body, contentType: formType }, { type: 'interactive', payload });
      return { ...answer, responseUrl, payload };
    },
  };
}

/** Slack shows a command's ack body (JSON or plain text) to the person who ran it. */
function showAckBody(deps: PersonDeps, target: { kind: 'command'; channel: string; user: string }, answer: BotAnswer): void {
  if (answer.status !== 200 || answer.body.trim() === '') return;
  let json: unknown;
  try {
    json = JSON.parse(answer.body);
  } catch {
    deps.responseUrls.apply(target, { text: answer.body });
    return;
  }
  const parsed = ResponsePayload.safeParse(json);
  if (parsed.success && (parsed.data.text || parsed.data.blocks)) deps.responseUrls.apply(target, parsed.data);
}
