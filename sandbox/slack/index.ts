import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { createSilentLogger } from '../shared/product.js';
import { BodyTooLargeError, decodeUpload, readRawBody, sendJson, sendText } from './http-body.js';
import { createPerson, type SandboxPerson } from './person.js';
import { createResponseUrls } from './response-url.js';
import { createSocketMode, type SandboxSocketMode } from './socket-mode.js';
import {
  defaultChannels,
  defaultUsers,
  type FailRule,
  type RecordedCall,
  type SandboxEphemeral,
  type SandboxMessage,
  type SlackSandboxOptions,
} from './types.js';
import { handleUi } from './ui-routes.js';
import { handleWebApi } from './web-api.js';
import type { ApiContext, SandboxIdentity } from './web-api-context.js';
import { createWorkspace, type Workspace } from './workspace.js';

export { signSlackRequest, type SlackSignatureHeaders } from './signing.js';
export type { BotAnswer, BotRequest, ClickInput, SandboxPerson, SlashCommandInput, UserMessageInput } from './person.js';
export { supportedMethods } from './web-api.js';
export type { EnvelopeType, SandboxSocketMode, SocketAck, SocketDelivery, SocketEnvelope } from './socket-mode.js';
export type * from './types.js';
export { defaultChannels, defaultUsers } from './types.js';

export interface SlackSandbox extends SandboxPerson {
  /** Base URL, e.g. http://127.0.0.1:4010 (no trailing slash). */
  url: string;
  /** `${url}/api/`: what SLACK_API_URL / slackApiUrl is set to. */
  apiUrl: string;
  /** Every Web API call and response_url POST (method `response_url`), oldest first. */
  calls: RecordedCall[];
  /** The bot as auth.test reports it. */
  identity: SandboxIdentity;
  signingSecret: string;
  /** The app-level token (`xapp-…`) `apps.connections.open` accepts. */
  appToken: string;
  /** Socket Mode: live connections, envelopes sent and the bot's acks. */
  socketMode: SandboxSocketMode;
  /** Makes the next matching call(s) fail: an HTTP 429/500/503, or 200 `{ ok:false, error }`. */
  failNext(rule: FailRule): void;
  /** Top-level messages and replies, oldest first (copies). */
  messages(channel?: string): SandboxMessage[];
  /** Root then replies, oldest first; empty when there is no such message. */
  thread(channel: string, ts: string): SandboxMessage[];
  ephemerals(channel?: string): SandboxEphemeral[];
  setBotUrl(url: string): void;
  botUrl(): string | undefined;
  /** Forgets messages, ephemerals, files, calls, deliveries and fail rules; keeps users, channels and connections. */
  reset(): void;
  close(): Promise<void>;
  /** The live workspace (for the UI and the simulated person). */
  workspace: Workspace;
}

