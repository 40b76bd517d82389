import { analysisRequests } from '../../src/analysis/job.js';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Queue } from 'bullmq';
import { afterEach, describe, expect, it } from 'vitest';
import { createAuditLog } from '../../src/decisions/audit-log.js';
import { pauseKeyOf } from '../../src/decisions/pause.js';
import { createProposalStore } from '../../src/decisions/proposal-store.js';
import { createDecisionsFeature, type DecisionsFeature } from '../../src/decisions/feature.js';
import { queueNames } from '../../src/jobs/queues.js';
import { startSlackSandbox, type SandboxMessage, type SlackSandbox } from '../../sandbox/slack/index.js';
import { createSilentLogger } from '../../src/shared/logger.js';
import { waitFor } from '../../sandbox/shared/wait.js';
import { actionIds } from '../../src/decisions/action-ids.js';
import { makeProposal } from '../decisions/fixtures.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { startFaultProxy, type FaultProxy, type ProxyCall } from '../helpers/fault-proxy.js';
import { createTestRedis } from '../helpers/redis.js';
import { incidentsYaml, kubeConfigFromYaml, useSandboxProd } from '../helpers/sandbox-cluster.js';
import { createClusterConnection } from '../../src/kube/connection.js';
import type { Action } from '../../src/decisions/actions/catalog.js';
import { snapshotTarget } from '../../src/decisions/actions/snapshot.js';
import type { TestClusters } from '../helpers/app.js';

/**
 * Issue 11 in-process, over real Redis, BullMQ, Bolt and the Slack sandbox: a slow Slack at
 * the Approve click's message edit delays neither the run nor its report, shutdown waits for
 * the job still talking to Slack, and a proposal approved by a process that died before it
 * queued anything is run, reported and verified by the next instance, once.
 */

