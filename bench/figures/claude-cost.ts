import { KubeConfig } from '@kubernetes/client-node';
import type { ProposeActionInput } from '../../src/analysis/agent/propose-action.js';
import { createAnthropicMessages } from '../../src/analysis/agent/client.js';
import { createClaudeInvestigator } from '../../src/analysis/agent/investigator.js';
import { analyzeIncident } from '../../src/analysis/analyze-incident.js';
import { ChannelConfig } from '../../src/core/config/file.js';
import type { Incident } from '../../src/core/incident.js';
import { createClusterConnection } from '../../src/kube/connection.js';
import { snapshotTarget } from '../../src/actions/snapshot.js';
import { scriptedInvestigator, startFakeAnthropic, type ScriptedInvestigatorOptions } from '../../sandbox/anthropic/index.js';
import { scenarioNames, startSandboxCluster } from '../../sandbox/cluster/index.js';
import type { BenchEnv } from '../lib/bench-env.js';
import type { BenchSizes } from '../lib/options.js';
import { metric, type FigureResult } from '../lib/report.js';
import { round } from '../lib/stats.js';

const why = (text: string, confidence = 0.85) => ({ rationale: text, confidence });

/** What an alert for each sandbox scenario points at, and what the scripted model proposes. */
export const investigations: Record<string, { target: Incident['target']; title: string; script: Omit<ScriptedInvestigatorOptions, 'proposals'>; propose: ProposeActionInput[] }> = {
  'node-notready': {
    target: { node: 'node-3' },
    title: 'KubeNodeNotReady node-3',
    script: { namespace: 'shop', node: 'node-3' },
    propose: [{ action: { type: 'cordon_node', node: 'node-3' }, ...why('kubelet stopped posting status') }],
  },
  'checkout-crashloop': {
    target: { namespace: 'shop', deployment: 'checkout' },
    title: 'KubePodCrashLooping shop/checkout',
    script: { namespace: 'shop', deployment: 'checkout' },
    propose: [{ action: { type: 'rollout_undo', namespace: 'shop', name: 'checkout' }, ...why('PAYMENT_URL broken by the last rollout') }],
  },
  'cart-oomkilled': {
    target: { namespace: 'shop', deployment: 'cart' },
    title: 'KubeContainerOOMKilled shop/cart',
    script: { namespace: 'shop', deployment: 'cart' },
    propose: [
      {
        action: { type: 'set_resources', namespace: 'shop', kind: 'Deployment', name: 'cart', container: 'cart', limits: { memory: '256Mi' } },
        ...why('the cache needs ~200Mi, the limit is 128Mi'),
      },
    ],
  },
  'frontend-imagepull': {
    target: { namespace: 'shop', deployment: 'frontend' },
    title: 'KubePodNotReady shop/frontend',
    script: { namespace: 'shop', deployment: 'frontend' },
    propose: [{ action: { type: 'rollout_undo', namespace: 'shop', name: 'frontend' }, ...why('the new tag does not exist') }],
  },
  'search-pending': {
    target: { namespace: 'shop', deployment: 'search' },
    title: 'KubePodPending shop/search',
    script: { namespace: 'shop', deployment: 'search' },
    propose: [],
  },
  'payments-stuck-rollout': {
    target: { namespace: 'shop', deployment: 'payments' },
    title: 'KubeDeploymentRolloutStuck shop/payments',
    script: { namespace: 'shop', deployment: 'payments' },
    propose: [{ action: { type: 'rollout_undo', namespace: 'shop', name: 'payments' }, ...why('the new revision never becomes ready') }],
  },
  'reviews-no-endpoints': {
    target: { namespace: 'shop', deployment: 'reviews' },
    title: 'KubeServiceNoEndpoints shop/reviews',
    script: { namespace: 'shop', deployment: 'reviews' },
    propose: [],
  },
  'notifications-config': {
    target: { namespace: 'shop', deployment: 'notifications' },
    title: 'KubeContainerWaiting shop/notifications',
    script: { namespace: 'shop', deployment: 'notifications' },
    propose: [],
  },
  'shop-healthy': {
    target: { namespace: 'shop', deployment: 'api' },
    title: 'KubeHpaMaxedOut shop/api',
    script: { namespace: 'shop', deployment: 'api' },
    propose: [],
  },
};

interface ScenarioCost {
  scenario: string;
  requests: number;
  inputTokens: number;
  cacheReadTokens: number;
  cacheCreationTokens: number;
  /** Every input token the model read: uncached + cache read + cache write. */
  totalInputTokens: number;
  outputTokens: number;
  requestBytes: number;
  cachedShare: number;
  aiState: string;
}

/**
 * Figure 6: what one Claude investigation costs, for every sandbox scenario, with the fake
 * Anthropic server playing a model that calls every read tool once and then proposes. The
 * investigation is the product's own (analyzeIncident with the Claude investigator, the
 * real read tools over the sandbox cluster's API); tokens are the fake's usage figures
 * (characters / 4), bytes are the request bodies the SDK sent.
 */
