import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analysisRequests } from '../../src/analysis/job.js';
import { createAnalysisFeature } from '../../src/analysis/feature.js';
import { gatherEvidence, type GatherTarget } from '../../src/analysis/gather.js';
import { runAnalyzers } from '../../src/analysis/run-analyzers.js';
import { createDecisionsFeature } from '../../src/decisions/feature.js';
import { createClusterConnection, type ClusterConnection } from '../../src/kube/connection.js';
import { startSandboxCluster, type SandboxCluster } from '../../sandbox/cluster/index.js';
import type { SandboxMessage } from '../../sandbox/slack/index.js';
import { waitFor } from '../../sandbox/shared/wait.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { incidentsYaml, kubeConfigFromYaml } from '../helpers/sandbox-cluster.js';
import { diagnosisCases } from '../diagnosis/cases.js';
import type { DiagnosisCase } from '../diagnosis/case.js';
import { ns, worldFor, type World } from '../diagnosis/world.js';

/**
 * What the on-call reads: a diagnosis case built in a fresh sandbox, an Alertmanager alert
 * labelled as the kube-prometheus rule for that failure labels it (kube-state-metrics' own
 * scrape labels included), and the incident thread the real bot writes — the root cause
 * first, its object named, its fix or the proposal that cures it, and nothing else proposed.
 */
const ksm = { job: 'kube-state-metrics', instance: '10.0.3.7:8443', container: 'kube-rbac-proxy-main' };
/** kube-prometheus-stack keeps kube-state-metrics' own pod and Service on every series. */
const stack = { job: 'kube-state-metrics', pod: 'kube-prometheus-stack-kube-state-metrics-7d9c8b6f5-abcde', service: 'kube-prometheus-stack-kube-state-metrics' };

interface ThreadCase {
  title: string;
  /** The alert's labels, from what the case built (a pod's name is read from the API). */
  labels(w: World): Promise<Record<string, string>>;
  /** A crash-looping neighbour and a healthy workload in the same namespace. */
  neighbours?: boolean;
  first: string | RegExp;
  /** Words of the first finding (the object's name, the quoted cause). */
  says: string[];
  fix?: string;
  /** The one proposal, as the thread describes it; none when absent. */
  proposal?: RegExp;
}

async function unreadyPod(w: World, prefix: string): Promise<string> {
  const pods = (await w.core.listNamespacedPod({ namespace: ns })).items.filter((p) => p.metadata?.name?.startsWith(`${prefix}-`));
  const pod = pods.find((p) => !(p.status?.containerStatuses ?? []).every((s) => s.ready)) ?? pods[0];
  if (!pod?.metadata?.name) throw new Error(`no pod of ${prefix}`);
  return pod.metadata.name;
}

