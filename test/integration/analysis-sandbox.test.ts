import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Action } from '../../src/decisions/actions/catalog.js';
import { parseQuantity } from '../../src/decisions/actions/risk.js';
import { createAnthropicMessages } from '../../src/analysis/agent/client.js';
import { createClaudeInvestigator } from '../../src/analysis/agent/investigator.js';
import { analyzeIncident, type AnalysisOutcome, type AnalyzeDeps } from '../../src/analysis/analyze-incident.js';
import { snapshotTarget } from '../../src/decisions/actions/snapshot.js';
import type { Incident } from '../../src/core/incident.js';
import { createClusterConnection, type ClusterConnection } from '../../src/kube/connection.js';
import { scriptedInvestigator, startFakeAnthropic, type FakeAnthropic } from '../../sandbox/anthropic/index.js';
import { startSandboxCluster, type SandboxCluster } from '../../sandbox/cluster/index.js';
import { waitFor } from '../../sandbox/shared/wait.js';
import { kubeConfigFromYaml } from '../helpers/sandbox-cluster.js';
import { channelConfig, incident } from '../analysis/helpers.js';

/**
 * The judged flow, with no API key: for every sandbox scenario, the analysis over the real
 * sandbox API (through B's reader and snapshot) gives the right diagnosis and proposal.
 */
let sandbox: SandboxCluster;
let connection: ClusterConnection;

beforeAll(async () => {
  sandbox = await startSandboxCluster({ timeScale: 1 });
  connection = createClusterConnection('sandbox', kubeConfigFromYaml(sandbox.kubeconfigYaml()));
});
afterAll(async () => {
  await sandbox.close();
});

function deps(overrides: Partial<AnalyzeDeps> = {}): AnalyzeDeps {
  return {
    reader: () => connection.reader,
    channel: channelConfig({ cluster: 'sandbox', namespaces: ['*'] }),
    policy: { protectedNamespaces: [], deny: [], proposalTtlMinutes: 30 },
    snapshot: (_c: string, action: Action) => snapshotTarget(connection.reader, action),
    clock: () => Date.now(),
    idFactory: (p) => `${p.origin}:${p.action.type}`,
    ...overrides,
  };
}

/** Analyses until `ok` holds: the sandbox's crash loops and deadlines take a moment to show. */
async function analyzeUntil(target: Incident['target'], ok: (o: AnalysisOutcome) => boolean, labels: Record<string, string> = {}): Promise<AnalysisOutcome> {
  let last: AnalysisOutcome | undefined;
  await waitFor(
    async () => {
      last = await analyzeIncident(incident({ target, labels, title: 'alert' }), deps());
      return ok(last);
    },
    { timeoutMs: 15_000, intervalMs: 200, message: 'analysis did not reach the expected result' },
  ).catch((err: unknown) => {
    throw new Error(`${String(err)}\nlast outcome: ${JSON.stringify({ findings: last?.findings.map((f) => f.title), proposals: last?.proposals.map((p) => p.action) })}`);
  });
  return last!;
}

const actions = (o: AnalysisOutcome) => o.proposals.map((p) => p.action);