export async function runClaudeCost(_env: BenchEnv, sizes: BenchSizes['claude'], judge: boolean): Promise<FigureResult> {
  const started = Date.now();
  const missing = scenarioNames.filter((s) => !investigations[s]);
  if (missing.length) throw new Error(`claude-cost: no investigation for scenario(s) ${missing.join(', ')}`);
  const fake = await startFakeAnthropic();
  const cluster = await startSandboxCluster({ timeScale: 50 });
  try {
    await cluster.settle(30_000).catch(() => undefined);
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromString(cluster.kubeconfigYaml());
    const connection = createClusterConnection('sandbox', kubeConfig);
    const investigator = createClaudeInvestigator({ messages: createAnthropicMessages({ apiKey: 'bench-fake-key', baseURL: fake.url, maxRetries: 0 }), model: 'claude-sonnet-5-5' });
    const channel = ChannelConfig.parse({ cluster: 'sandbox', namespaces: ['*'] });
    const costs: ScenarioCost[] = [];
    for (let r = 0; r < sizes.rounds; r++) {
      for (const scenario of scenarioNames) {
        const plan = investigations[scenario]!;
        fake.setScript(scriptedInvestigator({ ...plan.script, proposals: plan.propose }));
        const first = fake.requests.length;
        const now = new Date().toISOString();
        const incident: Incident = {
          id: `inc-bench-${scenario}`,
          key: `alertmanager:bench-${scenario}`,
          source: 'alertmanager',
          externalId: `bench-${scenario}`,
          title: plan.title,
          severity: 'critical',
          status: 'triggered',
          labels: { alertname: plan.title.split(' ')[0]!, ...(plan.target.namespace ? { namespace: plan.target.namespace } : {}) },
          target: plan.target,
          links: [],
          members: [],
          truncatedAlerts: 0,
          channel: 'CINCIDENTS',
          threadTs: '1700000000.000100',
          createdAt: now,
          updatedAt: now,
        };
        const outcome = await analyzeIncident(incident, {
          reader: () => connection.reader,
          snapshot: (_c, action) => snapshotTarget(connection.reader, action),
          channel,
          policy: { protectedNamespaces: [], deny: [], proposalTtlMinutes: 30 },
          investigator,
          clock: () => Date.now(),
          idFactory: (p) => `${scenario}:${p.origin}:${p.action.type}`,
        });
        const usage = outcome.usage;
        const sent = fake.requests.slice(first);
        const totalInput = (usage?.inputTokens ?? 0) + (usage?.cacheReadTokens ?? 0) + (usage?.cacheCreationTokens ?? 0);
        costs.push({
          scenario,
          requests: sent.length,
          inputTokens: usage?.inputTokens ?? 0,
          cacheReadTokens: usage?.cacheReadTokens ?? 0,
          cacheCreationTokens: usage?.cacheCreationTokens ?? 0,
          totalInputTokens: totalInput,
          outputTokens: usage?.outputTokens ?? 0,
          requestBytes: sent.reduce((n, req) => n + Buffer.byteLength(JSON.stringify(req.body)), 0),
          cachedShare: totalInput ? round((usage?.cacheReadTokens ?? 0) / totalInput, 3) : 0,
          aiState: outcome.aiStatus.state,
        });
      }
    }
    const max = (f: (c: ScenarioCost) => number) => Math.max(...costs.map(f));
    const mean = (f: (c: ScenarioCost) => number) => costs.reduce((n, c) => n + f(c), 0) / costs.length;
    const notOk = costs.filter((c) => c.aiState !== 'ok').length;
    return {
      id: 6,
      title: 'Claude cost per investigation (scripted fake model, every sandbox scenario)',
      metrics: [
        metric({ name: 'input tokens / investigation (max)', unit: 'tok', value: max((c) => c.totalInputTokens), target: { on: 'value', op: '<=', limit: 15_000, kind: 'performance' } }, judge),
        metric({ name: 'input tokens / investigation (mean)', unit: 'tok', value: Math.round(mean((c) => c.totalInputTokens)) }, judge),
        metric({ name: 'uncached input tokens / investigation (max)', unit: 'tok', value: max((c) => c.inputTokens) }, judge),
        metric({ name: 'output tokens / investigation (mean)', unit: 'tok', value: Math.round(mean((c) => c.outputTokens)) }, judge),
        metric({ name: 'request bytes / investigation (mean)', unit: 'B', value: Math.round(mean((c) => c.requestBytes)) }, judge),
        metric({ name: 'input read from the prompt cache (mean)', unit: '%', value: round(mean((c) => c.cachedShare) * 100, 1) }, judge),
        metric({ name: 'investigations not ok', unit: 'count', value: notOk, target: { on: 'value', op: '==', limit: 0, kind: 'correctness' } }, judge),
      ],
      details: { sizes, perScenario: costs },
      notes: ['Input tokens count everything the model reads: uncached input, cache reads and cache writes. The fake counts a token per 4 characters.'],
      durationMs: Date.now() - started,
    };
  } finally {
    await cluster.close();
    await fake.close();
  }
}