const cases: ThreadCase[] = [
  {
    title: 'Insufficient memory (running replicas fit a smaller request)',
    labels: async (w) => ({ alertname: 'KubePodNotReady', namespace: ns, pod: await unreadyPod(w, 'search'), severity: 'warning' }),
    first: '1 pod(s) of Deployment/shop/search cannot be scheduled: not enough memory',
    says: ['Insufficient memory'],
    proposal: /^Set memory request \d+Mi on container search of deployment\/search in shop$/,
  },
  {
    title: 'Quota exceeded: pods',
    labels: () => Promise.resolve({ alertname: 'KubeDeploymentReplicasMismatch', namespace: ns, deployment: 'worker', ...stack }),
    first: 'ResourceQuota pods-q refuses new pods (pods)',
    says: ['pods-q', 'requested: pods=1, used: pods=2, limited: pods=2'],
    fix: 'kubectl',
  },
  {
    title: 'Image tag not found',
    labels: async (w) => ({ alertname: 'KubeContainerWaiting', namespace: ns, pod: await unreadyPod(w, 'dns'), container: 'dns', severity: 'warning' }),
    first: 'deployment/dns in shop cannot pull its image',
    says: ['registry.k8s.io/coredns/coredns:v9.9.9', 'not found'],
    fix: 'kubectl',
  },
  {
    title: 'Missing Secret',
    labels: async (w) => ({ alertname: 'KubeContainerWaiting', namespace: ns, pod: await unreadyPod(w, 'orders'), container: 'orders', severity: 'warning' }),
    first: 'Deployment/shop/orders cannot create its containers: Secret db-credentials does not exist in shop',
    says: ['secret "db-credentials" not found'],
    fix: 'kubectl -n shop create secret generic db-credentials',
  },
  {
    title: 'Liveness probe on a port nothing listens on',
    labels: async (w) => ({ ...ksm, alertname: 'KubePodCrashLooping', namespace: ns, pod: await unreadyPod(w, 'catalog'), container: 'catalog', reason: 'CrashLoopBackOff' }),
    first: 'Deployment/shop/catalog: the liveness probe checks port 8081, where nothing listens',
    says: ['connection refused'],
    fix: '8080',
  },
  {
    title: 'Service selector matches no pod',
    labels: () => Promise.resolve({ alertname: 'KubeServiceWithoutEndpoints', namespace: ns, service: 'frontend', severity: 'warning' }),
    neighbours: true,
    first: 'Service frontend selects no pod',
    says: ['app=front-end'],
    fix: 'kubectl',
  },
  {
    title: 'PVC pending: no class and no volume',
    labels: () => Promise.resolve({ alertname: 'KubePersistentVolumeClaimPending', namespace: ns, persistentvolumeclaim: 'scratch', phase: 'Pending', ...ksm }),
    neighbours: true,
    first: 'PersistentVolumeClaim scratch is Pending: no class',
    says: ['no storage class is set'],
    fix: 'scratch',
  },
  {
    title: 'Job past its backoff limit',
    labels: () => Promise.resolve({ alertname: 'KubeJobFailed', namespace: ns, job_name: 'migrate', condition: 'Failed', ...stack }),
    neighbours: true,
    first: 'Job migrate failed: BackoffLimitExceeded',
    says: ['relation "orders" does not exist'],
    fix: 'kubectl -n shop delete job migrate',
  },
  {
    title: 'StatefulSet stuck at its first pod (OrderedReady)',
    labels: () => Promise.resolve({ alertname: 'KubeStatefulSetReplicasMismatch', namespace: ns, statefulset: 'db', ...ksm }),
    first: 'StatefulSet db is stuck at pod db-0 (0/3 ready)',
    says: ['db-0', 'Insufficient memory'],
    fix: 'db-0',
  },
  {
    title: 'PodDisruptionBudget allows no disruption',
    labels: () => Promise.resolve({ alertname: 'KubePdbDisruptionsNotAllowed', namespace: ns, poddisruptionbudget: 'checkout', ...ksm }),
    first: 'PodDisruptionBudget checkout allows no disruption',
    says: ['minAvailable 2'],
    proposal: /^Scale deployment\/checkout in shop to 3 replicas$/,
  },
  {
    title: 'Node NotReady',
    labels: () => Promise.resolve({ alertname: 'KubeNodeNotReady', node: 'node-2', condition: 'Ready', status: 'true', ...ksm }),
    first: 'Node node-2 is NotReady',
    says: ['NodeStatusUnknown'],
    proposal: /^Cordon node node-2$/,
  },
];

let cluster: SandboxCluster | undefined;
let connection: ClusterConnection | undefined;
let app: TestApp;

beforeAll(async () => {
  const decisions = createDecisionsFeature({ analysis: analysisRequests, sweepIntervalMs: 0 });
  // One bot for the file; each case swaps in its own fresh sandbox behind the cluster `prod`.
  const clusters = {
    names: () => ['prod'],
    check: () => Promise.resolve({ ok: true as const }),
    get: () => {
      if (!connection) throw new Error('no sandbox for this case');
      return connection;
    },
  };
  app = await startTestApp({ yaml: incidentsYaml, clusters, features: [decisions, createAnalysisFeature({ decisions })] });
});
afterAll(async () => {
  await app.stop();
  await cluster?.close();
});

