import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { appendContextEvent } from '../../src/conversation/context-store.js';
import type { DecisionsProvider } from '../../src/decisions/port.js';
import { startFakeAnthropic, type FakeAnthropic, type RecordedRequest } from '../../sandbox/anthropic/server.js';
import { startSlackSandbox, type SlackSandbox } from '../../sandbox/slack/index.js';
import { waitFor } from '../../sandbox/shared/wait.js';
import type { TestApp } from '../helpers/app.js';
import { uniquePrefix } from '../helpers/redis.js';
import { botReplies, closeSandboxCluster, conversationYaml, openIncident, sandboxRegistry, startConversationApp } from './conversation-helpers.js';

const apps: TestApp[] = [];
let fake: FakeAnthropic | undefined;
let slack: SlackSandbox | undefined;
afterEach(async () => {
  for (const app of apps.splice(0)) await app.stop();
  await fake?.close();
  await slack?.close();
  fake = undefined;
  slack = undefined;
});
afterAll(closeSandboxCluster);

const claudeEnv = (url: string) => ({ ANTHROPIC_API_KEY: 'sk-ant-test-key', ANTHROPIC_BASE_URL: url });
/** The first user message of a model request, as text. */
const seedOf = (request: RecordedRequest) => JSON.stringify(request.body.messages?.[0]?.content);

async function startApp(env: Record<string, string>, options: { slack?: SlackSandbox; redisPrefix?: string } = {}): Promise<TestApp> {
  const app = await startConversationApp({ env, ...options });
  if (options.slack) options.slack.setBotUrl(`${app.url}/slack/events`);
  apps.push(app);
  return app;
}

describe('conversation with Claude (fake Anthropic server)', () => {
  it("answers a thread follow-up with a model request that carries the incident's context, using the read tools", async () => {
    fake = await startFakeAnthropic({
      script: (_req, turn) =>
        turn === 0
          ? { toolUses: [{ name: 'list_pods', input: { namespace: 'shop' } }] }
          : { text: 'The checkout pods crash because PAYMENT_URL is "htp://payments". Undo the rollout.' },
    });
    const app = await startApp(claudeEnv(fake.url));
    const incident = await openIncident(app);
    await appendContextEvent(
      { redis: app.ctx.redis, keyPrefix: app.prefix },
      { channel: incident.channel!, threadTs: incident.threadTs!, incidentId: incident.id, event: { kind: 'finding', summary: 'crash-loop: exit code 1, FATAL config PAYMENT_URL' } },
    );
    await app.slack.postUserMessage({ user: 'UALICE', channel: 'CINCIDENTS', threadTs: incident.threadTs!, text: 'what should we do about it?' });
    const [answer] = await waitFor(() => (botReplies(app, incident.threadTs!).length > 0 ? botReplies(app, incident.threadTs!) : undefined));
    expect(JSON.stringify(answer)).toContain('Undo the rollout');

    expect(fake.requests.length).toBe(2);
    const seed = seedOf(fake.requests[0]!);
    expect(seed).toContain('<thread_context>');
    expect(seed).toContain('KubePodCrashLooping: shop/checkout');
    expect(seed).toContain(`Incident ${incident.id}`);
    expect(seed).toContain('deployment=checkout');
    expect(seed).toContain('crash-loop: exit code 1, FATAL config PAYMENT_URL');
    expect(seed).toContain('what should we do about it?');
    expect(fake.requests[0]!.headers.authorization).toBe('Bearer sk-ant-test-key');
    const toolNames = (fake.requests[0]!.body.tools as { name: string }[]).map((t) => t.name);
    expect(toolNames).toEqual(expect.arrayContaining(['list_pods', 'get_pod_logs', 'propose_action']));
    // The tool ran against the cluster and its result went back to the model.
    expect(JSON.stringify(fake.requests[1]!.body.messages)).toContain('checkout-');
  });

  it('keeps the context across a restart of the bot between two turns', async () => {
    fake = await startFakeAnthropic({
      script: (req) => (seedOf(req).includes('how do we fix it') ? { text: 'Run rollout undo on checkout.' } : { text: 'Revision 2 changed PAYMENT_URL to htp://payments.' }),
    });
    slack = await startSlackSandbox();
    const redisPrefix = uniquePrefix('conv-restart');
    const first = await startApp(claudeEnv(fake.url), { slack, redisPrefix });
    const incident = await openIncident(first);
    const threadTs = incident.threadTs!;
    await slack.postUserMessage({ user: 'UALICE', channel: 'CINCIDENTS', threadTs, text: 'what changed recently?' });
    await waitFor(() => botReplies(first, threadTs).length >= 1);
    // No analysis recorded findings in this thread: the built-in analyzers' findings seed the
    // context (which of checkout's findings shows depends on where its pods are in their
    // crash loop: crash-looping, failed rollout, replicas not ready).
    const finding = /^- \[finding\] .*deployment\/checkout in shop.*\(analyzer [a-z-]+\)$/m.exec(seedOf(fake.requests[0]!).replace(/\\n/g, '\n'))?.[0];
    expect(finding).toBeDefined();
    await first.stop();
    apps.splice(apps.indexOf(first), 1);

    const second = await startApp(claudeEnv(fake.url), { slack, redisPrefix });
    await slack.postUserMessage({ user: 'UBOB', channel: 'CINCIDENTS', threadTs, text: 'and how do we fix it?' });
    await waitFor(() => botReplies(second, threadTs).length >= 2);
    const seed = seedOf(fake.requests.at(-1)!);
    expect(seed).toContain('and how do we fix it?');
    expect(seed).toContain('what changed recently?');
    expect(seed).toContain('Revision 2 changed PAYMENT_URL to htp://payments.');
    expect(seed).toContain('KubePodCrashLooping: shop/checkout');
    // Said once, not once per turn.
    expect(seed.replace(/\\n/g, '\n').split(finding!).length - 1).toBe(1);
    expect(JSON.stringify(botReplies(second, threadTs)[1])).toContain('Run rollout undo on checkout.');
  });
});

