import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import * as z from 'zod';
import type { Logger } from '../shared/product.js';
import { fail, type ApiResult, type SandboxIdentity } from './web-api-context.js';

export type EnvelopeType = 'events_api' | 'interactive' | 'slash_commands';

/** One envelope as Slack sends it over a Socket Mode connection. */
export interface SocketEnvelope {
  envelope_id: string;
  type: EnvelopeType;
  payload: Record<string, unknown>;
  accepts_response_payload: boolean;
  /** events_api only: 0 on the first delivery. */
  retry_attempt?: number;
  /** events_api only: '' on the first delivery. */
  retry_reason?: string;
}

/** What the bot sent back over the socket: `{ envelope_id, payload? }`. */
export interface SocketAck {
  envelope_id: string;
  payload?: Record<string, unknown>;
  at: number;
}

/** One envelope the sandbox sent, and the bot's ack if one came in time. */
export interface SocketDelivery {
  envelope: SocketEnvelope;
  sentAt: number;
  ack?: SocketAck;
}

export interface EnvelopeInput {
  type: EnvelopeType;
  payload: Record<string, unknown>;
  retryAttempt?: number;
  retryReason?: string;
}

/** The sandbox's side of Socket Mode, as the person and tests see it. */
export interface SandboxSocketMode {
  /** True when the sandbox runs in Socket Mode (option `socketMode`). */
  readonly enabled: boolean;
  /** Open WebSocket connections (one whose close handshake has begun no longer counts). */
  connections(): number;
  /** Every envelope sent, oldest first. */
  readonly deliveries: SocketDelivery[];
  /** Every ack received (also ones for unknown envelopes), oldest first. */
  readonly acks: SocketAck[];
  /** Sends `{ type: 'disconnect', reason }` to every connection, as Slack does before recycling a link. */
  disconnect(reason?: 'warning' | 'refresh_requested' | 'link_disabled'): void;
}

export interface SocketModeServer extends SandboxSocketMode {
  /** `apps.connections.open`: a one-use WebSocket URL on the sandbox's own server. */
  open(): ApiResult;
  /** Handles an HTTP upgrade; false when it is not for the socket path. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean;
  /** True when an envelope can go over a socket now. */
  active(): boolean;
  /** Sends an envelope to the newest connection; resolves with the ack, or without one after the ack timeout. */
  deliver(input: EnvelopeInput): Promise<SocketDelivery>;
  reset(): void;
  close(): Promise<void>;
}

export interface SocketModeDeps {
  enabled: boolean;
  identity: SandboxIdentity;
  baseUrl: () => string;
  clock: () => number;
  log: Logger;
  /** How long to wait for an ack; Slack gives up after 3 s. */
  ackTimeoutMs?: number;
}

const socketPath = '/socket';

const AckMessage = z.object({
  envelope_id: z.string().min(1),
  payload: z.record(z.string(), z.unknown()).optional(),
});