/** Builds the case and waits until its failure shows (the alert's `for:` would), as diagnosis.test.ts does. */
async function build(c: DiagnosisCase, neighbours: boolean): Promise<World> {
  await cluster?.close();
  cluster = await startSandboxCluster({ scenarios: [], timeScale: 100 });
  await cluster.settle();
  const w = await worldFor(cluster);
  const target: GatherTarget = await c.build(w);
  if (neighbours) {
    await w.deploy('noise', 1, { resources: { requests: { cpu: '10m', memory: '16Mi' } }, annotations: { 'sandbox.deckhand.dev/exit-code': '1', 'sandbox.deckhand.dev/logs': 'FATAL noise: an unrelated failure' } });
    await w.deploy('steady', 1, { resources: { requests: { cpu: '10m', memory: '16Mi' } } });
  }
  await cluster.settle();
  connection = createClusterConnection('prod', kubeConfigFromYaml(cluster.kubeconfigYaml()));
  const reader = connection.reader;
  await waitFor(async () => runAnalyzers(await gatherEvidence(reader, target), Date.now()).findings.some((f) => f.kind === c.expect.kind && f.object === c.expect.object), {
    timeoutMs: 20_000,
    intervalMs: 100,
    message: `${c.title} did not show`,
  });
  return w;
}

const unescape = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
type Block = { type: string; text?: { text: string }; elements?: { text?: string }[] };

/** The findings as the thread shows them: each finding's section with its evidence. */
function findingsOf(m: SandboxMessage): { title: string; text: string }[] {
  const blocks = (m.blocks ?? []) as Block[];
  return blocks.flatMap((b, i) => {
    const text = b.type === 'section' ? (b.text?.text ?? '') : '';
    const title = /^:(red_circle|large_yellow_circle|information_source): \*(.*?)\*\n/s.exec(text)?.[2];
    if (title === undefined) return [];
    const next = blocks[i + 1];
    const evidence = next?.type === 'context' ? (next.elements ?? []).map((e) => e.text ?? '').join('\n') : '';
    return [{ title: unescape(title), text: unescape(`${text}\n${evidence}`) }];
  });
}

let serial = 0;

describe('the incident thread of every failure family', () => {
  it.each(cases.map((t) => [t.title, t] as const))('%s', async (_title, t) => {
    const c = diagnosisCases.find((x) => x.title === t.title);
    if (!c) throw new Error(`no diagnosis case "${t.title}"`);
    const w = await build(c, t.neighbours === true);
    const labels = await t.labels(w);
    const key = `diagnosis-thread-${serial++}`;
    const summary = `${key} ${labels.alertname ?? ''}`;
    const posted = () => (app.logs().match(/"msg":"analysis (posted|failed)"/g) ?? []).length;
    const before = posted();
    const alert = { status: 'firing', labels, annotations: { summary }, startsAt: new Date().toISOString(), endsAt: '0001-01-01T00:00:00Z', fingerprint: key };
    const res = await app.postAlertmanager({
      version: '4', groupKey: key, truncatedAlerts: 0, status: 'firing', receiver: 'deckhand', externalURL: 'http://alertmanager.monitoring:9093',
      groupLabels: { alertname: labels.alertname }, commonLabels: labels, commonAnnotations: { summary }, alerts: [alert],
    });
    expect(res.status).toBe(202);
    await waitFor(() => posted() > before, { timeoutMs: 20_000, message: 'the analysis was not posted' });
    const root = await waitFor(() => app.slack.messages('CINCIDENTS').find((m) => m.text.includes(key)), { message: 'no thread root' });
    const replies = app.slack.thread('CINCIDENTS', root.ts).slice(1);
    const analysis = replies.find((m) => JSON.stringify(m.blocks ?? []).includes('"Analysis"'));
    expect(analysis, 'no findings message in the thread').toBeDefined();
    const findings = findingsOf(analysis!);
    const [first] = findings;
    expect(first?.title).toEqual(typeof t.first === 'string' ? t.first : expect.stringMatching(t.first));
    for (const word of t.says) expect(first?.text).toContain(word);
    if (t.fix !== undefined) expect(first?.text).toMatch(new RegExp(`\\*Fix:\\*[^]*${t.fix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    if (t.neighbours) expect(JSON.stringify(analysis!.blocks)).not.toContain('steady');
    const proposed = replies.flatMap((m) => (JSON.stringify(m.blocks ?? []).match(/Proposed action:\* [^"]*/g) ?? []).map((s) => unescape(s.replace('Proposed action:* ', ''))));
    if (t.proposal) expect(proposed).toEqual([expect.stringMatching(t.proposal)]);
    else expect(proposed).toEqual([]);
  }, 40_000);
});
