import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { AppsV1Api, CoreV1Api, KubeConfig, type V1Pod } from '@kubernetes/client-node';
import { trimPod, type TrimmedPod } from '../../src/watch/trim.js';
import { waitFor } from '../../sandbox/shared/wait.js';
import type { BenchEnv } from '../lib/bench-env.js';
import { startBot, type BotUnderTest } from '../lib/bot.js';
import type { BenchSizes } from '../lib/options.js';
import { metric, type FigureResult } from '../lib/report.js';
import { isRootWith, waitForCall } from '../lib/slack-watch.js';
import { summarize } from '../lib/stats.js';

/** `for` of the bench's detection: the latency beyond it is what the watch itself costs. */
const forMs = 2000;

/**
 * Figure 7: the cluster watch (detection.enabled) over `pods` pods in the sandbox cluster:
 * memory the watch adds once they are listed and watched, CPU while nothing changes, and the
 * time from a workload turning unhealthy (an unschedulable Deployment created through the
 * API) to its incident's thread root — with one replica, then with two (one elected watcher).
 * The sandbox reconciles every pod every 20 ms, so on a small machine it cannot hold 10,000
 * live pods; what the watch keeps per pod is therefore also measured exactly, for
 * `trimmedPods` copies of the sandbox's own pod objects, with forced garbage collection.
 */
export async function runWatch(env: BenchEnv, sizes: BenchSizes['watch'], judge: boolean): Promise<FigureResult> {
  const started = Date.now();
  const bot = await startBot(env, {
    label: 'watch',
    scenarios: ['shop-healthy'],
    timeScale: 1,
    config: { detection: { enabled: true, for: `${forMs}ms`, recoverAfter: '60s', namespaces: ['*'], leaseNamespace: 'default' } },
  });
  try {
    const kc = new KubeConfig();
    kc.loadFromString(bot.cluster.kubeconfigYaml());
    const core = kc.makeApiClient(CoreV1Api);
    const apps = kc.makeApiClient(AppsV1Api);
    await waitForWatching(bot.url);
    await waitForQuiet(bot.url);
    const before = await settledSample(bot.url, sizes.idleSeconds);
    await core.createNamespace({ body: { metadata: { name: 'bench' } } });
    await createPods(core, sizes.pods);
    await waitFor(async () => (await watchedPods(bot.url)) >= sizes.pods, { timeoutMs: 300_000, intervalMs: 200, message: 'the watch did not hold every pod' });
    await waitForQuiet(bot.url);
    const after = await settledSample(bot.url, sizes.idleSeconds);
    const idleMs = sizes.idleSeconds * 1000;
    const cpuFrom = await sample(bot.url);
    await new Promise((resolve) => setTimeout(resolve, idleMs));
    const cpuTo = await sample(bot.url);
    const one = await measureDetections(bot, apps, 'one', sizes.probes);
    const replica = await bot.addReplica();
    const two = await measureDetections(bot, apps, 'two', sizes.probes);
    const follower = await sample(replica.url);
    const sampled = (await core.listNamespacedPod({ namespace: 'shop' })).items;
    const trimmed = measureTrimmed(sampled, sizes.trimmedPods);
    const threads = bot.slack.calls.filter((c) => c.ok && c.method === 'chat.postMessage' && c.args.thread_ts === undefined && String(c.args.text).includes('watch-probe')).length;
    const mb = (bytes: number) => bytes / 2 ** 20;
    const oneStats = summarize(one);
    const twoStats = summarize(two);
    return {
      id: 7,
      title: `Cluster watch over ${sizes.pods} pods`,
      metrics: [
        metric({ name: `leader RSS holding ${sizes.pods} live pods`, unit: 'MB', value: mb(after.rss) }, judge),
        metric({ name: `heap held for ${sizes.trimmedPods} trimmed pods`, unit: 'MB', value: mb(trimmed), target: { on: 'value', op: '<=', limit: 50, kind: 'performance' } }, judge),
        metric({ name: 'CPU at idle', unit: '% of a core', value: ((cpuTo.cpuSeconds - cpuFrom.cpuSeconds) / (idleMs / 1000)) * 100 }, judge),
        metric({ name: `unhealthy → root p50 (for ${forMs / 1000}s)`, unit: 'ms', value: oneStats.p50 }, judge),
        metric({ name: 'unhealthy → root beyond `for`, max', unit: 'ms', value: oneStats.max - forMs }, judge),
        metric({ name: 'two replicas: unhealthy → root p50', unit: 'ms', value: twoStats.p50 }, judge),
        metric({ name: 'two replicas: follower RSS', unit: 'MB', value: mb(follower.rss) }, judge),
        metric({ name: 'threads per unhealthy workload', unit: 'threads', value: threads / (one.length + two.length), target: { on: 'value', op: '==', limit: 1, kind: 'correctness' } }, judge),
      ],
      details: {
        sizes,
        forMs,
        trimmedBytesPerPod: Math.round(trimmed / sizes.trimmedPods),
        // Whole-process deltas around creating the live pods: GC timing makes them noisy (even negative).
        liveHeapAddedMb: mb(after.heapUsed - before.heapUsed),
        liveRssAddedMb: mb(after.rss - before.rss),
        before,
        after, oneReplicaMs: oneStats, twoReplicasMs: twoStats, follower },
      notes: [
        'Bare pods bound to a node: the watch lists and watches them (trimmed) but they belong to no workload, so they never alert.',
        'Heap and RSS are read from the bot’s /metrics (process metrics) before the pods exist and after they are all held.',
        `Latency: from creating a Deployment no node can hold (pods Unschedulable at once) to its root in Slack; it includes detection.for = ${forMs / 1000}s.`,
      ],
      durationMs: Date.now() - started,
    };
  } finally {
    await bot.stop();
  }
}

