import type { ServerResponse } from 'node:http';
import { type AppError, httpStatusOf } from '../shared/errors.js';

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

export function sendText(res: ServerResponse, status: number, text: string, contentType = 'text/plain; charset=utf-8'): void {
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** The one JSON error shape of every Deckhand HTTP endpoint: `{ error: { code, message } }`. */
export function sendError(res: ServerResponse, error: AppError): void {
  const status = httpStatusOf(error);
  const headers: Record<string, string> = {};
  if (error.code === 'unavailable') headers['retry-after'] = '5';
  const text = JSON.stringify({ error: { code: error.code, message: error.message } });
  res.writeHead(status, { ...headers, 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
