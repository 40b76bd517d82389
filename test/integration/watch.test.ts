import { AppsV1Api } from '@kubernetes/client-node';
import { afterEach, describe, expect, it } from 'vitest';
import { createProductFeatures } from '../../src/compose.js';
import { waitFor } from '../../sandbox/shared/wait.js';
import { startSlackSandbox, type SandboxMessage, type SlackSandbox } from '../../sandbox/slack/index.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { alertmanagerAlert, textOf } from '../helpers/incident-thread.js';
import { uniquePrefix } from '../helpers/redis.js';
import { useSandboxProd, incidentsYamlWith } from '../helpers/sandbox-cluster.js';

/**
 * The cluster watch end to end: the sandbox cluster's API (list, watch, Leases), the local
 * Slack, real Redis and the whole product. Detection windows are short (for 2s,
 * recoverAfter 3s) so the tests run in seconds.
 */
const yaml = incidentsYamlWith({ approvers: '{ users: [UALICE] }', extra: `
routes:
  - match: { source: watch }
    channel: CINCIDENTS
detection:
  enabled: true
  for: 2s
  recoverAfter: 3s
  leaseNamespace: default
` });

const sandbox = useSandboxProd({ scenarios: ['checkout-crashloop', 'shop-healthy'], timeScale: 20 });
const apps: TestApp[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((a) => a.stop()));
});

async function startBot(options: { redisPrefix?: string; slack?: SlackSandbox } = {}): Promise<TestApp> {
  const app = await startTestApp({
    yaml,
    clusters: sandbox().clusters,
    features: createProductFeatures({ watch: { leaseDurationMs: 2000, renewMs: 300, tickMs: 200, informer: { backoff: { baseMs: 100, maxMs: 1000 } } } }),
    ...options,
  });
  apps.push(app);
  return app;
}

/** Thread roots in #incidents whose text or blocks include `includes`. */
const roots = (app: TestApp, includes: string): SandboxMessage[] =>
  app.slack.messages('CINCIDENTS').filter((m) => (m.thread_ts === undefined || m.thread_ts === m.ts) && textOf(m).includes(includes));

/** Waits for the incident's analysis in its thread: by then any duplicate would have opened too. */
async function analysedRoot(app: TestApp, includes: string): Promise<SandboxMessage> {
  const root = await waitFor(() => roots(app, includes)[0], { timeoutMs: 20_000, message: `no thread about ${includes}` });
  await waitFor(() => app.slack.thread('CINCIDENTS', root.ts).length > 1, { timeoutMs: 20_000, message: 'no analysis in the thread' });
  return root;
}

const apps1 = () => sandbox().connection.kubeConfig.makeApiClient(AppsV1Api);

/** A Deployment created through the API that no node can hold: its pods stay Pending, Unschedulable. */
async function createUnschedulable(name: string, options: { namespace?: string; annotations?: Record<string, string> } = {}): Promise<void> {
  const labels = { app: name };
  const namespace = options.namespace ?? 'shop';
  await apps1().createNamespacedDeployment({
    namespace,
    body: {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, namespace, labels, ...(options.annotations ? { annotations: options.annotations } : {}) },
      spec: {
        replicas: 2,
        selector: { matchLabels: labels },
        template: { metadata: { labels }, spec: { containers: [{ name, image: 'registry.example.com/shop/batch:1.0.0', resources: { requests: { cpu: '100m', memory: '64Gi' } } }] } },
      },
    },
  });
}

interface WatchDetails {
  role: string;
  failing: number;
  open: number;
  reconnects: number;
  relists: number;
  watches: { phase: string }[];
}
const watchState = async (app: TestApp): Promise<WatchDetails> => (await app.request('GET', '/readyz')).json.checks.watch.details.prod as WatchDetails;

async function setPaymentUrl(value: string): Promise<void> {
  const deployment = await apps1().readNamespacedDeployment({ namespace: 'shop', name: 'checkout' });
  const container = deployment.spec!.template.spec!.containers[0]!;
  container.env = (container.env ?? []).map((e) => (e.name === 'PAYMENT_URL' ? { name: e.name, value } : e));
  // The program's answer to that URL (the sandbox's fault language): checkout 1.4.2 exits 1 on a bad one.
  const meta = deployment.spec!.template.metadata!;
  const annotations = { ...meta.annotations };
  delete annotations['sandbox.deckhand.dev/exit-code'];
  delete annotations['sandbox.deckhand.dev/run-seconds'];
  meta.annotations = /^https?:\/\//.test(value) ? annotations : { ...annotations, 'sandbox.deckhand.dev/exit-code': '1', 'sandbox.deckhand.dev/run-seconds': '3' };
  await apps1().replaceNamespacedDeployment({ namespace: 'shop', name: 'checkout', body: deployment });
}

