import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createProposalStore } from '../../src/decisions/proposal-store.js';
import { pauseKeyOf } from '../../src/decisions/pause.js';
import { createCircuitBreaker } from '../../src/decisions/breaker.js';
import { subcommands } from '../../src/commands/parse.js';
import { waitFor } from '../../sandbox/shared/wait.js';
import type { TestApp } from '../helpers/app.js';
import { botReplies, closeSandboxCluster, openIncident, startConversationApp } from './conversation-helpers.js';
import { escapeMrkdwn } from '../../src/slack/blocks/text.js';

const yaml = `
clusters:
  lab: {}
  edge: {}
channels:
  CINCIDENTS:
    cluster: lab
    namespaces: [shop]
    mode: approval
    approvers: { users: [UALICE] }
`;
const clusters = {
  names: () => ['lab', 'edge'],
  check: (name: string) => Promise.resolve(name === 'lab' ? { ok: true } : { ok: false, message: 'connect ECONNREFUSED 10.0.0.9:6443' }),
};

let app: TestApp | undefined;
afterEach(async () => {
  await app?.stop();
  app = undefined;
});
afterAll(closeSandboxCluster);

/** Runs `/k8s <text>` and waits for the response_url answer; returns its text and blocks as one string. */
async function k8s(a: TestApp, text: string, user = 'UALICE'): Promise<{ all: string; type: 'ephemeral' | 'in_channel' }> {
  const before = a.slack.calls.filter((c) => c.method === 'response_url').length;
  const ack = await a.slack.slashCommand({ user, channel: 'CINCIDENTS', text });
  expect(ack.status).toBe(200);
  const call = await waitFor(() => a.slack.calls.filter((c) => c.method === 'response_url')[before], { message: `no answer to /k8s ${text}` });
  expect(call.ok).toBe(true);
  return { all: JSON.stringify(call.args), type: call.args.response_type as 'ephemeral' | 'in_channel' };
}

