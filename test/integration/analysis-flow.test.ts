import { analysisRequests } from '../../src/analysis/job.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createAnalysisFeature } from '../../src/analysis/feature.js';
import { createDecisionsFeature } from '../../src/decisions/feature.js';
import { scriptedInvestigator, startFakeAnthropic, type FakeAnthropic } from '../../sandbox/anthropic/index.js';
import { waitFor } from '../../sandbox/shared/wait.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { alertmanagerAlert, incidentRoot } from '../helpers/incident-thread.js';
import { incidentsYaml as yaml, useSandboxProd } from '../helpers/sandbox-cluster.js';

/**
 * Alert → intake → `analysis` queue → findings and a proposal in the incident thread, over
 * real Redis, the Slack sandbox, the sandbox cluster and E's decision loop (submit).
 */
const sandboxProd = useSandboxProd({ scenarios: ['checkout-crashloop'], timeScale: 1, settle: false });
let app: TestApp | undefined;
let fake: FakeAnthropic;

beforeAll(async () => {
  fake = await startFakeAnthropic();
});
afterAll(async () => {
  await fake.close();
});
afterEach(async () => {
  await app?.stop();
  app = undefined;
});

async function start(env: Record<string, string> = {}): Promise<TestApp> {
  const clusters = sandboxProd().clusters;
  const decisions = createDecisionsFeature({ analysis: analysisRequests, sweepIntervalMs: 0 });
  return startTestApp({
    yaml,
    env,
    clusters,
    features: [decisions, createAnalysisFeature({ decisions })],
  });
}

const firingCheckout = () => alertmanagerAlert({ groupKey: 'analysis-flow' });

async function threadReplies(a: TestApp, count: number) {
  const root = await incidentRoot(a);
  return waitFor(
    () => {
      const replies = a.slack.thread('CINCIDENTS', root.ts).slice(1);
      return replies.length >= count ? replies : undefined;
    },
    { timeoutMs: 15_000, message: 'analysis replies did not arrive' },
  );
}

describe('analysis flow through the app', () => {
  it('posts findings and an approvable rollout_undo proposal in the incident thread (no API key)', async () => {
    app = await start();
    expect((await app.postAlertmanager(firingCheckout())).status).toBe(202);
    const [findings, proposal] = await threadReplies(app, 2);
    expect(JSON.stringify(findings!.blocks)).toContain('crash-looping');
    expect(JSON.stringify(findings!.blocks)).toContain('Built-in analyzers only');
    const blocks = JSON.stringify(proposal!.blocks);
    expect(blocks).toContain('kubectl rollout undo deployment/checkout --to-revision=1 -n shop');
    expect(blocks).toContain('high risk');
    expect(blocks).toContain('proposal_approve');
    expect(app.logs()).not.toContain('analysis failed');
  });

  it('with ANTHROPIC_API_KEY, Claude investigates through the fake API and usage is shown', async () => {
    fake.setScript(scriptedInvestigator({ namespace: 'shop', deployment: 'checkout', proposals: [] }));
    app = await start({ ANTHROPIC_API_KEY: 'test-key', ANTHROPIC_BASE_URL: fake.url });
    await app.postAlertmanager(firingCheckout());
    const [findings] = await threadReplies(app, 2);
    const text = JSON.stringify(findings!.blocks);
    expect(text).toContain('Claude usage');
    expect(text).toContain("Claude's analysis");
    expect(fake.requests.length).toBeGreaterThanOrEqual(3);
    expect(app.logs()).not.toContain('test-key');
  });
});