describe('built-in analysis on the sandbox cluster (no API key)', () => {
  it('checkout: crash loop after a config change → rollout_undo', async () => {
    const o = await analyzeUntil({ namespace: 'shop', deployment: 'checkout' }, (x) => actions(x).some((a) => a.type === 'rollout_undo'));
    expect(o.findings.find((f) => f.analyzer === 'crash-loop')?.summary).toContain('PAYMENT_URL');
    expect(actions(o)).toEqual([{ type: 'rollout_undo', namespace: 'shop', name: 'checkout', toRevision: 1 }]);
    expect(o.proposals[0]).toMatchObject({ risk: 'high', target: { kind: 'Deployment', name: 'checkout' } });
    expect(o.aiStatus).toEqual({ state: 'disabled' });
  });

  it('cart: OOMKilled → set_resources memory limit ≥ 256Mi at medium risk', async () => {
    const o = await analyzeUntil({ namespace: 'shop', deployment: 'cart' }, (x) => actions(x).some((a) => a.type === 'set_resources'));
    const a = actions(o).find((x) => x.type === 'set_resources');
    expect(a?.type === 'set_resources' && parseQuantity(a.limits?.memory ?? '0')! >= 256 * 2 ** 20).toBe(true);
    expect(o.proposals.find((p) => p.action.type === 'set_resources')?.risk).toBe('medium');
  });

  it('frontend: image pull failure after a tag change → rollout_undo', async () => {
    const o = await analyzeUntil({ namespace: 'shop', deployment: 'frontend' }, (x) => actions(x).some((a) => a.type === 'rollout_undo'));
    expect(o.findings.map((f) => f.analyzer)).toContain('image-pull');
    expect(actions(o)).toEqual([{ type: 'rollout_undo', namespace: 'shop', name: 'frontend', toRevision: 1 }]);
  });

  it('search: unschedulable finding (insufficient memory)', async () => {
    const o = await analyzeUntil({ namespace: 'shop', deployment: 'search' }, (x) => x.findings.some((f) => f.kind === 'insufficient-memory'));
    expect(o.findings.find((f) => f.kind === 'insufficient-memory')).toMatchObject({ analyzer: 'insufficient-resources', object: 'Deployment/shop/search' });
  });

  it('payments: stuck rollout → rollout_undo', async () => {
    const o = await analyzeUntil({ namespace: 'shop', deployment: 'payments' }, (x) => actions(x).some((a) => a.type === 'rollout_undo'));
    expect(o.findings.map((f) => f.analyzer)).toContain('failed-rollout');
    expect(actions(o)).toEqual([{ type: 'rollout_undo', namespace: 'shop', name: 'payments', toRevision: 1 }]);
  });

  it('node-3: NotReady finding and a cordon proposal', async () => {
    const o = await analyzeUntil({ node: 'node-3' }, (x) => x.findings.length > 0);
    expect(o.findings.map((f) => f.title)).toContain('Node node-3 is NotReady');
    expect(actions(o)).toEqual([{ type: 'cordon_node', node: 'node-3' }]);
    expect(o.proposals[0]!.risk).toBe('high');
  });

  it('api: HPA at its maximum → finding', async () => {
    const o = await analyzeUntil({ namespace: 'shop' }, (x) => x.findings.some((f) => f.analyzer === 'hpa-at-max'), { horizontalpodautoscaler: 'api' });
    expect(o.findings.find((f) => f.analyzer === 'hpa-at-max')?.title).toContain('HPA api is at its maximum');
  });

  it('a healthy workload gets no proposal', async () => {
    const o = await analyzeIncident(incident({ target: { namespace: 'shop', deployment: 'web' } }), deps());
    expect(o.proposals).toEqual([]);
  });
});

describe('Claude investigator on the sandbox cluster (fake Anthropic API)', () => {
  let fake: FakeAnthropic;
  beforeAll(async () => {
    fake = await startFakeAnthropic();
  });
  afterAll(async () => {
    await fake.close();
  });

  it('runs the read tools against the real API and its proposals get code-computed risk', async () => {
    fake.setScript(
      scriptedInvestigator({
        namespace: 'shop',
        deployment: 'checkout',
        node: 'node-3',
        proposals: [{ action: { type: 'rollout_undo', namespace: 'shop', name: 'checkout' }, rationale: 'bad PAYMENT_URL; risk low', confidence: 0.9 }],
      }),
    );
    const investigator = createClaudeInvestigator({
      messages: createAnthropicMessages({ apiKey: 'test-key', baseURL: fake.url, maxRetries: 0 }),
      model: 'claude-sonnet-5-5',
    });
    const o = await analyzeIncident(incident({ target: { namespace: 'shop', deployment: 'checkout' } }), deps({ investigator }));
    expect(o.aiStatus).toEqual({ state: 'ok' });
    const claude = o.proposals.find((p) => p.origin === 'claude');
    expect(claude).toMatchObject({ action: { type: 'rollout_undo', name: 'checkout' }, risk: 'high' });
    const sent = JSON.stringify(fake.requests.map((r) => r.body.messages));
    expect(sent).toContain('NodeStatusUnknown');
    expect(sent).toMatch(/checkout-[a-z0-9]+-[a-z0-9]+/);
    // Sweep, pod tools, proposals with the summary: no fourth request for a summary.
    expect(o.usage?.requests).toBe(3);
  });
});
