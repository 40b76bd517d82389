import type { V1Deployment } from '@kubernetes/client-node';
import { afterEach, describe, expect, it } from 'vitest';
import { actionIds } from '../../src/decisions/action-ids.js';
import { defaultUsers } from '../../sandbox/slack/index.js';
import { waitFor } from '../../sandbox/shared/wait.js';
import type { TestApp } from '../helpers/app.js';
import { startDecisionApp } from '../helpers/decision-app.js';
import { alertmanagerAlert, incidentRoot, textOf, threadMessage } from '../helpers/incident-thread.js';
import { useSandboxProd, incidentsYamlWith } from '../helpers/sandbox-cluster.js';

/**
 * Issue 16 against the sandbox's real RBAC (seeded: group `sre` may edit in shop) and the
 * local Slack: approvers are mapped to Kubernetes identities; the cluster decides whose click
 * counts, and the approved rollback reaches the sandbox impersonating the approver whose
 * click completed the approval — seen in the sandbox's request log, which records, as a
 * Kubernetes audit event does, the user and the impersonated user and groups of each request.
 */
const yaml = incidentsYamlWith({ approvers: '{ users: [UALICE, UCAROL, UERIN, UFRANK] }', extra: `
identities:
  users:
    UALICE: { user: alice@example.com, groups: [sre] }
    UCAROL: { user: dave@example.com }
    UFRANK: { user: frank@example.com, groups: [oncall] }
  groups:
    SSRE: { groups: [sre] }
execution:
  runAs: approver
` });

const people = [
  ...defaultUsers,
  { id: 'UCAROL', name: 'carol', realName: 'Carol', title: 'approver the cluster refuses' },
  { id: 'UERIN', name: 'erin', realName: 'Erin', title: 'approver with no Kubernetes identity' },
  { id: 'UFRANK', name: 'frank', realName: 'Frank', title: 'approver in @sre' },
];

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
    slackOptions: { users: people, usergroups: [{ id: 'SSRE', handle: 'sre', users: ['UFRANK'] }] },
  });

describe('actions run as the approving person', () => {
  it('refused and unmapped approvers are told why and not counted; the run impersonates the approver who completed it', async () => {
    const started = await start();
    app = started.app;
    const { slack } = app;
    const sandbox = sandboxProd();
    expect((await app.postAlertmanager(alertmanagerAlert({ groupKey: 'run-as' }))).status).toBe(202);
    const root = await incidentRoot(app);
    const proposal = await threadMessage(app, root, actionIds.approve);
    expect(textOf(proposal)).toContain('rollout undo deployment/checkout');
    // Before any click: who of the channel's approvers the cluster would let run it.
    expect(textOf(proposal)).toContain('The cluster would let <@UALICE>, <@UFRANK> run it');
    const click = (user: string) => slack.clickButton({ user, channel: 'CINCIDENTS', messageTs: proposal.ts, actionId: actionIds.approve });
    const lastEphemeral = () => slack.ephemerals('CINCIDENTS').at(-1);

    await click('UCAROL');
    expect(lastEphemeral()).toMatchObject({ user: 'UCAROL', text: expect.stringContaining('dave@example.com may not patch deployments.apps "checkout" in namespace shop') });
    await click('UERIN');
    expect(lastEphemeral()).toMatchObject({ user: 'UERIN', text: expect.stringContaining('not mapped to a Kubernetes identity') });
    // Two refusals did not make a high-risk action one approval short: it still needs two the cluster trusts.
    await click('UALICE');
    expect(lastEphemeral()).toMatchObject({ user: 'UALICE', text: expect.stringContaining('second') });
    const before = sandbox.cluster.requests.length;
    await click('UFRANK');

    await waitFor(() => slack.thread('CINCIDENTS', root.ts).map(textOf).find((t) => t.includes('Verified')), { timeoutMs: 40_000, message: 'no verification verdict in the thread' });
    const deployment = sandbox.cluster.getObject('Deployment', 'shop', 'checkout') as V1Deployment;
    expect(deployment.status?.availableReplicas).toBe(deployment.spec?.replicas);

    const after = sandbox.cluster.requests.slice(before);
    const patches = after.filter((r) => r.method === 'PATCH' && r.path === '/apis/apps/v1/namespaces/shop/deployments/checkout');
    const frank = { username: 'frank@example.com', groups: ['oncall', 'sre', 'system:authenticated'] };
    expect(patches.map((r) => ({ dryRun: r.query.includes('dryRun=All'), as: r.impersonatedUser, status: r.status }))).toEqual([
      { dryRun: true, as: frank, status: 200 },
      { dryRun: false, as: frank, status: 200 },
    ]);
    // Verification reads the workload as frank too.
    expect(after.some((r) => r.method === 'GET' && r.path.startsWith('/apis/apps/v1/namespaces/shop/') && r.impersonatedUser?.username === 'frank@example.com')).toBe(true);
    const thread = slack.thread('CINCIDENTS', root.ts).map(textOf).join('\n');
    expect(thread).toContain('as frank@example.com (groups oncall, sre)');
    const audit = await started.decisions.services(app.ctx).audit.recent({ limit: 30 });
    expect(audit.filter((e) => e.type === 'refusal').map((e) => e.actor)).toEqual(expect.arrayContaining(['UCAROL', 'UERIN']));
    expect(audit.find((e) => e.type === 'execution')?.summary).toContain('as frank@example.com');
  });
});