describe('cluster watch (detection.enabled)', () => {
  it('opens exactly one thread for a failing workload, none for healthy ones, and marks it recovered when healed', { timeout: 90_000 }, async () => {
    const app = await startBot();
    const root = await analysedRoot(app, 'checkout');
    expect(root.text).toContain('Deployment shop/checkout');
    expect(roots(app, 'checkout')).toHaveLength(1);
    for (const healthy of ['shop/web', 'shop/api', 'shop/redis']) expect(roots(app, healthy)).toEqual([]);
    const ready = await app.request('GET', '/readyz');
    expect(ready.json.checks.watch.details.prod).toMatchObject({ role: 'leader' });

    await setPaymentUrl('http://payments.shop.svc:8080');
    await waitFor(() => app.slack.thread('CINCIDENTS', root.ts).find((m) => textOf(m).includes('Recovered')), { timeoutMs: 30_000, message: 'no recovery in the thread' });
    await waitFor(async () => (await app.ctx.incidents.listOpen()).length === 0, { message: 'the incident is still open' });
    const updated = app.slack.messages('CINCIDENTS').find((m) => m.ts === root.ts);
    expect(textOf(updated!)).toContain('RECOVERED');
    // Counted once the recovery is stored and audited, a moment after the store shows it closed.
    const recovered = /deckhand_watch_detections_total\{cluster="prod",outcome="recovered"\} 1/;
    await waitFor(async () => recovered.test((await app.request('GET', '/metrics')).text), { message: 'the recovery was not counted in /metrics' });

    // Broken again: the same thread re-opens, no second one.
    await setPaymentUrl('htp://payments');
    await waitFor(() => app.slack.thread('CINCIDENTS', root.ts).filter((m) => textOf(m).includes('Recovered')).length === 1 && app.slack.messages('CINCIDENTS').find((m) => m.ts === root.ts && !textOf(m).includes('RECOVERED')), {
      timeoutMs: 20_000,
      message: 'the thread did not re-open',
    });
    expect(roots(app, 'checkout')).toHaveLength(1);
  });
});

describe('what the watch leaves out', () => {
  it('skips workloads annotated deckhand.io/ignore and namespaces no channel (nor detection.namespaces) covers', async () => {
    const app = await startBot();
    const suffix = Math.random().toString(36).slice(2, 7);
    await createUnschedulable(`ignored-${suffix}`, { annotations: { 'deckhand.io/ignore': 'true' } });
    await createUnschedulable(`elsewhere-${suffix}`, { namespace: 'default' });
    await createUnschedulable(`witness-${suffix}`);
    await analysedRoot(app, `Deployment shop/witness-${suffix}`);
    expect(roots(app, `ignored-${suffix}`)).toEqual([]);
    expect(roots(app, `elsewhere-${suffix}`)).toEqual([]);
  });
});

