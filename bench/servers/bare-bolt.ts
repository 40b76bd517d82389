import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, HTTPReceiver, LogLevel } from '@slack/bolt';
import * as z from 'zod';
import { maxBodyBytes } from '../../src/http/body.js';
import { runChild } from '../lib/child-protocol.js';

/**
 * The baseline of figure 4: a bare Bolt app behind node:http at the same path
 * (/slack/events), with the same receiver settings and request signing as Deckhand's,
 * whose listeners only ack.
 */
const BareBoltConfig = z.object({ signingSecret: z.string().min(1) });

const quietLogger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  setLevel: () => undefined,
  getLevel: () => LogLevel.ERROR,
  setName: () => undefined,
};

runChild(BareBoltConfig, async ({ signingSecret }) => {
  const receiver = new HTTPReceiver({ signingSecret, endpoints: ['/slack/events'], logger: quietLogger, bodyLimit: maxBodyBytes, processBeforeResponse: false });
  const app = new App({
    receiver,
    logger: quietLogger,
    authorize: () => Promise.resolve({ botToken: 'xoxb-bench', botUserId: 'UBOT', botId: 'BBOT' }),
  });
  app.action(/.*/, async ({ ack }) => {
    await ack();
  });
  app.command(/.*/, async ({ ack }) => {
    await ack();
  });
  const server = createServer((req, res) => {
    if (req.method === 'POST' && req.url === '/slack/events') receiver.requestListener(req, res);
    else res.writeHead(404).end();
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
