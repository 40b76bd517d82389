import { analysisRequests } from '../../src/analysis/job.js';
import { randomUUID } from 'node:crypto';
import { AppsV1Api, CoreV1Api, type V1Pod } from '@kubernetes/client-node';
import { afterEach, describe, expect, it } from 'vitest';
import type { Action } from '../../src/decisions/actions/catalog.js';
import type { Proposal } from '../../src/decisions/actions/proposal.js';
import { createDecisionsFeature, type DecisionsFeature } from '../../src/decisions/feature.js';
import { actionIds } from '../../src/decisions/action-ids.js';
import { waitFor } from '../../sandbox/shared/wait.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { textOf } from '../helpers/incident-thread.js';
import { useSandboxProd } from '../helpers/sandbox-cluster.js';

/**
 * A yolo channel with `maxRisk: low` runs exactly the low actions, as Deckhand's own identity
 * even though approvals here run as the approver. The cluster: a Deployment of 3 replicas that
 * must not share a node, on the sandbox's 2 nodes — 2 pods Ready, the third Unschedulable.
 * Restarting that failing pod, while its ReplicaSet has other Ready replicas, is low;
 * restarting a Ready one is medium.
 */
const yaml = `
clusters:
  prod: {}
channels:
  CPLATFORM:
    cluster: prod
    namespaces: [shop]
    mode: yolo
    approvers: { users: [UALICE] }
    yolo: { maxRisk: low, minConfidence: 0.8 }
identities:
  users:
    UALICE: { user: alice@example.com, groups: [sre] }
execution:
  runAs: approver
`;

const sandboxProd = useSandboxProd({ scenarios: ['shop-healthy'], timeScale: 50 });
let app: TestApp | undefined;

afterEach(async () => {
  await app?.stop();
  app = undefined;
});

async function spreadPods(): Promise<{ failing: V1Pod; ready: V1Pod }> {
  const kc = sandboxProd().connection.kubeConfig;
  const labels = { app: 'spread' };
  await kc.makeApiClient(AppsV1Api).createNamespacedDeployment({
    namespace: 'shop',
    body: {
      metadata: { name: 'spread', labels },
      spec: {
        replicas: 3,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: labels }, topologyKey: 'kubernetes.io/hostname' }] } },
            containers: [{ name: 'web', image: 'nginx:1.27' }],
          },
        },
      },
    },
  });
  const core = kc.makeApiClient(CoreV1Api);
  return waitFor(
    async () => {
      const pods = (await core.listNamespacedPod({ namespace: 'shop', labelSelector: 'app=spread' })).items;
      const ready = pods.filter((p) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
      const failing = pods.find((p) => p.status?.conditions?.some((c) => c.type === 'PodScheduled' && c.status === 'False'));
      return ready.length === 2 && failing && ready[0] ? { failing, ready: ready[0] } : undefined;
    },
    { timeoutMs: 20_000, message: 'the spread Deployment never reached 2 Ready + 1 Unschedulable' },
  );
}

describe('yolo with maxRisk low', () => {
  it('runs the low action by itself, as Deckhand, and leaves the medium one for a human', async () => {
    const { failing, ready } = await spreadPods();
    const decisions: DecisionsFeature = createDecisionsFeature({ analysis: analysisRequests, sweepIntervalMs: 0, verification: { timeoutMs: 20_000, settleMs: 200, pollMs: 100 } });
    app = await startTestApp({ yaml, clusters: sandboxProd().clusters, features: [decisions] });
    const port = decisions.port(app.ctx);
    const services = decisions.services(app.ctx);
    const connection = await services.deps.connections.get('prod');

    const propose = async (pod: string): Promise<Proposal> => {
      const action: Action = { type: 'restart_pod', namespace: 'shop', pod };
      const target = await connection.snapshot(action);
      const risk = port.classify(action, { cluster: 'prod', channel: 'CPLATFORM', target });
      const now = Date.now();
      return {
        id: `p-${randomUUID().slice(0, 8)}`,
        incidentId: 'inc-yolo-low',
        channel: 'CPLATFORM',
        cluster: 'prod',
        action,
        risk: risk.risk,
        riskReasons: risk.reasons,
        confidence: 0.95,
        rationale: 'restart it',
        origin: 'analyzer:test',
        ...(target ? { target } : {}),
        createdAt: new Date(now).toISOString(),
        expiresAt: new Date(now + 30 * 60_000).toISOString(),
      };
    };
    const low = await propose(failing.metadata?.name ?? '');
    const medium = await propose(ready.metadata?.name ?? '');
    expect(low.risk).toBe('low');
    expect(low.riskReasons[0]).toContain('already failing (Unschedulable)');
    expect(medium.risk).toBe('medium');

    const before = sandboxProd().cluster.requests.length;
    expect(await port.submit(low)).toBe('auto_run');
    expect(await port.submit(medium)).toBe('awaiting_approval');
    const failingName = failing.metadata?.name ?? '';
    const readyName = ready.metadata?.name ?? '';
    const texts = () => app?.slack.messages('CPLATFORM').map(textOf) ?? [];
    await waitFor(() => texts().find((t) => t.includes('Executed') && t.includes(failingName)), { timeoutMs: 20_000, message: 'the low action was not executed' });
    // The medium one waits with its buttons.
    expect(texts().find((t) => t.includes(`delete pod ${readyName}`))).toContain(actionIds.approve);

    const deletes = sandboxProd().cluster.requests.slice(before).filter((r) => r.method === 'DELETE');
    expect(deletes.map((r) => ({ path: r.path, dryRun: r.query.includes('dryRun=All'), user: r.user, as: r.impersonatedUser }))).toEqual([
      { path: `/api/v1/namespaces/shop/pods/${failingName}`, dryRun: true, user: 'system:serviceaccount:deckhand:deckhand', as: undefined },
      { path: `/api/v1/namespaces/shop/pods/${failingName}`, dryRun: false, user: 'system:serviceaccount:deckhand:deckhand', as: undefined },
    ]);
    expect((await services.store.get(medium.id))?.status).toBe('pending');
  });
});
