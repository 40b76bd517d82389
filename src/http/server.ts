import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Logger } from '../shared/logger.js';
import { AppError, toAppError } from '../shared/errors.js';
import { sendError } from './respond.js';

export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void> | void;

export interface Route {
  method: 'GET' | 'POST';
  path: string;
  handler: RouteHandler;
}

/**
 * Deckhand owns its one node:http server and routes by exact path; Bolt is mounted at
 * /slack/events through its HTTPReceiver's request listener (HTTP mode) or not at all
 * (Socket Mode). Why not Bolt's customRoutes: with Socket Mode the SocketModeReceiver
 * would run a second, differently configured HTTP server, and webhooks need raw bytes,
 * a 1 MiB limit and our JSON errors — one small router keeps all routes identical in
 * both modes and lets tests listen on port 0 and read the bound port.
 */
export function createHttpServer(options: { routes: Route[]; log: Logger }): Server {
  const { routes, log } = options;
  const byPath = new Map<string, Route[]>();
  for (const route of routes) byPath.set(route.path, [...(byPath.get(route.path) ?? []), route]);

  return createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const candidates = byPath.get(path);
    if (!candidates) {
      req.resume();
      sendError(res, new AppError('not_found', `no route for ${path}`));
      return;
    }
    const route = candidates.find((r) => r.method === req.method);
    if (!route) {
      req.resume();
      res.setHeader('allow', candidates.map((r) => r.method).join(', '));
      res.statusCode = 405;
      res.end();
      return;
    }
    Promise.resolve()
      .then(() => route.handler(req, res))
      .catch((err: unknown) => {
        const error = toAppError(err);
        log.error({ err: error, path }, 'http handler failed');
        if (!res.headersSent) sendError(res, error.code === 'internal' ? new AppError('internal', 'internal error') : error);
        else res.end();
      });
  });
}

/** Listens and resolves with the bound port (PORT=0 picks a free one). */
export function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => reject(err);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      const address = server.address();
      resolve(typeof address === 'object' && address !== null ? address.port : port);
    });
  });
}

/** Stops accepting connections, lets in-flight requests finish, then closes idle sockets. */
export async function closeServer(server: Server, graceMs = 5000): Promise<void> {
  if (!server.listening) return;
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const timer = setTimeout(() => server.closeAllConnections(), graceMs);
  timer.unref();
  await closed;
  clearTimeout(timer);
}
