import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { readBody } from '../../src/http/body.js';
import { isAppError } from '../../src/shared/errors.js';

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

/** A server that reads each body with `limit` and answers what readBody gave (or its error code), draining a refused rest. */
async function start(limit: number): Promise<number> {
  server = createServer((req, res) => {
    readBody(req, limit).then(
      (body) => res.writeHead(200).end(`ok ${body.length} ${body.toString('utf8').slice(0, 20)}`),
      (err: unknown) => {
        req.resume();
        res.writeHead(isAppError(err) && err.code === 'payload_too_large' ? 413 : 400).end(isAppError(err) ? err.code : String(err));
      },
    );
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

/** Sends `chunks` one by one (chunked encoding unless a length is declared) and reads the answer. */
function send(port: number, chunks: string[], headers: Record<string, string> = {}): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ port, host: '127.0.0.1', method: 'POST', path: '/', headers }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString('utf8')));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    for (const chunk of chunks) req.write(chunk);
    req.end();
  });
}

describe('readBody', () => {
  it('returns the raw bytes of a body sent in several chunks', async () => {
    const port = await start(1000);
    expect(await send(port, ['{"a":', '1', '}'])).toEqual({ status: 200, text: 'ok 7 {"a":1}' });
    expect(await send(port, [])).toEqual({ status: 200, text: 'ok 0 ' });
  });

  it('refuses a declared length over the limit before reading anything', async () => {
    const port = await start(10);
    const answer = await send(port, ['x'.repeat(11)], { 'content-length': '11' });
    expect(answer).toEqual({ status: 413, text: 'payload_too_large' });
  });

  it('refuses a chunked body once it passes the limit, and the client still reads the answer', async () => {
    const port = await start(10);
    const answer = await send(port, ['x'.repeat(6), 'y'.repeat(6), 'z'.repeat(64 * 1024)]);
    expect(answer).toEqual({ status: 413, text: 'payload_too_large' });
    // The connection is still usable for the next body.
    expect((await send(port, ['ok'])).status).toBe(200);
  });
});
