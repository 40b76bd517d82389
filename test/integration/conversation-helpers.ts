import { analysisRequests } from '../../src/analysis/job.js';
import { KubeConfig } from '@kubernetes/client-node';
import { createCommandsFeature } from '../../src/commands/feature.js';
import type { Feature } from '../../src/core/feature.js';
import { createDecisionsFeature } from '../../src/decisions/feature.js';
import type { DecisionsProvider } from '../../src/decisions/port.js';
import { createConversationFeature, type ConversationFeatureOptions } from '../../src/conversation/feature.js';
import type { Incident } from '../../src/core/incident.js';
import { createClusterConnection, type ClusterConnection } from '../../src/kube/connection.js';
import { createClusterReader } from '../../src/kube/read/cluster-reader.js';
import type { ClusterReader } from '../../src/kube/reader.js';
import { startSandboxCluster, type SandboxCluster } from '../../sandbox/cluster/index.js';
import type { SlackSandbox } from '../../sandbox/slack/index.js';
import { waitFor } from '../../sandbox/shared/wait.js';
import { kubeConfigFromYaml } from '../helpers/sandbox-cluster.js';
import { startTestApp, type TestApp, type TestClusters } from '../helpers/app.js';

export const conversationYaml = `
clusters:
  lab: {}
channels:
  CINCIDENTS:
    cluster: lab
    namespaces: [shop]
    mode: approval
    approvers: { users: [UALICE] }
`;

let cluster: SandboxCluster | undefined;

/** One sandbox cluster per test file (shop/checkout crash-looping), read through B's reader. */
export async function sandboxReader(): Promise<ClusterReader> {
  cluster ??= await startSandboxCluster({ scenarios: ['checkout-crashloop'], timeScale: 60 });
  const kc = new KubeConfig();
  kc.loadFromString(cluster.kubeconfigYaml());
  return createClusterReader(kc, 'lab');
}

/** A cluster registry over the sandbox cluster (B's connection: reader, snapshot, execute, check). */
export async function sandboxRegistry(): Promise<TestClusters & { get: (name: string) => ClusterConnection }> {
  await sandboxReader();
  const connection = createClusterConnection('lab', kubeConfigFromYaml(cluster!.kubeconfigYaml()));
  return {
    names: () => ['lab'],
    check: () => Promise.resolve({ ok: true }),
    get: (name) => {
      if (name !== 'lab') throw new Error(`unknown cluster ${name}`);
      return connection;
    },
  };
}

export async function closeSandboxCluster(): Promise<void> {
  await cluster?.close();
  cluster = undefined;
}

/** Decisions, conversation and /k8s as the product wires them (no sweep: tests decide when). */
export function chatFeatures(feature: Partial<ConversationFeatureOptions> = {}, decisionsOf: (real: DecisionsProvider) => DecisionsProvider = (real) => real): Feature[] {
  const real = createDecisionsFeature({ analysis: analysisRequests, sweepIntervalMs: 0 });
  const decisions = decisionsOf(real);
  const conversation = createConversationFeature({ decisions, ...feature });
  return [real, conversation, createCommandsFeature({ decisions, conversation })];
}

export async function startConversationApp(options: {
  feature?: Partial<ConversationFeatureOptions>;
  /** The decision loop's port as conversation and /k8s see it; default: the real decisions feature. */
  decisions?: (real: DecisionsProvider) => DecisionsProvider;
  env?: Record<string, string | undefined>;
  slack?: SlackSandbox;
  redisPrefix?: string;
  yaml?: string;
  clusters?: TestClusters;
  processBeforeResponse?: boolean;
} = {}): Promise<TestApp> {
  const reader = await sandboxReader();
  return startTestApp({
    yaml: options.yaml ?? conversationYaml,
    ...(options.clusters ? { clusters: options.clusters } : {}),
    ...(options.processBeforeResponse === undefined ? {} : { processBeforeResponse: options.processBeforeResponse }),
    features: chatFeatures({ readerFor: (name) => (name === 'lab' ? reader : undefined), ...options.feature }, options.decisions),
    ...(options.env ? { env: options.env } : {}),
    ...(options.slack ? { slack: options.slack } : {}),
    ...(options.redisPrefix ? { redisPrefix: options.redisPrefix } : {}),
  });
}

/** An incident about shop/checkout with its thread root posted in #incidents. */
export async function openIncident(app: TestApp, id = 'inc-checkout'): Promise<Incident> {
  const root = await app.ctx.slack.post({ channel: 'CINCIDENTS', message: { text: `[CRITICAL] checkout is crash-looping (${id})` }, idempotencyKey: `test-root-${id}` });
  const now = new Date().toISOString();
  const incident: Incident = {
    id,
    key: `alertmanager:${id}`,
    source: 'alertmanager',
    externalId: id,
    title: 'KubePodCrashLooping: shop/checkout',
    severity: 'critical',
    status: 'triggered',
    labels: { alertname: 'KubePodCrashLooping', namespace: 'shop' },
    target: { cluster: 'lab', namespace: 'shop', deployment: 'checkout' },
    links: [],
    members: [],
    truncatedAlerts: 0,
    channel: 'CINCIDENTS',
    threadTs: root.ts,
    createdAt: now,
    updatedAt: now,
  };
  await app.ctx.incidents.create(incident);
  return incident;
}

/** Bot messages in a thread, the root excluded. */
export function botReplies(app: TestApp, threadTs: string, channel = 'CINCIDENTS') {
  return app.slack.thread(channel, threadTs).filter((m) => m.ts !== threadTs && (m.bot_id !== undefined || m.user === app.slack.identity.botUserId));
}

/** Waits until the conversation queue has nothing waiting, active or delayed. */
export async function conversationDrained(app: TestApp): Promise<void> {
  await waitFor(async () => {
    const c = await app.ctx.queues.get('conversation').getJobCounts('waiting', 'active', 'delayed', 'prioritized');
    return c.waiting === 0 && c.active === 0 && c.delayed === 0 && (c.prioritized ?? 0) === 0;
  }, { message: 'conversation queue did not drain' });
}
