import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { App, HTTPReceiver, LogLevel, SocketModeReceiver, type Logger as BoltLogger } from '@slack/bolt';
import { maxBodyBytes } from '../http/body.js';
import { AppError } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';
import type { SlackClient } from './client.js';

export interface SlackApp {
  readonly app: App;
  readonly mode: 'http' | 'socket';
  /** HTTP mode: the listener to mount at /slack/events. Undefined in Socket Mode. */
  readonly requestListener: RequestListener | undefined;
  /** Socket Mode: connects the WebSocket. HTTP mode: nothing (our server serves Bolt). */
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** The Slack settings of the environment (contract: SLACK_*). */
export interface SlackEnv {
  SLACK_BOT_TOKEN: string;
  SLACK_API_URL: string;
  SLACK_APP_TOKEN?: string | undefined;
  SLACK_SIGNING_SECRET?: string | undefined;
}

export interface CreateSlackAppOptions {
  env: SlackEnv;
  log: Logger;
  slack: SlackClient;
  /**
   * Hold the HTTP answer until listeners finish. Off in production (Slack wants a reply
   * within 3 s); tests may turn it on so that side effects precede the response.
   */
  processBeforeResponse?: boolean;
  /** Milliseconds since the epoch, for the request-timestamp check. */
  now?: () => number;
}

/** Slack's replay window: a signed request more than this far from now is refused, either way. */
export const slackTimestampToleranceSeconds = 300;

/**
 * Builds the Bolt App. We construct the receiver ourselves: in HTTP mode Bolt never
 * listens (our router mounts `receiver.requestListener`), in Socket Mode the receiver
 * gets the same SLACK_API_URL as everything else. `authorize` runs auth.test lazily and
 * caches only a success, so a Slack outage at start-up neither crashes the process (Bolt's
 * eager auth.test rejects unhandled) nor sticks.
 */
export function createSlackApp(options: CreateSlackAppOptions): SlackApp {
  const { env, log, slack } = options;
  const logger = boltLogger(log);
  const clientOptions = { slackApiUrl: env.SLACK_API_URL, retryConfig: { retries: 0 } };

  let identity: Promise<{ botUserId: string; botId: string }> | undefined;
  const authorize = async () => {
    identity ??= slack.authTest().then((result) => {
      if (!result.ok) throw new AppError('upstream', `slack auth.test failed: ${result.message}`);
      return { botUserId: result.userId, botId: result.botId };
    });
    try {
      return { botToken: env.SLACK_BOT_TOKEN, ...(await identity) };
    } catch (err) {
      identity = undefined;
      throw err;
    }
  };

  if (env.SLACK_APP_TOKEN) {
    // No `retries: 0` here: the Socket Mode client retries apps.connections.open by its own
    // policy. Without retries one failed call aborts start-up, and while reconnecting it
    // becomes an unhandled rejection inside @slack/socket-mode, which ends the process.
    const socketClientOptions = { slackApiUrl: env.SLACK_API_URL };
    const receiver = new SocketModeReceiver({ appToken: env.SLACK_APP_TOKEN, logger, installerOptions: { clientOptions: socketClientOptions } });
    const app = new App({ receiver, authorize, logger, clientOptions, extendedErrorHandler: true });
    attachErrorHandler(app, log);
    return {
      app,
      mode: 'socket',
      requestListener: undefined,
      start: async () => {
        await app.start();
      },
      // Bolt's receiver.stop() starts the close handshake without waiting for it; the
      // client's disconnect() resolves once the socket is closed.
      stop: () => receiver.client.disconnect(),
    };
  }

  if (!env.SLACK_SIGNING_SECRET) throw new AppError('config_invalid', 'SLACK_SIGNING_SECRET is required in HTTP mode', { retryable: false });
  const receiver = new HTTPReceiver({
    signingSecret: env.SLACK_SIGNING_SECRET,
    endpoints: ['/slack/events'],
    logger,
    bodyLimit: maxBodyBytes,
    processBeforeResponse: options.processBeforeResponse ?? false,
  });
  const app = new App({ receiver, authorize, logger, clientOptions, extendedErrorHandler: true });
  attachErrorHandler(app, log);
  return {
    app,
    mode: 'http',
    requestListener: (req, res) => {
      // Bolt refuses timestamps more than 5 minutes old but accepts any in the future, so a
      // request signed ahead of time could be replayed for as long as the signer chose.
      if (isFromTheFuture(req.headers['x-slack-request-timestamp'], (options.now ?? Date.now)())) {
        log.warn({ component: 'slack' }, 'slack request refused: timestamp in the future');
        refuse(req, res);
        return;
      }
      receiver.requestListener(req, res);
    },
    start: () => Promise.resolve(),
    stop: () => Promise.resolve(),
  };
}

/** True when Slack's signed timestamp lies more than the tolerance ahead of `nowMs`. */
export function isFromTheFuture(header: string | string[] | undefined, nowMs: number): boolean {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined || !/^\d+$/.test(value)) return false; // Bolt refuses these itself.
  return Number(value) - Math.floor(nowMs / 1000) > slackTimestampToleranceSeconds;
}

/** 401 like Bolt's answer to a stale request; the body is drained, not read. */
function refuse(req: IncomingMessage, res: ServerResponse): void {
  req.resume();
  res.writeHead(401, { 'content-type': 'text/plain; charset=utf-8', connection: 'close' });
  res.end('');
}

function attachErrorHandler(app: App, log: Logger): void {
  app.error(async ({ error }: { error: Error & { code?: string } }) => {
    log.error({ code: error.code, err: error.message }, 'slack listener failed');
    return Promise.resolve();
  });
}

/** Bolt logs through pino, at pino's level; Bolt's messages go in a data field. */
function boltLogger(log: Logger): BoltLogger {
  const child = log.child({ component: 'bolt' });
  const text = (msg: unknown[]) => msg.map((m) => (m instanceof Error ? m.message : typeof m === 'string' ? m : JSON.stringify(m))).join(' ');
  return {
    debug: (...msg: unknown[]) => child.debug({ detail: text(msg) }, 'bolt'),
    info: (...msg: unknown[]) => child.info({ detail: text(msg) }, 'bolt'),
    warn: (...msg: unknown[]) => child.warn({ detail: text(msg) }, 'bolt'),
    error: (...msg: unknown[]) => child.error({ detail: text(msg) }, 'bolt'),
    setLevel: () => undefined,
    getLevel: () => LogLevel.INFO,
    setName: () => undefined,
  };
}