describe('/k8s', () => {
  it('help lists every subcommand, and an unknown subcommand answers with help', async () => {
    app = await startConversationApp({ yaml, clusters });
    const help = await k8s(app, 'help');
    expect(help.type).toBe('ephemeral');
    // Placeholders are escaped (Slack shows &lt;question&gt; as <question>; raw, it would try a link).
    for (const s of Object.values(subcommands)) expect(help.all).toContain(`/k8s ${escapeMrkdwn(s.usage)}`);
    const unknown = await k8s(app, 'frobnicate now');
    expect(unknown.all).toContain("I don't know `frobnicate`");
    expect(unknown.all).toContain('/k8s ask &lt;question&gt;');
    expect(app.slack.ephemerals('CINCIDENTS').filter((e) => e.user === 'UALICE')).toHaveLength(2);
  });

  it('ask opens a thread in the channel, answers there with the scope from the question, and answers follow-ups there', async () => {
    app = await startConversationApp({ yaml, clusters });
    const ack = await k8s(app, 'ask what are the events in namespace shop', 'UBOB');
    expect(ack.type).toBe('ephemeral');
    const root = await waitFor(() => app!.slack.messages('CINCIDENTS').find((m) => m.text.includes('Question from <@UBOB>')));
    const [answer] = await waitFor(() => (botReplies(app!, root.ts).length > 0 ? botReplies(app!, root.ts) : undefined));
    expect(JSON.stringify(answer)).toContain('Events in shop');

    // A plain follow-up in that thread (no mention) is answered too, with the thread's namespace.
    await app.slack.postUserMessage({ user: 'UBOB', channel: 'CINCIDENTS', threadTs: root.ts, text: 'and the pods?' });
    await waitFor(() => botReplies(app!, root.ts).length >= 2);
    expect(JSON.stringify(botReplies(app, root.ts)[1])).toContain('1 of 1 workload in `shop` is unhealthy');
  });

  it('status shows open incidents, pending proposals, the mode, breakers per cluster and the pause state', async () => {
    app = await startConversationApp({ yaml, clusters });
    const incident = await openIncident(app);
    const store = createProposalStore({ redis: app.ctx.redis, prefix: `${app.prefix}:decisions`, clock: Date.now, pauseKey: pauseKeyOf(app.prefix) });
    const now = Date.now();
    await store.save({
      id: 'p-status-1', incidentId: incident.id, channel: 'CINCIDENTS', threadTs: incident.threadTs!, cluster: 'lab',
      action: { type: 'rollout_undo', namespace: 'shop', name: 'checkout' }, risk: 'medium', riskReasons: [], confidence: 0.9,
      rationale: 'bad rollout', origin: 'claude', createdAt: new Date(now).toISOString(), expiresAt: new Date(now + 600_000).toISOString(),
    });
    const breaker = createCircuitBreaker({ redis: app.ctx.redis, prefix: app.prefix, clock: Date.now, options: { failureThreshold: 1 } });
    await breaker.recordFailure('edge');

    const status = await k8s(app, 'status', 'UBOB');
    expect(status.all).toContain('inc-checkout');
    expect(status.all).toContain('KubePodCrashLooping: shop/checkout');
    expect(status.all).toContain('p-status-1');
    expect(status.all).toContain('kubectl rollout undo deployment/checkout -n shop');
    expect(status.all).toContain('`approval`');
    expect(status.all).toContain('`lab`: closed');
    expect(status.all).toContain('`edge`: open');
    expect(status.all).toContain('running');

    await k8s(app, 'pause');
    expect((await k8s(app, 'status')).all).toContain('paused everywhere');
  });

  it('mode shows to anyone, changes only for approvers (announced and audited), and survives in status', async () => {
    app = await startConversationApp({ yaml, clusters });
    expect((await k8s(app, 'mode', 'UBOB')).all).toContain('is `approval`');
    const refused = await k8s(app, 'mode yolo', 'UBOB');
    expect(refused.type).toBe('ephemeral');
    expect(refused.all).toContain('Only the approvers');
    const changed = await k8s(app, 'mode yolo');
    expect(changed.type).toBe('in_channel');
    expect(changed.all).toContain('set the mode of <#CINCIDENTS> to `yolo` (was `approval`)');
    expect((await k8s(app, 'mode')).all).toContain('is `yolo`');
    expect((await k8s(app, 'status')).all).toContain('set with /k8s mode');
    const audit = await k8s(app, 'audit 5');
    expect(audit.all).toContain('*mode changed*');
    expect(audit.all).toContain('from approval to yolo');
    expect((await k8s(app, 'mode turbo')).all).toContain('Usage: `/k8s mode [plan|approval|yolo]`');
  });

  it('pause and resume work for approvers only and are audited', async () => {
    app = await startConversationApp({ yaml, clusters });
    expect((await k8s(app, 'pause', 'UBOB')).all).toContain('Only the approvers');
    expect(await app.ctx.redis.exists(pauseKeyOf(app.prefix))).toBe(0);
    const paused = await k8s(app, 'pause');
    expect(paused.type).toBe('in_channel');
    expect(paused.all).toContain('paused all actions');
    expect(await app.ctx.redis.exists(pauseKeyOf(app.prefix))).toBe(1);
    expect((await k8s(app, 'resume')).all).toContain('resumed actions');
    expect(await app.ctx.redis.exists(pauseKeyOf(app.prefix))).toBe(0);
    const audit = await k8s(app, 'audit');
    expect(audit.all).toContain('*paused*');
    expect(audit.all).toContain('*resumed*');
    expect((await k8s(app, 'audit no-such-incident')).all).toContain('No audit entries for incident `no-such-incident`');
  });

  it('clusters lists each cluster with its reachability', async () => {
    app = await startConversationApp({ yaml, clusters });
    const answer = await k8s(app, 'clusters', 'UBOB');
    expect(answer.all).toContain('lab: reachable, edge: unreachable');
    expect(answer.all).toContain('ECONNREFUSED');
  });

  it('acks at once while the work is still running, then answers', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const slowClusters = { names: () => ['lab'], check: async () => { await gate; return { ok: true }; } };
    app = await startConversationApp({ yaml, clusters: slowClusters, processBeforeResponse: false });
    const ack = await app.slack.slashCommand({ user: 'UBOB', channel: 'CINCIDENTS', text: 'clusters' });
    expect(ack.status).toBe(200);
    expect(app.slack.calls.filter((c) => c.method === 'response_url')).toHaveLength(0);
    release();
    const call = await waitFor(() => app!.slack.calls.find((c) => c.method === 'response_url'));
    expect(JSON.stringify(call.args)).toContain('lab: reachable');
  });

  it('tells the asker privately when it cannot open the ask thread', async () => {
    app = await startConversationApp({ yaml, clusters });
    app.slack.failNext({ method: 'chat.postMessage', error: 'not_in_channel' });
    const answer = await k8s(app, 'ask why is checkout down', 'UBOB');
    expect(answer.type).toBe('ephemeral');
    expect(answer.all).toContain('/invite @Deckhand');
    expect(await app.ctx.queues.get('conversation').getJobCounts('waiting', 'active', 'completed')).toEqual({ waiting: 0, active: 0, completed: 0 });
  });

  it('tells the user privately when something fails, never silence', async () => {
    app = await startConversationApp({
      yaml,
      clusters,
      // The mode store fails (as with Redis refusing): the user hears so, privately, without the detail.
      decisions: (real) => ({
        port: (ctx) => {
          const port = real.port(ctx);
          return { ...port, modes: { ...port.modes, effectiveMode: () => Promise.reject(new Error('boom')) } };
        },
      }),
    });
    const answer = await k8s(app, 'mode');
    expect(answer.type).toBe('ephemeral');
    expect(answer.all).toContain('Something went wrong');
    expect(answer.all).not.toContain('boom');
  });
});
