import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as z from 'zod';
import { verifyPagerDutySignature } from '../../src/intake/pagerduty/verify.js';
import { runChild } from '../lib/child-protocol.js';

/**
 * The floor of figure 1: a bare node:http server that reads the body, checks
 * X-PagerDuty-Signature with the product's own verifier and answers 200. Nothing else.
 */
const FloorConfig = z.object({ secret: z.string().min(1) });

runChild(FloorConfig, async ({ secret }) => {
  const secrets = [secret];
  const server = createServer((req, res) => {
    if (req.method !== 'POST' || req.url !== '/webhooks/pagerduty') {
      res.writeHead(404).end();
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const header = req.headers['x-pagerduty-signature'];
      const ok = verifyPagerDutySignature(Buffer.concat(chunks), Array.isArray(header) ? header[0] : header, secrets);
      res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' }).end(ok ? '{"ok":true}' : '{"ok":false}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
});