/** Socket Mode like Slack's: ticketed URLs, a `hello` on connect, envelopes out, acks in. */
export function createSocketMode(deps: SocketModeDeps): SocketModeServer {
  const wss = new WebSocketServer({ noServer: true });
  const tickets = new Set<string>();
  const open: WebSocket[] = [];
  const deliveries: SocketDelivery[] = [];
  const acks: SocketAck[] = [];
  const pending = new Map<string, { socket: WebSocket; settle: (ack: SocketAck | undefined) => void }>();
  const ackTimeoutMs = deps.ackTimeoutMs ?? 3000;

  const onMessage = (data: RawData, isBinary: boolean): void => {
    if (isBinary) return;
    let json: unknown;
    try {
      json = JSON.parse(rawText(data));
    } catch {
      deps.log.debug('slack sandbox socket message is not json');
      return;
    }
    const parsed = AckMessage.safeParse(json);
    if (!parsed.success) {
      deps.log.debug('slack sandbox socket message is not an ack');
      return;
    }
    const ack: SocketAck = { envelope_id: parsed.data.envelope_id, ...(parsed.data.payload ? { payload: parsed.data.payload } : {}), at: deps.clock() };
    acks.push(ack);
    pending.get(ack.envelope_id)?.settle(ack);
  };

  const onConnection = (socket: WebSocket): void => {
    open.push(socket);
    socket.on('message', onMessage);
    socket.on('error', (err) => deps.log.debug({ err: err.message }, 'slack sandbox socket error'));
    socket.on('close', () => {
      const index = open.indexOf(socket);
      if (index >= 0) open.splice(index, 1);
      // Whatever was sent on this connection will not be acked any more.
      for (const entry of [...pending.values()]) if (entry.socket === socket) entry.settle(undefined);
    });
    const hello = {
      type: 'hello',
      num_connections: live().length,
      debug_info: { host: 'applink-sandbox', build_number: 1, approximate_connection_time: 18060 },
      connection_info: { app_id: deps.identity.appId },
    };
    socket.send(JSON.stringify(hello));
    deps.log.debug({ connections: live().length }, 'slack sandbox socket connected');
  };

  const live = (): WebSocket[] => open.filter((s) => s.readyState === s.OPEN);

  return {
    enabled: deps.enabled,
    deliveries,
    acks,
    connections: () => live().length,
    active: () => deps.enabled && live().length > 0,

    open() {
      if (!deps.enabled) {
        deps.log.warn('slack sandbox socket mode is off: apps.connections.open refused');
        return fail('invalid_auth');
      }
      const ticket = randomBytes(16).toString('hex');
      tickets.add(ticket);
      const ws = deps.baseUrl().replace(/^http/, 'ws');
      return { ok: true, url: `${ws}${socketPath}?ticket=${ticket}&app_id=${deps.identity.appId}` };
    },

    handleUpgrade(req, socket, head) {
      const url = new URL(req.url ?? '/', 'http://sandbox.invalid');
      if (url.pathname !== socketPath) return false;
      const ticket = url.searchParams.get('ticket') ?? '';
      if (!deps.enabled || !tickets.delete(ticket)) {
        socket.end('HTTP/1.1 401 Unauthorized\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
        return true;
      }
      wss.handleUpgrade(req, socket, head, onConnection);
      return true;
    },

    deliver(input) {
      const socket = live().at(-1);
      if (!deps.enabled || !socket) return Promise.reject(new Error('slack sandbox: no Socket Mode connection'));
      const envelope: SocketEnvelope = {
        envelope_id: randomUUID(),
        type: input.type,
        payload: input.payload,
        accepts_response_payload: input.type === 'slash_commands',
        ...(input.type === 'events_api' ? { retry_attempt: input.retryAttempt ?? 0, retry_reason: input.retryReason ?? '' } : {}),
      };
      const delivery: SocketDelivery = { envelope, sentAt: deps.clock() };
      deliveries.push(delivery);
      return new Promise<SocketDelivery>((resolve) => {
        const timer = setTimeout(() => settle(undefined), ackTimeoutMs);
        const settle = (ack: SocketAck | undefined): void => {
          clearTimeout(timer);
          pending.delete(envelope.envelope_id);
          if (ack) delivery.ack = ack;
          resolve(delivery);
        };
        pending.set(envelope.envelope_id, { socket, settle });
        socket.send(JSON.stringify(envelope), (err) => {
          if (err) settle(undefined);
        });
      });
    },

    disconnect(reason = 'refresh_requested') {
      const message = JSON.stringify({ type: 'disconnect', reason, debug_info: { host: 'applink-sandbox' } });
      for (const socket of open) socket.send(message);
    },

    reset() {
      deliveries.length = 0;
      acks.length = 0;
    },

    async close() {
      tickets.clear();
      for (const entry of [...pending.values()]) entry.settle(undefined);
      const closing = [...open].map((socket) => new Promise<void>((resolve) => socket.once('close', () => resolve())));
      for (const socket of [...open]) socket.terminate();
      await Promise.all(closing);
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data as ArrayBuffer).toString('utf8');
}
