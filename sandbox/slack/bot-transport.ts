import type { Logger } from '../shared/product.js';
import { signSlackRequest } from './signing.js';
import type { EnvelopeInput, SocketModeServer } from './socket-mode.js';

/**
 * One delivery to the bot and what it answered: a signed HTTP request, or in Socket Mode an
 * envelope (`body` is the envelope's JSON; status 200 once acked, 0 without an ack, and
 * `responseBody` the ack's payload as JSON, '' when empty).
 */
export interface BotRequest {
  kind: 'event' | 'command' | 'action';
  transport: 'http' | 'socket';
  /** Event id for events; command text or action id otherwise. */
  id: string;
  body: string;
  contentType: string;
  retryNum?: number;
  status: number;
  responseBody: string;
  at: number;
}

export interface BotAnswer {
  status: number;
  body: string;
}

export interface BotTransportDeps {
  signingSecret: string;
  botUrl: () => string | undefined;
  /** Socket Mode: used instead of HTTP while `active()`. */
  socket?: Pick<SocketModeServer, 'active' | 'deliver'>;
  clock: () => number;
  log: Logger;
  /** Signature timestamps use real time: the bot checks them against its own clock. */
  now?: () => number;
}

/** What to deliver: the HTTP form (signed body) and, for Socket Mode, the envelope. */
export type Outgoing = Omit<BotRequest, 'transport' | 'status' | 'responseBody' | 'at'> & { retryReason?: string };

export interface BotTransport {
  botRequests: BotRequest[];
  /** Over the socket while the bot holds one, else signed HTTP to the bot url. */
  send: (request: Outgoing, envelope: EnvelopeInput) => Promise<BotAnswer>;
}

/** How the sandbox reaches the bot, like Slack: signed HTTP requests, or Socket Mode envelopes. */
export function createBotTransport(deps: BotTransportDeps): BotTransport {
  const botRequests: BotRequest[] = [];
  const now = deps.now ?? Date.now;

  const sendHttp = async (request: Outgoing): Promise<BotAnswer> => {
    const url = deps.botUrl();
    if (!url) throw new Error('slack sandbox: no bot url set (setBotUrl) and no Socket Mode connection');
    const headers: Record<string, string> = {
      'content-type': request.contentType,
      ...signSlackRequest(deps.signingSecret, request.body, Math.floor(now() / 1000)),
    };
    if (request.retryNum !== undefined) {
      headers['x-slack-retry-num'] = String(request.retryNum);
      headers['x-slack-retry-reason'] = request.retryReason ?? 'http_timeout';
    }
    let answer: BotAnswer;
    try {
      const res = await fetch(url, { method: 'POST', headers, body: request.body });
      answer = { status: res.status, body: await res.text() };
    } catch (err) {
      deps.log.warn({ err, kind: request.kind }, 'slack sandbox could not reach the bot');
      answer = { status: 0, body: '' };
    }
    const { retryReason: _reason, ...recorded } = request;
    botRequests.push({ ...recorded, transport: 'http', status: answer.status, responseBody: answer.body, at: deps.clock() });
    return answer;
  };

  const sendSocket = async (socket: NonNullable<BotTransportDeps['socket']>, request: Outgoing, envelope: EnvelopeInput): Promise<BotAnswer> => {
    const delivery = await socket.deliver(envelope);
    const payload = delivery.ack?.payload;
    const answer: BotAnswer = delivery.ack
      ? { status: 200, body: payload && Object.keys(payload).length > 0 ? JSON.stringify(payload) : '' }
      : { status: 0, body: '' };
    if (!delivery.ack) deps.log.warn({ kind: request.kind }, 'slack sandbox got no ack over the socket');
    const { retryReason: _reason, ...recorded } = request;
    botRequests.push({
      ...recorded,
      transport: 'socket',
      body: JSON.stringify(delivery.envelope),
      contentType: 'application/json',
      status: answer.status,
      responseBody: answer.body,
      at: deps.clock(),
    });
    return answer;
  };

  const send = (request: Outgoing, envelope: EnvelopeInput): Promise<BotAnswer> =>
    deps.socket?.active() ? sendSocket(deps.socket, request, envelope) : sendHttp(request);

  return { botRequests, send };
}
