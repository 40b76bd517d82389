import { CoreV1Api } from '@kubernetes/client-node';
import { afterEach, describe, expect, it } from 'vitest';
import type { Incident } from '../../src/core/incident.js';
import { executeAction } from '../../src/decisions/execute/executor.js';
import { startFakeAnthropic, type FakeAnthropic } from '../../sandbox/anthropic/server.js';
import { waitFor } from '../../sandbox/shared/wait.js';
import type { TestApp } from '../helpers/app.js';
import { startTestApp } from '../helpers/app.js';
import { incidentsYaml, useSandboxProd } from '../helpers/sandbox-cluster.js';
import { botReplies, chatFeatures } from './conversation-helpers.js';

/**
 * Questions answered from the sweep against the sandbox's shop: checkout crash-looping (bad
 * PAYMENT_URL), cart OOMKilled, frontend's new image not found, payments' rollout stuck,
 * search unschedulable, and web, api, redis healthy. Without Claude unless said otherwise.
 */
const sandbox = useSandboxProd({
  scenarios: ['checkout-crashloop', 'cart-oomkilled', 'frontend-imagepull', 'payments-stuck-rollout', 'search-pending', 'shop-healthy'],
  timeScale: 30,
});

let app: TestApp | undefined;
let fake: FakeAnthropic | undefined;
afterEach(async () => {
  await app?.stop();
  await fake?.close();
  app = undefined;
  fake = undefined;
});

async function start(env: Record<string, string> = {}): Promise<TestApp> {
  app = await startTestApp({ yaml: incidentsYaml, clusters: sandbox().clusters, features: chatFeatures(), env });
  return app;
}

/** The answer's section texts, as the reader sees them (one string, lines as posted). */
function answerText(message: { blocks?: unknown[] } | undefined): string {
  return ((message?.blocks ?? []) as { type: string; text?: { text: string } }[])
    .filter((b) => b.type === 'section')
    .map((b) => b.text?.text ?? '')
    .join('\n');
}

/** `/k8s ask <question>` in #incidents; resolves with the thread root and the first answer's text. */
async function ask(a: TestApp, question: string): Promise<{ threadTs: string; text: string }> {
  const ack = await a.slack.slashCommand({ user: 'UBOB', channel: 'CINCIDENTS', text: `ask ${question}` });
  expect(ack.status).toBe(200);
  const root = await waitFor(() => a.slack.messages('CINCIDENTS').find((m) => m.text.includes(question.replace(/&/g, '&amp;'))), { message: 'no ask thread' });
  const [answer] = await waitFor(() => (botReplies(a, root.ts).length > 0 ? botReplies(a, root.ts) : undefined), { message: 'no answer' });
  return { threadTs: root.ts, text: answerText(answer) };
}

/** Posts a reply in a thread and waits for the bot's next answer there. */
async function followUp(a: TestApp, threadTs: string, text: string): Promise<string> {
  const before = botReplies(a, threadTs).length;
  await a.slack.postUserMessage({ user: 'UALICE', channel: 'CINCIDENTS', threadTs, text });
  const replies = await waitFor(() => (botReplies(a, threadTs).length > before ? botReplies(a, threadTs) : undefined), { message: `no answer to ${text}` });
  return answerText(replies[before]);
}

async function openIncident(a: TestApp, deployment: string): Promise<Incident> {
  const root = await a.ctx.slack.post({ channel: 'CINCIDENTS', message: { text: `[CRITICAL] ${deployment} is failing` }, idempotencyKey: `root-${deployment}` });
  const now = new Date().toISOString();
  const incident: Incident = {
    id: `inc-${deployment}`, key: `alertmanager:${deployment}`, source: 'alertmanager', externalId: deployment,
    title: `KubeDeploymentReplicasMismatch: shop/${deployment}`, severity: 'critical', status: 'triggered',
    labels: { alertname: 'KubeDeploymentReplicasMismatch', namespace: 'shop' }, target: { cluster: 'prod', namespace: 'shop', deployment },
    links: [], members: [], truncatedAlerts: 0, channel: 'CINCIDENTS', threadTs: root.ts, createdAt: now, updatedAt: now,
  };
  await a.ctx.incidents.create(incident);
  return incident;
}

