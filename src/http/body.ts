import type { IncomingMessage } from 'node:http';
import { AppError } from '../shared/errors.js';

/** The contract's limit for every webhook body. */
export const maxBodyBytes = 1024 * 1024;

/**
 * Reads a request body as raw bytes (signatures are computed over them). Stops reading as
 * soon as the body is known to exceed `limit` — from Content-Length or while streaming —
 * and throws AppError('payload_too_large'); the caller answers 413 and closes the connection
 * (the rest of the body is left unread in the stream, paused, for the caller to drain).
 * Listens to the stream's events rather than iterating it: an async iterator costs several
 * promises and a stream wrapper per request on the webhook path.
 */
export function readBody(req: IncomingMessage, limit = maxBodyBytes): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.reject(tooLarge(limit));
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        done();
        req.pause();
        reject(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      done();
      const [only] = chunks;
      resolve(chunks.length === 1 && only ? only : Buffer.concat(chunks, size));
    };
    const onError = (err: Error) => {
      done();
      reject(err);
    };
    // Closed before its end: the client went away mid-upload.
    const onClose = () => {
      done();
      reject(new AppError('bad_request', 'the request ended before its body was complete'));
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
}

function tooLarge(limit: number): AppError {
  return new AppError('payload_too_large', `request body exceeds ${limit} bytes`, { details: { limit } });
}
