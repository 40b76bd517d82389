import type { IncomingMessage } from 'node:http';
import { AppError } from '../shared/errors.js';

/** The contract's limit for every webhook body. */
export const maxBodyBytes = 1024 * 1024;

/**
 * Reads a request body as raw bytes (signatures are computed over them). Stops reading as
 * soon as the body is known to exceed `limit` — from Content-Length or while streaming —
 * and throws AppError('payload_too_large'); the caller answers 413 and closes the connection.
 */
export async function readBody(req: IncomingMessage, limit = maxBodyBytes): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw tooLarge(limit);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size);
}

function tooLarge(limit: number): AppError {
  return new AppError('payload_too_large', `request body exceeds ${limit} bytes`, { details: { limit } });
}