const lineOf = (text: string, name: string) => text.split('\n').find((l) => l.includes(`*deployment/${name}*`)) ?? '';

describe('the sweep answers without Claude', () => {
  it('"what is wrong in shop?" lists the unhealthy first with their root causes, and counts the healthy', async () => {
    const a = await start();
    const { text } = await ask(a, 'what is wrong in shop?');
    const lines = text.split('\n');
    expect(lines[0]).toBe('*5 of 8 workloads in `shop` are unhealthy:*');
    expect(lines.slice(1, 4).map((l) => /\*deployment\/(\w+)\*/.exec(l)?.[1]).sort()).toEqual(['cart', 'checkout', 'search']);
    expect(lines.slice(1, 4).every((l) => l.startsWith(':red_circle:'))).toBe(true);
    expect(lineOf(text, 'checkout')).toContain('is crash-looping');
    expect(lineOf(text, 'checkout')).toContain('FATAL config: PAYMENT_URL');
    expect(lineOf(text, 'checkout')).toContain('more: `/k8s ask about deployment/checkout -n shop`');
    expect(lineOf(text, 'cart')).toContain('is OOMKilled');
    expect(lineOf(text, 'search')).toContain('cannot be scheduled');
    expect(lineOf(text, 'frontend')).toMatch(/^:large_orange_circle: .*cannot pull its image/);
    expect(lineOf(text, 'payments')).toMatch(/^:large_orange_circle: .*Rollout of deployment\/payments failed/);
    expect(lines[6]).toBe('_and 3 more healthy: deployment/api, deployment/web, statefulset/redis_');
    // Ages come from the wall clock: never negative, never "0s" for trouble minutes old.
    expect(text).not.toMatch(/for -|for 0s/);
  });

  it('/k8s ask about one workload starts with its verdict, and "is it healthy now?" in its thread or a namespace thread says No first', async () => {
    const a = await start();
    const { threadTs, text } = await ask(a, 'about deployment/cart -n shop');
    expect(text.split('\n')[0]).toMatch(/^:red_circle: \*deployment\/cart\* in `shop` is failing \(0\/2 ready[^)]*\): is OOMKilled — /);
    // The thread is about cart: a follow-up means cart.
    const cart = await followUp(a, threadTs, 'is it healthy now?');
    expect(cart.split('\n')[0]).toMatch(/^\*No\* — \*deployment\/cart\* in `shop` is failing \(0\/2 ready[^)]*\): is OOMKilled — /);

    const namespaceThread = await ask(a, 'anything broken in shop?');
    expect(namespaceThread.text.split('\n')[0]).toBe('*Yes* — 5 of 8 workloads in `shop` are unhealthy:');
    const healthy = await followUp(a, namespaceThread.threadTs, 'is it healthy now?');
    expect(healthy.split('\n')[0]).toBe('*No* — 5 of 8 workloads in `shop` are unhealthy:');
    expect(threadTs).not.toBe(namespaceThread.threadTs);
  });

  it('"show me the logs" of a pod whose container never started says so and why', async () => {
    const a = await start();
    const incident = await openIncident(a, 'frontend');
    const text = await followUp(a, incident.threadTs!, 'show me the logs');
    expect(text).not.toContain('No pod logs to show.');
    expect(text).toMatch(/Container frontend of pod frontend-\S+ never started: (ImagePullBackOff|ErrImagePull) — /);
    expect(text).toContain('registry.example.com/shop/frontend:2.3.1-typo');
    expect(text).toContain('not found');
    expect(text).toContain('It has no logs until it starts.');
  });
});

