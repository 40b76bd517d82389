import type { V1Deployment } from '@kubernetes/client-node';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultUsers } from '../../sandbox/slack/index.js';
import { waitFor } from '../../sandbox/shared/wait.js';
import { actionIds } from '../../src/decisions/action-ids.js';
import type { TestApp } from '../helpers/app.js';
import { startDecisionApp } from '../helpers/decision-app.js';
import { alertmanagerAlert, incidentRoot, textOf, threadMessage } from '../helpers/incident-thread.js';
import { useSandboxProd, incidentsYamlWith } from '../helpers/sandbox-cluster.js';

/**
 * The judged flow of issue 5, end to end: an Alertmanager alert → intake → analysis → a
 * proposal in the thread → Approve clicks through the Slack sandbox (signed block_actions
 * into real Bolt) → dry run, execution and verification posted → the sandbox workload healed.
 * Approvers: UALICE by id, UCAROL through the user group SONCALL (usergroups.users.list).
 */
const yaml = incidentsYamlWith({ approvers: '{ users: [UALICE], groups: [SONCALL] }' });

const sandboxProd = useSandboxProd({ scenarios: ['checkout-crashloop'], timeScale: 50 });
let app: TestApp | undefined;

afterEach(async () => {
  await app?.stop();
  app = undefined;
});

const start = () =>
  startDecisionApp({
    yaml,
    clusters: sandboxProd().clusters,
    slackOptions: {
      users: [...defaultUsers, { id: 'UCAROL', name: 'carol', realName: 'Carol On-call', title: 'on-call (via @oncall)' }],
      usergroups: [{ id: 'SONCALL', handle: 'oncall', users: ['UCAROL'] }],
    },
  });

describe('decision loop end to end', () => {
  it('alert → proposal → two allowed approvers → dry run, execution, verification posted, workload healed', async () => {
    const started = await start();
    app = started.app;
    const { slack } = app;
    const sandbox = sandboxProd();
    expect((await app.postAlertmanager(alertmanagerAlert({ groupKey: 'decision-flow' }))).status).toBe(202);
    const root = await incidentRoot(app);
    const proposal = await threadMessage(app, root, actionIds.approve);
    expect(textOf(proposal)).toContain('rollout undo deployment/checkout');
    expect(textOf(proposal)).toContain('high risk');
    const broken = sandbox.cluster.getObject('Deployment', 'shop', 'checkout') as V1Deployment;
    expect(broken.status?.availableReplicas ?? 0).toBeLessThan(broken.spec?.replicas ?? 1);
    const click = (user: string) => slack.clickButton({ user, channel: 'CINCIDENTS', messageTs: proposal.ts, actionId: actionIds.approve });

    // Bob is no approver: refused privately, nothing changes.
    expect((await click('UBOB')).status).toBe(200);
    expect(slack.ephemerals('CINCIDENTS').at(-1)).toMatchObject({ user: 'UBOB', text: expect.stringContaining('not one of them') });

    // High risk: Alice's approval is the first of two; her second click does not count.
    const first = await click('UALICE');
    expect(slack.ephemerals('CINCIDENTS').at(-1)).toMatchObject({ user: 'UALICE', text: expect.stringContaining('second') });
    await click('UALICE');
    expect(slack.ephemerals('CINCIDENTS').at(-1)?.text).toContain('already approved');

    // Carol is an approver through the @oncall user group.
    await click('UCAROL');
    const updated = await waitFor(() => {
      const m = slack.thread('CINCIDENTS', root.ts).find((x) => x.ts === proposal.ts);
      return m && !textOf(m).includes(actionIds.approve) ? m : undefined;
    });
    expect(textOf(updated)).toMatch(/Approved by <@UALICE>.*<@UCAROL>/);

    const replies = await waitFor(
      () => {
        const thread = slack.thread('CINCIDENTS', root.ts).map(textOf);
        return thread.some((t) => t.includes('Verified') || t.includes('Verification failed')) ? thread : undefined;
      },
      { timeoutMs: 40_000, message: 'no verification verdict in the thread' },
    );
    const dry = replies.findIndex((t) => t.includes('Dry run'));
    const executed = replies.findIndex((t) => t.includes('Executed'));
    const verified = replies.findIndex((t) => t.includes('Verified'));
    expect(dry).toBeGreaterThan(0);
    expect(executed).toBeGreaterThan(dry);
    expect(verified).toBeGreaterThan(executed);

    const deployment = sandbox.cluster.getObject('Deployment', 'shop', 'checkout') as V1Deployment;
    expect(deployment.status?.availableReplicas).toBe(deployment.spec?.replicas);

    // A late click from a client still showing the old buttons changes nothing and says why.
    expect((await app.postSlack({ form: { payload: JSON.stringify(first.payload) } })).status).toBe(200);
    expect(slack.ephemerals('CINCIDENTS').at(-1)?.text).toContain('already decided');
    const audit = await started.decisions.services(app.ctx).audit.recent({ limit: 20 });
    expect(audit.map((e) => e.type)).toEqual(expect.arrayContaining(['proposal', 'refusal', 'approval', 'dry_run', 'execution', 'verification']));

    // The fix is verified while Alertmanager still fires: the root says mitigated, and so does the audit.
    const mitigated = await waitFor(() => {
      const rootNow = slack.thread('CINCIDENTS', root.ts)[0];
      return rootNow && textOf(rootNow).includes('Mitigated') ? rootNow : undefined;
    });
    expect(textOf(mitigated)).toContain(':adhesive_bandage: Mitigated');
    const lifecycle = await waitFor(async () => {
      const entries = await started.decisions.services(app!.ctx).audit.recent({ limit: 50 });
      return entries.find((e) => e.type === 'incident_status' && e.summary.includes('mitigated'));
    });
    expect(lifecycle.summary).toMatch(/incident mitigated \(was triggered\): fix verified/);

    // /metrics: every decision-loop event and state, each with # HELP.
    const metrics = await (await fetch(`${app.url}/metrics`)).text();
    for (const name of ['proposals_total', 'decisions_total', 'executions_total', 'verifications_total', 'breaker_open', 'paused', 'detections_total', 'incidents_open', 'incident_transitions_total']) {
      expect(metrics, name).toMatch(new RegExp(`^# HELP deckhand_${name} \\S`, 'm'));
    }
    const value = (series: string) => Number(new RegExp(`^${series.replace(/[{}"]/g, '\\$&')} (\\d+)`, 'm').exec(metrics)?.[1] ?? 'NaN');
    expect(value('deckhand_proposals_total{origin="analyzer",risk="high"}')).toBeGreaterThanOrEqual(1);
    expect(value('deckhand_decisions_total{decision="refused",by="human",reason="not_approver"}')).toBe(1);
    expect(value('deckhand_decisions_total{decision="refused",by="human",reason="already_approved_by_you"}')).toBe(1);
    expect(value('deckhand_decisions_total{decision="approved",by="human",reason=""}')).toBe(1);
    expect(value('deckhand_executions_total{outcome="executed"}')).toBe(1);
    expect(value('deckhand_verifications_total{verdict="verified"}')).toBe(1);
    expect(value('deckhand_breaker_open{cluster="prod"}')).toBe(0);
    expect(value('deckhand_paused')).toBe(0);
    expect(value('deckhand_incidents_open{status="mitigated"}')).toBe(1);
    expect(value('deckhand_incident_transitions_total{status="mitigated"}')).toBe(1);
  });
});
