import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import * as z from 'zod';
import { verifyPagerDutySignature } from '../../src/intake/pagerduty/verify.js';
import { runChild } from '../lib/child-protocol.js';

/**
 * The floors of figure 1: a bare node:http server that reads the body, checks
 * X-PagerDuty-Signature with the product's own verifier and answers 200. Nothing else —
 * or, as the durable floor (`redis` given), after one Redis write of the body (RPUSH, one
 * round trip, on the bench's Redis with AOF): the least any server must do before it may
 * say a webhook is durably queued, which is what the contract asks of Deckhand.
 */
const FloorConfig = z.object({ secret: z.string().min(1), redis: z.object({ url: z.string(), key: z.string() }).optional() });

runChild(FloorConfig, async ({ secret, redis: durable }) => {
  const secrets = [secret];
  const redis = durable ? new Redis(durable.url, { maxRetriesPerRequest: 1 }) : undefined;
  const answer = (res: ServerResponse, ok: boolean) =>
    res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' }).end(ok ? '{"ok":true}' : '{"ok":false}');
  const server = createServer((req, res) => {
    if (req.method !== 'POST' || req.url !== '/webhooks/pagerduty') {
      res.writeHead(404).end();
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const header = req.headers['x-pagerduty-signature'];
      const body = Buffer.concat(chunks);
      const ok = verifyPagerDutySignature(body, Array.isArray(header) ? header[0] : header, secrets);
      if (!ok || !redis || !durable) {
        answer(res, ok);
        return;
      }
      redis.rpush(durable.key, body).then(
        () => answer(res, true),
        () => res.writeHead(503).end(),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    stop: async () => {
      await new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
      redis?.disconnect();
    },
  };
});