describe('beyond one namespace', () => {
  it('finds a namespace the channel does not name, judges Services from their selectors, and sweeps the whole cluster', async () => {
    const a = await start();
    const core = sandbox().connection.kubeConfig.makeApiClient(CoreV1Api);
    await core.createNamespace({ body: { metadata: { name: 'billing' } } });
    await core.createNamespacedService({ namespace: 'billing', body: { metadata: { name: 'legacy' }, spec: { selector: { app: 'legacy' }, ports: [{ port: 80 }] } } });

    const billing = await ask(a, 'what is wrong in billing?');
    const [head, line, ...rest] = billing.text.split('\n');
    expect(head).toBe('*1 of 1 workload in `billing` is unhealthy:*');
    // (The sandbox's clock may lag the wall clock: the age is whatever its timestamp says.)
    expect(line).toMatch(/^:red_circle: \*service\/legacy\* \(0 endpoints(, for \d+[smh])?\) — selects no pods \(selector app=legacy\): it has no endpoints · more: `kubectl describe service\/legacy -n billing`$/);
    expect(rest).toEqual([]);

    const cluster = await ask(a, 'what is wrong in the cluster?');
    const lines = cluster.text.split('\n');
    expect(lines[0]).toMatch(/^\*6 of \d+ workloads in cluster `prod` are unhealthy:\*$/);
    expect(lines.filter((l) => l.startsWith(':red_circle:') || l.startsWith(':large_orange_circle:'))).toHaveLength(6);
    expect(cluster.text).toContain('*service/legacy* in `billing`');
    expect(cluster.text).toContain('*deployment/checkout* in `shop`');
    expect(lines.at(-1)).toMatch(/^_and \d+ more healthy: .*kube-system\/deployment\/coredns/);
  });
});

describe('with Claude, the sweep seeds the question', () => {
  it('"what is wrong in shop?" reaches the model with every unhealthy workload and its cause in the first request', async () => {
    fake = await startFakeAnthropic({ script: () => ({ text: 'cart needs more memory; checkout has a bad PAYMENT_URL.' }) });
    const a = await start({ ANTHROPIC_API_KEY: 'sk-ant-test-key', ANTHROPIC_BASE_URL: fake.url });
    const { text } = await ask(a, 'what is wrong in shop?');
    expect(text).toContain('cart needs more memory');
    // The model answered from the seeded evidence: one request, no tool turn.
    expect(fake.requests).toHaveLength(1);
    const seed = JSON.stringify(fake.requests[0]!.body.messages?.[0]?.content);
    expect(seed).toContain('sweep of namespace shop: 5 of 8 unhealthy, 3 healthy');
    expect(seed).toMatch(/deployment\/cart in shop: failing \(0\/2 ready[^)]*\): is OOMKilled/);
    // checkout's cause: its crash's log line, or (once its rollout's deadline passed) the failed rollout.
    expect(seed).toMatch(/deployment\/checkout in shop: failing[^"]*(FATAL config: PAYMENT_URL|Rollout of deployment\/checkout( in shop)? failed)/);
    expect(seed).toMatch(/deployment\/search in shop: failing[^"]*cannot be scheduled/);
  });
});

// Last: it changes the world (checkout is fixed) that the tests above read.
describe('after a fix', () => {
  it('"is it healthy now?" in an incident thread answers No before the fix and Yes after it', async () => {
    const a = await start();
    const incident = await openIncident(a, 'checkout');
    const before = await followUp(a, incident.threadTs!, 'is it healthy now?');
    // Its cause: the crash loop, or (once the rollout's progress deadline passed) the failed rollout.
    expect(before.split('\n')[0]).toMatch(/^\*No\* — \*deployment\/checkout\* in `shop` is failing \(0\/3 ready[^)]*\): (is crash-looping|Rollout of deployment\/checkout( in shop)? failed) — /);

    const { connection } = sandbox();
    expect(await executeAction(connection.kubeConfig, { type: 'rollout_undo', namespace: 'shop', name: 'checkout' }, { dryRun: false })).toMatchObject({ ok: true });
    await waitFor(
      async () => {
        const dep = await connection.reader.getDeployment('shop', 'checkout');
        const pods = await connection.reader.listWorkloadPods({ kind: 'Deployment', namespace: 'shop', name: 'checkout' });
        const live = pods.filter((p) => !p.metadata?.deletionTimestamp);
        // Old crashed pods may still be terminating: once the rollout is done they are not judged.
        return dep?.status?.readyReplicas === 3 && dep.status.updatedReplicas === 3 && live.length === 3 && live.every((p) => p.status?.containerStatuses?.every((s) => s.ready));
      },
      { timeoutMs: 30_000, message: 'checkout did not recover after the rollout undo' },
    );
    const after = await followUp(a, incident.threadTs!, 'is it healthy now?');
    expect(after.split('\n')[0]).toBe('*Yes* — *deployment/checkout* in `shop` is healthy (3/3 ready).');
  });
});