describe('one problem, one thread', () => {
  it('an Alertmanager alert about a watched workload joins its thread', async () => {
    const app = await startBot();
    const root = await analysedRoot(app, 'Deployment shop/checkout');
    expect((await app.postAlertmanager(alertmanagerAlert({ groupKey: 'watched-checkout', deployment: 'checkout' }))).status).toBe(202);
    await waitFor(() => app.slack.messages('CINCIDENTS').find((m) => m.ts === root.ts && textOf(m).includes('KubePodCrashLooping')), {
      timeoutMs: 15_000,
      message: 'the alert did not reach the watched thread',
    });
    expect(roots(app, 'checkout')).toHaveLength(1);
    // Other tests' broken workloads stay broken in the shared sandbox: count checkout's only.
    expect((await app.ctx.incidents.listOpen()).filter((i) => i.target.deployment === 'checkout')).toHaveLength(1);
  });

  it('the watch joins the thread an alert opened first for the same workload', async () => {
    const app = await startBot();
    expect((await app.postAlertmanager(alertmanagerAlert({ groupKey: 'alert-first', deployment: 'checkout' }))).status).toBe(202);
    const root = await analysedRoot(app, 'KubePodCrashLooping');
    await waitFor(() => app.slack.messages('CINCIDENTS').find((m) => m.ts === root.ts && textOf(m).includes('Deployment shop/checkout')), {
      timeoutMs: 15_000,
      message: 'the watch did not join the alert thread',
    });
    expect(roots(app, 'checkout')).toHaveLength(1);
    // Other tests' broken workloads stay broken in the shared sandbox: count checkout's only.
    expect((await app.ctx.incidents.listOpen()).filter((i) => i.target.deployment === 'checkout')).toHaveLength(1);
  });

  it('a workload broken later through the API gets one thread, also while the sandbox drops watches and answers 410 Gone', async () => {
    const app = await startBot();
    await waitFor(async () => (await watchState(app)).role === 'leader' && (await watchState(app)).watches.every((w) => w.phase === 'watching'), {
      message: 'the watch did not start',
    });
    const name = `batch-${Math.random().toString(36).slice(2, 7)}`;
    expect(roots(app, name)).toEqual([]);
    await createUnschedulable(name);
    for (let i = 0; i < 3; i++) {
      const before = (await watchState(app)).reconnects;
      sandbox().cluster.faults.dropWatches();
      sandbox().cluster.faults.failRequests(3, 410);
      await waitFor(async () => (await watchState(app)).reconnects > before, { message: 'the watch did not reconnect' });
    }
    const root = await analysedRoot(app, `Deployment shop/${name}`);
    expect(root.text).toContain('Unschedulable');
    expect(roots(app, name)).toHaveLength(1);
    const state = await watchState(app);
    expect(state.reconnects).toBeGreaterThanOrEqual(3);
    const metrics = (await app.request('GET', '/metrics')).text;
    expect(metrics).toMatch(/deckhand_watch_reconnects_total\{cluster="prod",resource="pods"\} [1-9]/);
  });
});

describe('restarts', () => {
  let slack: SlackSandbox | undefined;
  afterEach(async () => {
    await slack?.close();
    slack = undefined;
  });

  it('a restarted bot knows the open watched incident and opens no second thread; a cluster outage is survived', async () => {
    slack = await startSlackSandbox();
    const redisPrefix = uniquePrefix('restart');
    const first = await startBot({ slack, redisPrefix });
    await analysedRoot(first, 'Deployment shop/checkout');
    await first.stop();
    apps.splice(apps.indexOf(first), 1);

    const second = await startBot({ slack, redisPrefix });
    await waitFor(async () => {
      const state = await watchState(second);
      return state.role === 'leader' && state.failing >= 1 && state.open >= 1;
    }, { timeoutMs: 15_000, message: 'the restarted bot did not pick up the open incident' });
    // The API server answers 503 for a while and drops every watch: the watch backs off and resumes.
    const before = (await watchState(second)).reconnects;
    sandbox().cluster.faults.failRequests(25, 503);
    sandbox().cluster.faults.dropWatches();
    await waitFor(async () => (await watchState(second)).reconnects > before && (await watchState(second)).watches.every((w) => w.phase === 'watching'), {
      timeoutMs: 20_000,
      message: 'the watch did not come back after the outage',
    });
    const name = `after-outage-${Math.random().toString(36).slice(2, 7)}`;
    await createUnschedulable(name);
    await analysedRoot(second, `Deployment shop/${name}`);
    expect(roots(second, 'shop/checkout')).toHaveLength(1);
    expect(roots(second, name)).toHaveLength(1);
  });
});

describe('exactly one watcher across replicas', () => {
  let slack: SlackSandbox | undefined;
  afterEach(async () => {
    await slack?.close();
    slack = undefined;
  });

  it('two bots open one thread; when the leader stops, the other takes over and detects', async () => {
    slack = await startSlackSandbox();
    const redisPrefix = uniquePrefix('watch2');
    const [a, b] = [await startBot({ slack, redisPrefix }), await startBot({ slack, redisPrefix })];
    await analysedRoot(a, 'Deployment shop/checkout');
    expect(roots(a, 'checkout')).toHaveLength(1);
    const roles = [(await watchState(a)).role, (await watchState(b)).role].sort();
    expect(roles).toEqual(['follower', 'leader']);

    const [leader, follower] = (await watchState(a)).role === 'leader' ? [a, b] : [b, a];
    await leader.stop();
    apps.splice(apps.indexOf(leader), 1);
    await waitFor(async () => (await watchState(follower)).role === 'leader', { timeoutMs: 10_000, message: 'the follower did not take over' });
    const name = `late-${Math.random().toString(36).slice(2, 7)}`;
    await createUnschedulable(name);
    await analysedRoot(follower, `Deployment shop/${name}`);
    expect(roots(follower, name)).toHaveLength(1);
    expect(roots(follower, 'shop/checkout')).toHaveLength(1);
  });
});