describe('proposals made while answering', () => {
  it('go through risk by code and the approval rules, with the asking user as requester', async () => {
    fake = await startFakeAnthropic({
      script: (req, turn) =>
        seedOf(req).includes('what is pending?')
          ? { text: 'The rollout undo is waiting for a second approver.' }
          : turn === 0
          ? {
              toolUses: [
                {
                  name: 'propose_action',
                  input: { action: { type: 'rollout_undo', namespace: 'shop', name: 'checkout' }, rationale: 'revision 2 broke PAYMENT_URL', confidence: 0.9 },
                },
              ],
            }
          : { text: 'I proposed undoing the rollout of checkout.' },
    });
    let loop: DecisionsProvider | undefined;
    const app = await startConversationApp({
      env: claudeEnv(fake.url),
      clusters: await sandboxRegistry(),
      decisions: (real) => (loop = real),
      yaml: conversationYaml.replace('users: [UALICE]', 'users: [UALICE, UBOB]'),
    });
    apps.push(app);
    const incident = await openIncident(app);
    await app.slack.postUserMessage({ user: 'UBOB', channel: 'CINCIDENTS', threadTs: incident.threadTs!, text: 'can you fix it?' });
    const proposalMessage = await waitFor(() =>
      botReplies(app, incident.threadTs!).find((m) => JSON.stringify(m.blocks ?? []).includes('kubectl rollout undo deployment/checkout -n shop')),
    );
    expect(JSON.stringify(proposalMessage.blocks)).toContain('proposal_approve');
    const decisions = loop!.port(app.ctx);
    const [record] = await decisions.store.listByIncident(incident.id);
    expect(record?.status).toBe('pending');
    expect(record?.proposal).toMatchObject({ requestedBy: 'UBOB', origin: 'claude', channel: 'CINCIDENTS', threadTs: incident.threadTs, cluster: 'lab' });
    expect(record?.proposal.risk).toBe(decisions.classify(record!.proposal.action, { cluster: 'lab', channel: 'CINCIDENTS', target: record!.proposal.target }).risk);
    // Bob is an approver, but he asked for this one: someone else must approve it.
    await app.slack.clickButton({ user: 'UBOB', channel: 'CINCIDENTS', messageTs: proposalMessage.ts, actionId: 'proposal_approve' });
    const refusal = await waitFor(() => app.slack.ephemerals('CINCIDENTS').find((e) => e.user === 'UBOB'));
    expect(refusal.text).toContain('someone else must approve');

    // The next question's model request carries the proposal and its state, read from the decision store.
    await app.slack.postUserMessage({ user: 'UALICE', channel: 'CINCIDENTS', threadTs: incident.threadTs!, text: 'what is pending?' });
    await waitFor(() => botReplies(app, incident.threadTs!).some((m) => m.text.includes('waiting for a second approver')));
    const seed = seedOf(fake.requests.at(-1)!);
    expect(seed).toContain('kubectl rollout undo deployment/checkout -n shop');
    expect(seed).toContain('asked by UBOB');
    expect(seed).toContain(': pending');
    expect(seed).toContain('can you fix it?');
    expect((await decisions.store.get(record!.proposal.id))?.status).toBe('pending');
  });
});

describe('long answers and Slack rate limits', () => {
  it('splits a long answer over several thread messages and waits out a 429 without posting twice', async () => {
    const long = Array.from({ length: 900 }, (_, i) => `line ${i}: ${'detail '.repeat(6)}`).join('\n');
    fake = await startFakeAnthropic({ script: () => ({ text: long }) });
    const app = await startApp(claudeEnv(fake.url));
    const incident = await openIncident(app);
    app.slack.failNext({ method: 'chat.postMessage', status: 429, retryAfter: 1 });
    await app.slack.postUserMessage({ user: 'UALICE', channel: 'CINCIDENTS', threadTs: incident.threadTs!, text: 'tell me everything' });
    await waitFor(() => botReplies(app, incident.threadTs!).some((m) => JSON.stringify(m.blocks).includes('line 899')));
    const replies = botReplies(app, incident.threadTs!);
    expect(replies.length).toBeGreaterThan(1);
    const all = replies.map((m) => JSON.stringify(m.blocks)).join('');
    for (const i of [0, 450, 899]) expect(all.split(`line ${i}:`).length - 1).toBe(1);
    expect(app.slack.calls.some((c) => c.method === 'chat.postMessage' && c.status === 429)).toBe(true);
  });
});
