import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createHttpServer, listen, closeServer } from '../../src/http/server.js';
import type { AcceptOutcome } from '../../src/intake/accept.js';
import { createIngestRoutes } from '../../src/intake/routes.js';
import { createMetrics } from '../../src/metrics/metrics.js';
import { createLogger, type Logger } from '../../src/shared/logger.js';
import type { Config } from '../../src/core/config/load.js';
import type { Server } from 'node:http';
import { signPagerDuty } from '../helpers/signers.js';
import { fixture } from '../helpers/app.js';

const secret = 'pd-routes-test-secret';
let server: Server | undefined;
afterEach(async () => {
  if (server) await closeServer(server, 100);
  server = undefined;
});

/** The webhook routes alone, with an accept that answers `outcome` and a logger that records its lines and children. */
async function start(outcome: AcceptOutcome, level = 'info') {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const root = createLogger({ level, destination });
  const children: unknown[] = [];
  const log = Object.create(root, {
    child: { value: (bindings: Record<string, unknown>) => (children.push(bindings), root.child(bindings)) },
  }) as Logger;
  const config = { env: { PAGERDUTY_WEBHOOK_SECRETS: [secret] }, file: { pagerduty: { services: {} } } } as unknown as Config;
  const routes = createIngestRoutes({ config, accept: () => Promise.resolve({ outcome }), metrics: createMetrics(), log, clock: Date.now });
  server = createHttpServer({ routes, log });
  const port = await listen(server, 0, '127.0.0.1');
  const post = async (raw: string, signature = signPagerDuty(raw, secret)) => {
    const res = await fetch(`http://127.0.0.1:${port}/webhooks/pagerduty`, { method: 'POST', body: raw, headers: { 'x-pagerduty-signature': signature, 'x-webhook-id': 'wh-42' } });
    return { status: res.status, json: (await res.json()) as Record<string, unknown> };
  };
  return { post, lines, children };
}

describe('webhook routes: logging', () => {
  const raw = JSON.stringify(fixture('pagerduty/incident-triggered.json'));

  it('logs nothing and makes no request logger for a repeat it only records', async () => {
    const app = await start('unchanged');
    expect(await app.post(raw)).toEqual({ status: 202, json: { ok: true, outcome: 'unchanged' } });
    expect(app.lines).toEqual([]);
    expect(app.children).toEqual([]);
  });

  it('logs a queued delivery and a refusal with the source and the delivery id', async () => {
    const app = await start('queued');
    expect(await app.post(raw)).toEqual({ status: 202, json: { ok: true, outcome: 'queued' } });
    expect((await app.post(raw, signPagerDuty(raw, 'wrong'))).status).toBe(401);
    expect(app.lines.map((l) => [l.msg, l.source, l.webhookId])).toEqual([
      ['webhook queued', 'pagerduty', 'wh-42'],
      ['webhook refused', 'pagerduty', 'wh-42'],
    ]);
  });

  it('logs a repeat at debug level when debug is on', async () => {
    const app = await start('coalesced', 'debug');
    expect((await app.post(raw)).status).toBe(202);
    expect(app.lines.filter((l) => l.msg === 'webhook accepted').map((l) => [l.outcome, l.webhookId])).toEqual([['coalesced', 'wh-42']]);
  });
});
