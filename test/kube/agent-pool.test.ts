import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import { afterEach, describe, expect, it } from 'vitest';
import { AgentPool } from '../../src/kube/agent-pool.js';
import { createClusterConnection } from '../../src/kube/connection.js';

let server: http.Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

/** A fake API server that answers /version and counts the TCP connections made to it. */
async function countingApiServer() {
  const seen = { connections: 0, impersonated: [] as (string | undefined)[] };
  server = http.createServer((req, res) => {
    seen.impersonated.push(req.headers['impersonate-user'] as string | undefined);
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ major: '1', minor: '32', gitVersion: 'v1.32.4' }));
  });
  server.on('connection', () => (seen.connections += 1));
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', () => resolve()));
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'c', server: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, skipTLSVerify: true }],
    users: [{ name: 'u', token: 't' }],
    contexts: [{ name: 'c', cluster: 'c', user: 'u' }],
    currentContext: 'c',
  });
  return { seen, kc };
}

describe('API server connections', () => {
  it('carries one request after another over one kept-alive connection (client-node alone opens one per request)', async () => {
    const { seen, kc } = await countingApiServer();
    const connection = createClusterConnection('c', kc);
    for (let i = 0; i < 5; i++) expect(await connection.check()).toEqual({ ok: true, message: 'Kubernetes v1.32.4' });
    expect(seen.connections).toBe(1);
  });

  it('shares the connection with impersonated requests, which still carry their identity', async () => {
    const { seen, kc } = await countingApiServer();
    const connection = createClusterConnection('c', kc);
    await connection.check();
    await connection.impersonate({ user: 'alice@example.com', groups: ['sre'] }).check();
    await connection.check();
    expect(seen.impersonated).toEqual([undefined, 'alice@example.com', undefined]);
    expect(seen.connections).toBe(1);
  });
});

describe('AgentPool', () => {
  it('gives one keep-alive agent per TLS identity', () => {
    const pool = new AgentPool();
    const a = pool.reuse(new https.Agent({ ca: Buffer.from('ca-1'), rejectUnauthorized: true }));
    const b = pool.reuse(new https.Agent({ ca: Buffer.from('ca-1'), rejectUnauthorized: true }));
    const c = pool.reuse(new https.Agent({ ca: Buffer.from('ca-2'), rejectUnauthorized: true }));
    const d = pool.reuse(new https.Agent({ ca: Buffer.from('ca-1'), rejectUnauthorized: false }));
    const e = pool.reuse(new http.Agent({}));
    expect(b).toBe(a);
    expect(new Set([a, c, d, e]).size).toBe(4);
    expect(a).toBeInstanceOf(https.Agent);
    expect(e).not.toBeInstanceOf(https.Agent);
    expect((a as unknown as { keepAlive: boolean }).keepAlive).toBe(true);
    expect((a as unknown as { options: { ca: Buffer } }).options.ca.toString()).toBe('ca-1');
    pool.close();
  });

  it('leaves a proxy agent as client-node made it', () => {
    class ProxyAgent extends https.Agent {}
    const proxy = new ProxyAgent({});
    expect(new AgentPool().reuse(proxy)).toBe(proxy);
  });
});
