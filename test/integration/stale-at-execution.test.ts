import { analysisRequests } from '../../src/analysis/job.js';
import { AppsV1Api, PatchStrategy, setHeaderOptions, type V1Deployment } from '@kubernetes/client-node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createAnalysisFeature } from '../../src/analysis/feature.js';
import { createDecisionsFeature } from '../../src/decisions/feature.js';
import { actionIds } from '../../src/decisions/action-ids.js';
import { createClusterConnection } from '../../src/kube/connection.js';
import { defaultUsers } from '../../sandbox/slack/index.js';
import { waitFor } from '../../sandbox/shared/wait.js';
import { startTestApp, type TestApp, type TestClusters } from '../helpers/app.js';
import { startFaultProxy, type FaultProxy } from '../helpers/fault-proxy.js';
import { alertmanagerAlert, incidentRoot, textOf, threadMessage } from '../helpers/incident-thread.js';
import { kubeConfigFromYaml, useSandboxProd, incidentsYamlWith } from '../helpers/sandbox-cluster.js';

/**
 * The target changes after the click checked it and before the run: the execution reads it
 * again inside its lock, just before the dry run, and refuses. The window is made real with a
 * proxy in front of the sandbox that holds the answer to the click's read of the Deployment
 * while the test changes the Deployment, so the click saw the old state and the run the new.
 */
const yaml = incidentsYamlWith({ approvers: '{ users: [UALICE, UCAROL] }' });

const sandboxProd = useSandboxProd({ scenarios: ['checkout-crashloop'], timeScale: 50 });
let proxy: FaultProxy;
let app: TestApp | undefined;

beforeAll(async () => {
  proxy = await startFaultProxy({ target: sandboxProd().cluster.url });
});
afterAll(async () => {
  await proxy.close();
});
afterEach(async () => {
  await app?.stop();
  app = undefined;
});

describe('staleness inside the execution lock', () => {
  it('refuses at execution a target that changed after the approving click, and runs nothing', async () => {
    const sandbox = sandboxProd();
    const connection = createClusterConnection('prod', kubeConfigFromYaml(sandbox.cluster.kubeconfigYaml().replace(sandbox.cluster.url, proxy.url)));
    const clusters: TestClusters = { names: () => ['prod'], check: () => Promise.resolve({ ok: true }), get: () => connection };
    const decisions = createDecisionsFeature({ analysis: analysisRequests, sweepIntervalMs: 0 });
    app = await startTestApp({
      yaml,
      clusters,
      slackOptions: { users: [...defaultUsers, { id: 'UCAROL', name: 'carol', realName: 'Carol', title: 'approver' }] },
      features: [decisions, createAnalysisFeature({ decisions })],
    });
    const { slack } = app;
    expect((await app.postAlertmanager(alertmanagerAlert({ groupKey: 'stale-at-execution' }))).status).toBe(202);
    const root = await incidentRoot(app);
    const proposal = await threadMessage(app, root, actionIds.approve);
    expect(textOf(proposal)).toContain('rollout undo deployment/checkout');
    const click = (user: string) => slack.clickButton({ user, channel: 'CINCIDENTS', messageTs: proposal.ts, actionId: actionIds.approve });
    await click('UALICE');

    const deploymentPath = '/apis/apps/v1/namespaces/shop/deployments/checkout';
    const hold = proxy.holdAnswer((c) => c.method === 'GET' && c.name === deploymentPath);
    const completing = click('UCAROL');
    await hold.reached;
    // Someone changes the Deployment's spec while the click's check is in flight.
    const apps = sandboxProd().connection.kubeConfig.makeApiClient(AppsV1Api);
    const changed = await apps.patchNamespacedDeployment({ namespace: 'shop', name: 'checkout', body: { spec: { revisionHistoryLimit: 11 } } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
    const patchesBefore = proxy.count((c) => c.method === 'PATCH' && c.name === deploymentPath);
    hold.release();
    await completing;

    const notRun = await waitFor(() => slack.thread('CINCIDENTS', root.ts).map(textOf).find((t) => t.includes('Not run')), { timeoutMs: 20_000, message: 'no refusal at execution' });
    expect(notRun).toContain(`generation ${String((changed.metadata?.generation ?? 0) - 1)} → ${String(changed.metadata?.generation)}`);
    expect(slack.thread('CINCIDENTS', root.ts).map(textOf).some((t) => t.includes('Dry run'))).toBe(false);
    // Nothing was sent: neither the dry run nor the rollback.
    expect(proxy.count((c) => c.method === 'PATCH' && c.name === deploymentPath)).toBe(patchesBefore);
    const after = sandbox.cluster.getObject('Deployment', 'shop', 'checkout') as V1Deployment;
    expect(after.spec?.template.spec?.containers[0]?.env?.find((e) => e.name === 'PAYMENT_URL')?.value).toBe('htp://payments');
  });
});