/** A proxy in front of the sandbox's Web API that can hold every call of one method until released. */
async function startHoldingProxy(target: string) {
  const held: (() => void)[] = [];
  let holding: string | undefined;
  const server: Server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      if (holding && req.url?.endsWith(`/${holding}`)) await new Promise<void>((resolve) => held.push(resolve));
      const answer = await fetch(new URL(req.url?.replace(/^\/api\//, '') ?? '', target), {
        method: req.method ?? 'POST',
        headers: { 'content-type': req.headers['content-type'] ?? 'application/json', authorization: req.headers.authorization ?? '' },
        body,
      });
      res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' });
      res.end(await answer.text());
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/`,
    hold: (method: string) => (holding = method),
    held: () => held.length,
    release() {
      holding = undefined;
      for (const resume of held.splice(0)) resume();
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString()));
    req.on('error', reject);
  });
}

const textOf = (m: SandboxMessage) => `${m.text} ${JSON.stringify(m.blocks ?? [])}`;

const sandbox = useSandboxProd({ scenarios: ['shop-healthy'], timeScale: 20 });
/** The one action of these tests: scale shop/web (3 replicas in the sandbox) to 4. */
const scaleWeb: Action = { type: 'scale', namespace: 'shop', kind: 'Deployment', name: 'web', replicas: 4 };

let slack: SlackSandbox | undefined;
let proxy: Awaited<ReturnType<typeof startHoldingProxy>> | undefined;
let kube: FaultProxy | undefined;
const apps: TestApp[] = [];

afterEach(async () => {
  proxy?.release();
  for (const app of apps.splice(0)) await app.stop();
  await proxy?.close();
  await kube?.close();
  await slack?.close();
  proxy = undefined;
  kube = undefined;
  slack = undefined;
});

/** The sandbox cluster `prod`, reached through a proxy that records (and can hold) every request. */
async function clusterBehindProxy(): Promise<TestClusters> {
  kube ??= await startFaultProxy({ target: sandbox().cluster.url });
  const yaml = sandbox().cluster.kubeconfigYaml().replace(sandbox().cluster.url, kube.url);
  const connection = createClusterConnection('prod', kubeConfigFromYaml(yaml));
  return { names: () => ['prod'], check: () => Promise.resolve({ ok: true }), get: () => connection };
}

/** Real (not dry-run) writes to shop/web's scale that reached the cluster. */
const isRealScale = (call: ProxyCall) => call.method !== 'GET' && call.path.includes('/namespaces/shop/deployments/web') && !call.path.includes('dryRun=All');

async function start(redisPrefix?: string, options: { processBeforeResponse?: boolean } = {}): Promise<{ app: TestApp; decisions: DecisionsFeature }> {
  slack ??= await startSlackSandbox();
  proxy ??= await startHoldingProxy(slack.apiUrl);
  const clusters = await clusterBehindProxy();
  const decisions = createDecisionsFeature({ analysis: analysisRequests,
    sweepIntervalMs: 0,
    resumeIntervalMs: 0,
    verification: { timeoutMs: 30_000, settleMs: 0, pollMs: 200 },
  });
  const app = await startTestApp({ yaml: incidentsYaml, slack, clusters, env: { SLACK_API_URL: proxy.url }, features: [decisions], ...(redisPrefix ? { redisPrefix } : {}), ...options });
  slack.setBotUrl(`${app.url}/slack/events`);
  apps.push(app);
  return { app, decisions };
}

/** A thread root and a proposal with its Approve button in it, through the decision loop's submit. */
async function proposeIn(app: TestApp, decisions: DecisionsFeature) {
  const root = await app.ctx.slack.post({ channel: 'CINCIDENTS', message: { text: 'incident' }, idempotencyKey: `root-${app.prefix}` });
  const target = await snapshotTarget(sandbox().connection.reader, scaleWeb);
  const { messageTs: _unposted, ...proposal } = makeProposal({
    action: scaleWeb,
    ...(target ? { target } : {}),
    channel: 'CINCIDENTS',
    threadTs: root.ts,
    incidentId: `inc-${app.prefix}`,
    createdAt: new Date().toISOString(),
    expiresAt: new Date(Date.now() + 30 * 60_000).toISOString(),
  });
  expect(await decisions.services(app.ctx).submit(proposal)).toBe('awaiting_approval');
  const message = await waitFor(() => slack?.thread('CINCIDENTS', root.ts).find((m) => textOf(m).includes(actionIds.approve)));
  return { proposal, root, message };
}

const thread = (rootTs: string) => (slack?.thread('CINCIDENTS', rootTs) ?? []).map(textOf);

/** The audit trail of an app that may have stopped, read over a connection of our own. */
async function auditTypes(prefix: string, incidentId: string): Promise<string[]> {
  const redis = createTestRedis();
  try {
    const audit = createAuditLog({ redis, key: `${prefix}:audit`, clock: Date.now, log: createSilentLogger(), maxEntries: 1000, retentionDays: 1 });
    return (await audit.recent({ incidentId, limit: 20 })).map((e) => e.type).reverse();
  } finally {
    await redis.quit();
  }
}

async function jobState(prefix: string, name: string, jobId: string): Promise<string | undefined> {
  const connection = createTestRedis();
  const queue = new Queue(name, { connection, prefix });
  try {
    return await (await queue.getJob(jobId))?.getState();
  } finally {
    await queue.close();
    await connection.quit();
  }
}

describe('decision loop across slow Slack, shutdown and restart', () => {
  it('a slow message edit delays neither the run nor its report, and shutdown waits for it', async () => {
    const { app, decisions } = await start();
    const { proposal, root, message } = await proposeIn(app, decisions);
    proxy?.hold('chat.update');
    const clicked = await slack?.clickButton({ user: 'UALICE', channel: 'CINCIDENTS', messageTs: message.ts, actionId: actionIds.approve });
    expect(clicked?.status).toBe(200);
    await waitFor(() => proxy?.held(), { message: 'the edit never reached Slack' });
    // Slack is still answering the edit; the action ran and the thread says so.
    await waitFor(() => thread(root.ts).some((t) => t.includes('Verified')), { message: 'no verdict while the edit hung' });
    expect(kube?.count(isRealScale)).toBe(1);

    const stopping = app.stop(); // what SIGTERM does
    await waitFor(() => app.logs().includes('deckhand stopping'));
    proxy?.release();
    await stopping;
    expect(await jobState(app.prefix, queueNames.decision, `decision-${proposal.id}`)).toBe('completed');
    const edited = thread(root.ts).find((t) => t.includes('Approved by'));
    expect(edited).toContain('<@UALICE>');
    expect(await auditTypes(app.prefix, proposal.incidentId)).toEqual(['proposal', 'approval', 'dry_run', 'execution', 'verification']);
  });

  it('shutdown waits for a click Slack was already answered for', async () => {
    // Slack gets its answer at ack; the handler then reads the target from a slow cluster.
    const { app, decisions } = await start(undefined, { processBeforeResponse: false });
    const { proposal, message } = await proposeIn(app, decisions);
    const slowRead = kube?.holdAnswer((call) => call.method === 'GET' && call.path.includes('/namespaces/shop/deployments/web'));
    expect((await slack?.clickButton({ user: 'UALICE', channel: 'CINCIDENTS', messageTs: message.ts, actionId: actionIds.approve }))?.status).toBe(200);
    await slowRead?.reached;
    const stopping = app.stop(); // what SIGTERM does
    await waitFor(() => app.logs().includes('deckhand stopping'));
    slowRead?.release();
    await stopping;
    const redis = createTestRedis();
    try {
      const store = createProposalStore({ redis, prefix: `${app.prefix}:decisions`, clock: Date.now, pauseKey: pauseKeyOf(app.prefix) });
      expect((await store.get(proposal.id))?.status).toMatch(/approved|executing|executed/);
    } finally {
      await redis.quit();
    }
    expect(await jobState(app.prefix, queueNames.execution, `exec-${proposal.id}`)).toBeDefined();
  });

  it('a proposal approved by a process that died before queueing anything is run, reported and verified by the next one', async () => {
    const first = await start();
    const { proposal, root } = await proposeIn(first.app, first.decisions);
    // The click's process stored the approval and died before queueing anything.
    expect(await first.decisions.services(first.app.ctx).store.approve(proposal.id, 'UALICE')).toMatchObject({ outcome: 'approved' });
    await first.app.stop();
    apps.splice(0);

    const next = await start(first.app.prefix);
    await waitFor(() => thread(root.ts).some((t) => t.includes('Verified')), { message: 'the next instance did not resume the approval' });
    await waitFor(async () => (await next.decisions.services(next.app.ctx).store.listActive()).length === 0, { message: 'steps still owed' });
    expect(await next.decisions.resume()).toEqual({ resumed: 0 });
    expect(kube?.count(isRealScale)).toBe(1);
    const texts = thread(root.ts);
    expect(texts.filter((t) => t.includes('Executed'))).toHaveLength(1);
    expect(texts.filter((t) => t.includes('Approved by'))).toHaveLength(1);
    expect(await auditTypes(next.app.prefix, proposal.incidentId)).toEqual(['proposal', 'approval', 'dry_run', 'execution', 'verification']);
  });
});