/** Starts the local Slack sandbox: a fake Slack Web API, its web page and (optionally) Socket Mode. */
export async function startSlackSandbox(options: SlackSandboxOptions = {}): Promise<SlackSandbox> {
  const clock = options.clock ?? Date.now;
  const log = options.log ?? createSilentLogger();
  const identity: SandboxIdentity = {
    teamId: options.teamId ?? 'TSANDBOX',
    teamDomain: options.teamDomain ?? 'deckhand-sandbox',
    botUserId: options.botUserId ?? 'UBOT',
    botId: options.botId ?? 'BBOT',
    botName: options.botName ?? 'deckhand',
    appId: 'ADECKHAND',
  };
  const botUser = { id: identity.botUserId, name: identity.botName, realName: 'Deckhand', isBot: true };
  const users = [...(options.users ?? defaultUsers)];
  if (!users.some((u) => u.id === botUser.id)) users.push(botUser);
  const workspace = createWorkspace({
    users,
    channels: options.channels ?? defaultChannels,
    usergroups: options.usergroups ?? [],
    clock,
  });
  let baseUrl = '';
  let botUrl = options.botUrl;
  const calls: RecordedCall[] = [];
  const failRules: FailRule[] = [];
  const ctx: ApiContext = { workspace, identity, baseUrl: () => baseUrl, clock };
  const responseUrls = createResponseUrls({ workspace, identity, clock, baseUrl: () => baseUrl });
  const signingSecret = options.signingSecret ?? 'sandbox-signing-secret';
  const appToken = options.appToken ?? 'xapp-sandbox';
  const socket = createSocketMode({
    enabled: options.socketMode ?? false,
    identity,
    baseUrl: () => baseUrl,
    clock,
    log,
    ...(options.ackTimeoutMs === undefined ? {} : { ackTimeoutMs: options.ackTimeoutMs }),
  });
  const person = createPerson({ workspace, identity, responseUrls, signingSecret, botUrl: () => botUrl, socket, clock, log });
  const uiDeps = { workspace, identity, person, botUrl: () => botUrl, title: options.title ?? 'Deckhand sandbox' };
  const deps = {
    ctx,
    botToken: options.botToken ?? 'xoxb-sandbox',
    appToken,
    appLevel: { 'apps.connections.open': () => socket.open() },
    calls,
    failRules,
    log,
  };

  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://sandbox.invalid');
    const path = url.pathname;
    if (req.method === 'POST' && path.startsWith('/api/')) {
      await handleWebApi(deps, decodeURIComponent(path.slice('/api/'.length)), req, res);
      return;
    }
    const upload = /^\/upload\/([A-Za-z0-9]+)$/.exec(path);
    if (req.method === 'POST' && upload?.[1]) {
      const file = workspace.files.get(upload[1]);
      const raw = await readRawBody(req);
      if (!file) {
        sendText(res, 404, 'file_not_found');
        return;
      }
      file.content = (await decodeUpload(raw, req.headers['content-type'])).toString('utf8');
      sendText(res, 200, `OK - ${file.content.length}`);
      return;
    }
    const response = /^\/response\/(?:commands|actions)\/([a-f0-9]+)$/.exec(path);
    if (req.method === 'POST' && response?.[1]) {
      const raw = (await readRawBody(req)).toString('utf8');
      let body: unknown;
      try {
        body = JSON.parse(raw);
      } catch {
        sendText(res, 400, 'invalid_payload');
        return;
      }
      const outcome = responseUrls.handle(response[1], body);
      calls.push({
        method: 'response_url',
        args: typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {},
        token: undefined,
        status: outcome.status,
        ok: outcome.status === 200,
        ...(outcome.status === 200 ? {} : { error: outcome.body }),
        at: clock(),
      });
      sendText(res, outcome.status, outcome.body);
      return;
    }
    if (await handleUi(uiDeps, req, res, url)) return;
    sendJson(res, 404, { ok: false, error: 'not_found' });
  };

  const server = createServer((req, res) => {
    route(req, res).catch((err: unknown) => {
      if (err instanceof BodyTooLargeError) {
        if (!res.headersSent) sendText(res, 413, 'request_too_large');
        return;
      }
      log.error({ err, path: req.url }, 'slack sandbox request failed');
      if (!res.headersSent) sendJson(res, 500, { ok: false, error: 'internal_error' });
    });
  });
  server.on('upgrade', (req: IncomingMessage, stream: Duplex, head: Buffer) => {
    if (!socket.handleUpgrade(req, stream, head)) stream.end('HTTP/1.1 404 Not Found\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  baseUrl = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${address.port}`;
  log.info({ url: baseUrl }, 'slack sandbox listening');

  return {
    url: baseUrl,
    apiUrl: `${baseUrl}/api/`,
    calls,
    identity,
    signingSecret,
    appToken,
    socketMode: {
      enabled: socket.enabled,
      deliveries: socket.deliveries,
      acks: socket.acks,
      connections: () => socket.connections(),
      disconnect: (reason) => socket.disconnect(reason),
    },
    ...person,
    workspace,
    failNext(rule) {
      failRules.push({ ...rule });
    },
    messages: (channel) => structuredClone(workspace.messages(channel)),
    thread: (channel, ts) => structuredClone(workspace.thread(channel, ts)),
    ephemerals: (channel) => structuredClone(workspace.ephemerals(channel)),
    setBotUrl(url) {
      botUrl = url;
    },
    botUrl: () => botUrl,
    reset() {
      workspace.reset();
      responseUrls.reset();
      calls.length = 0;
      failRules.length = 0;
      person.botRequests.length = 0;
      socket.reset();
    },
    async close() {
      // Upgraded sockets are not the HTTP server's to close: end them first, or close never finishes.
      await socket.close();
      return new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      });
    },
  };
}
