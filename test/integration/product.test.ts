import type { V1Deployment } from '@kubernetes/client-node';
import { afterEach, describe, expect, it } from 'vitest';
import { createProductFeatures } from '../../src/compose.js';
import type { SandboxMessage, SlackSandbox } from '../../sandbox/slack/index.js';
import { waitFor } from '../../sandbox/shared/wait.js';
import { actionIds } from '../../src/slack/action-ids.js';
import { fixture, startTestApp, type TestApp } from '../helpers/app.js';
import { alertmanagerAlert, incidentRoot, textOf, threadMessage } from '../helpers/incident-thread.js';
import { incidentsYaml as yaml, useSandboxProd } from '../helpers/sandbox-cluster.js';

/**
 * The product as src/compose.ts wires it (what `npm start` runs): analysis hands proposals
 * to the decision loop, /k8s and the buttons share one mode store, and resolving an
 * incident expires its pending proposals.
 */
const sandboxProd = useSandboxProd({ scenarios: ['checkout-crashloop', 'cart-oomkilled'], timeScale: 50 });
let slack: SlackSandbox;
let app: TestApp | undefined;

afterEach(async () => {
  await app?.stop();
  app = undefined;
});

async function start(): Promise<TestApp> {
  const started = await startTestApp({
    yaml,
    clusters: sandboxProd().clusters,
    features: createProductFeatures({ decisions: { sweepIntervalMs: 0, verification: { timeoutMs: 30_000, settleMs: 300, pollMs: 100 } } }),
  });
  slack = started.slack;
  return started;
}

function alertFor(deployment: string, alertname: string, status: 'firing' | 'resolved' = 'firing') {
  return alertmanagerAlert({ groupKey: `product-${deployment}-${alertname}`, deployment, alertname, status });
}

async function proposalIn(a: TestApp, includes: string): Promise<{ root: SandboxMessage; proposal: SandboxMessage }> {
  const root = await incidentRoot(a, { includes: 'Kube' });
  return { root, proposal: await threadMessage(a, root, includes) };
}

describe('the composed product', () => {
  it('heals an OOMKilled workload after one approval (medium risk)', async () => {
    app = await start();
    expect((await app.postAlertmanager(alertFor('cart', 'KubeContainerOOMKilled'))).status).toBe(202);
    const { root, proposal } = await proposalIn(app, 'set resources deployment/cart');
    expect(textOf(proposal)).toContain(actionIds.approve);
    expect(textOf(proposal)).toContain('medium');
    await slack.clickButton({ user: 'UALICE', channel: 'CINCIDENTS', messageTs: proposal.ts, actionId: actionIds.approve });
    await waitFor(() => slack.thread('CINCIDENTS', root.ts).some((m) => textOf(m).includes('Verified')), {
      timeoutMs: 40_000,
      message: 'no verification verdict',
    });
    const cart = sandboxProd().cluster.getObject('Deployment', 'shop', 'cart') as V1Deployment;
    expect(cart.status?.availableReplicas).toBe(cart.spec?.replicas);
  });

  it('expires pending proposals when the incident resolves, so a late click changes nothing', async () => {
    app = await start();
    expect((await app.postAlertmanager(alertFor('checkout', 'KubePodCrashLooping'))).status).toBe(202);
    const { root, proposal } = await proposalIn(app, 'rollout undo deployment/checkout');
    expect(textOf(proposal)).toContain(actionIds.approve);

    expect((await app.postAlertmanager(alertFor('checkout', 'KubePodCrashLooping', 'resolved'))).status).toBe(202);
    await waitFor(
      () => {
        const m = slack.thread('CINCIDENTS', root.ts).find((x) => x.ts === proposal.ts);
        return m && !textOf(m).includes(actionIds.approve);
      },
      { message: 'proposal kept its buttons after the incident resolved' },
    );
    // A client still showing the old buttons sends the click anyway.
    const late = fixture('slack/interaction-block-actions.json');
    late.container = { ...late.container, message_ts: proposal.ts, thread_ts: root.ts };
    late.message = { ...late.message, ts: proposal.ts, thread_ts: root.ts };
    late.response_url = `${slack.url}/response/late`;
    late.actions[0].value = buttonValue(proposal, actionIds.approve);
    expect((await app.postSlack({ form: { payload: JSON.stringify(late) } })).status).toBe(200);
    await waitFor(() => slack.ephemerals('CINCIDENTS').find((e) => e.user === 'UALICE'), { message: 'the late click was not answered' });
    expect(slack.calls.filter((c) => c.method === 'chat.postMessage' && JSON.stringify(c.args).includes('Dry run'))).toHaveLength(0);
  });

  it('lists a waiting proposal in /k8s status', async () => {
    app = await start();
    expect((await app.postAlertmanager(alertFor('checkout', 'KubePodCrashLooping'))).status).toBe(202);
    const { proposal } = await proposalIn(app, 'rollout undo deployment/checkout');
    const id = buttonValue(proposal, actionIds.approve);
    await slack.slashCommand({ user: 'UALICE', channel: 'CINCIDENTS', text: 'status' });
    const answer = await waitFor(() => slack.calls.find((c) => c.method === 'response_url' && JSON.stringify(c.args).includes('Pending proposals')), {
      message: 'no /k8s status answer',
    });
    expect(JSON.stringify(answer.args)).toContain(id);
  });

  it('obeys a mode set with /k8s: in plan mode a new proposal has no buttons', async () => {
    app = await start();
    const answer = await slack.slashCommand({ user: 'UALICE', channel: 'CINCIDENTS', text: 'mode plan' });
    expect(answer.status).toBe(200);
    await waitFor(() => slack.calls.some((c) => JSON.stringify(c.args).includes('plan')), { message: 'no answer to /k8s mode plan' });
    expect((await app.postAlertmanager(alertFor('checkout', 'KubePodCrashLooping'))).status).toBe(202);
    const { proposal } = await proposalIn(app, 'rollout undo deployment/checkout');
    expect(textOf(proposal)).not.toContain(actionIds.approve);
  });
});

/** The value of a message's button (the proposal id for Approve / Reject). */
function buttonValue(message: SandboxMessage, actionId: string): string {
  for (const block of (message.blocks ?? []) as { type: string; elements?: { action_id?: string; value?: string }[] }[]) {
    const button = block.elements?.find((e) => e.action_id === actionId);
    if (button?.value) return button.value;
  }
  throw new Error(`no ${actionId} button`);
}