interface Sample {
  rss: number;
  heapUsed: number;
  cpuSeconds: number;
}

async function sample(url: string): Promise<Sample> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const value = (name: string) => Number(new RegExp(`^${name} ([0-9.e+]+)`, 'm').exec(text)?.[1] ?? 'NaN');
  return { rss: value('deckhand_process_resident_memory_bytes'), heapUsed: value('deckhand_nodejs_heap_size_used_bytes'), cpuSeconds: value('deckhand_process_cpu_seconds_total') };
}

/** Memory with the garbage of the moment left out as far as scrapes can: the lowest heap and RSS of samples over `seconds`. */
async function settledSample(url: string, seconds: number): Promise<Sample> {
  const samples: Sample[] = [];
  for (let i = 0; i < Math.max(3, seconds * 2); i++) {
    samples.push(await sample(url));
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return {
    rss: Math.min(...samples.map((s) => s.rss)),
    heapUsed: Math.min(...samples.map((s) => s.heapUsed)),
    cpuSeconds: samples.at(-1)?.cpuSeconds ?? Number.NaN,
  };
}

interface WatchDetails {
  role: string;
  watches: { resource: string; phase: string; objects: number }[];
}

async function watchDetails(url: string): Promise<WatchDetails | undefined> {
  const body = (await (await fetch(`${url}/readyz`)).json()) as { checks?: { watch?: { details?: Record<string, WatchDetails> } } };
  return body.checks?.watch?.details?.sandbox;
}

async function waitForWatching(url: string): Promise<void> {
  await waitFor(async () => {
    const d = await watchDetails(url);
    return d?.role === 'leader' && d.watches.length > 0 && d.watches.every((w) => w.phase === 'watching');
  }, { timeoutMs: 30_000, intervalMs: 100, message: 'the watch did not start' });
}

async function watchedPods(url: string): Promise<number> {
  return (await watchDetails(url))?.watches.filter((w) => w.resource === 'pods').reduce((n, w) => n + w.objects, 0) ?? 0;
}

/**
 * Waits until the bot's CPU use has settled (the pods' status updates from the kubelet
 * simulation have passed), at most 20 s: on a shared machine it may never be quite idle.
 */
async function waitForQuiet(url: string): Promise<void> {
  let last = await sample(url);
  for (let i = 0; i < 20; i++) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const now = await sample(url);
    const busy = now.cpuSeconds - last.cpuSeconds;
    last = now;
    if (busy < 0.05) return;
  }
}

/**
 * Heap the watch's pod cache takes for `count` pods: trims copies of real pods (the sandbox's,
 * renamed) into a map and an index by workload, as cluster-watch.ts holds them, between two
 * full collections. Raw objects are dropped as the informer drops them.
 */
function measureTrimmed(samples: V1Pod[], count: number): number {
  setFlagsFromString('--expose_gc');
  const gc = runInNewContext('gc') as () => void;
  const byKey = new Map<string, TrimmedPod>();
  const byWorkload = new Map<string, Map<string, TrimmedPod>>();
  gc();
  const before = process.memoryUsage().heapUsed;
  for (let i = 0; i < count; i++) {
    const raw = structuredClone(samples[i % samples.length]!);
    raw.metadata = { ...raw.metadata, name: `${raw.metadata?.name ?? 'pod'}-${i}`, uid: `uid-${i}` };
    const pod = trimPod(raw);
    if (!pod) continue;
    const key = `${pod.namespace}/${pod.name}`;
    byKey.set(key, pod);
    const workload = `${pod.namespace}/${pod.workload ?? ''}#${i % 100}`;
    let pods = byWorkload.get(workload);
    if (!pods) byWorkload.set(workload, (pods = new Map()));
    pods.set(key, pod);
  }
  gc();
  const held = process.memoryUsage().heapUsed - before;
  if (byKey.size !== count) throw new Error(`trimmed ${byKey.size} of ${count} pods`);
  return held;
}

async function createPods(core: CoreV1Api, count: number): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      await core.createNamespacedPod({
        namespace: 'bench',
        body: {
          metadata: { name: `filler-${i}`, labels: { app: 'filler', shard: String(i % 50) } },
          spec: { nodeName: i % 2 === 0 ? 'node-1' : 'node-2', containers: [{ name: 'app', image: 'registry.example.com/bench/filler:1.0.0', resources: { requests: { cpu: '1m', memory: '1Mi' } } }] },
        },
      });
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
}

async function measureDetections(bot: BotUnderTest, apps: AppsV1Api, label: string, probes: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < probes; i++) {
    const name = `watch-probe-${label}-${i}`;
    const from = bot.slack.calls.length;
    const labels = { app: name };
    const at = Date.now();
    await apps.createNamespacedDeployment({
      namespace: 'bench',
      body: {
        metadata: { name, labels },
        spec: { replicas: 1, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name, image: 'registry.example.com/bench/probe:1.0.0', resources: { requests: { cpu: '1m', memory: '512Gi' } } }] } } },
      },
    });
    const root = await waitForCall(bot.slack, isRootWith(`bench/${name}`), { from, timeoutMs: 60_000, what: `thread root for ${name}` });
    out.push(root.at - at);
  }
  return out;
}
