import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Action } from '../../../src/decisions/actions/catalog.js';
import { createActionConnection, type ActionConnection } from '../../../src/decisions/connections.js';
import { createClusterConnection, type ClusterConnection } from '../../../src/kube/connection.js';
import { startSandboxCluster, type SandboxCluster } from '../../../sandbox/cluster/index.js';
import { createSilentLogger } from '../../../src/shared/logger.js';
import { kubeConfigFromYaml } from '../../helpers/sandbox-cluster.js';

let sandbox: SandboxCluster;
let connection: ClusterConnection;
let cluster: ActionConnection;

beforeEach(async () => {
  // 120 simulated seconds per real second: crash loops, probes and rollouts play out in a few real seconds.
  sandbox = await startSandboxCluster({ timeScale: 120 });
  connection = createClusterConnection('sandbox', kubeConfigFromYaml(sandbox.kubeconfigYaml()));
  cluster = createActionConnection(connection, createSilentLogger());
});

afterEach(async () => {
  await sandbox.close();
});

const timing = { timeoutMs: 20_000, settleMs: 400, pollMs: 50 };

async function run(action: Action) {
  const target = await cluster.snapshot(action);
  const dry = await cluster.execute(action, { dryRun: true });
  expect(dry).toMatchObject({ ok: true });
  const real = await cluster.execute(action, { dryRun: false });
  expect(real).toMatchObject({ ok: true });
  return cluster.verify(action, { ...timing, ...(target ? { target } : {}), since: new Date() });
}

async function podOf(deployment: string): Promise<string> {
  const pods = await connection.reader.listWorkloadPods({ kind: 'Deployment', namespace: 'shop', name: deployment });
  return pods[0]!.metadata!.name!;
}

describe('verifyAction against the sandbox', () => {
  it('rollout_undo cures checkout: rollout complete, pods Ready, no crash while settling', async () => {
    const verdict = await run({ type: 'rollout_undo', namespace: 'shop', name: 'checkout' });
    expect(verdict.summary).toContain('deployment "checkout" successfully rolled out; 3 pods Ready');
    expect(verdict.ok).toBe(true);
  });

  it('rollout_restart does not cure checkout, and the evidence shows the crash and its log line', async () => {
    const verdict = await run({ type: 'rollout_restart', namespace: 'shop', kind: 'Deployment', name: 'checkout' });
    expect(verdict.ok).toBe(false);
    expect(verdict.summary).toMatch(/^new pod checkout-\S+(: container checkout CrashLoopBackOff| restarted)/);
    const evidence = verdict.evidence.join('\n');
    const culprit = /^new pod (checkout-[a-z0-9]+-[a-z0-9]+)/.exec(verdict.summary)![1]!;
    expect(verdict.evidence[1]).toContain(`pod shop/${culprit}: `);
    expect(evidence).toContain('exit code 1');
    expect(evidence).toContain('FATAL config: PAYMENT_URL "htp://payments" is not a valid URL');
  });

  it('set_resources cart limits.memory 128Mi → 512Mi passes', async () => {
    const verdict = await run({ type: 'set_resources', namespace: 'shop', kind: 'Deployment', name: 'cart', container: 'cart', limits: { memory: '512Mi' } });
    expect(verdict.summary).toContain('deployment "cart" successfully rolled out');
    expect(verdict.ok).toBe(true);
  });

  it('set_resources cart limits.memory → 160Mi fails, showing OOMKilled and the limit', async () => {
    const verdict = await run({ type: 'set_resources', namespace: 'shop', kind: 'Deployment', name: 'cart', container: 'cart', limits: { memory: '160Mi' } });
    expect(verdict.ok).toBe(false);
    const evidence = verdict.evidence.join('\n');
    expect(evidence).toContain('OOMKilled, exit code 137');
    expect(evidence).toContain('memory limit 160Mi');
  });

  it('rollout_undo cures frontend (ImagePullBackOff) and payments (ProgressDeadlineExceeded)', async () => {
    for (const name of ['frontend', 'payments']) {
      const verdict = await run({ type: 'rollout_undo', namespace: 'shop', name });
      expect(verdict, name).toMatchObject({ ok: true });
    }
  });

  it('set_resources search requests.memory 16Gi → 4Gi gets the pod scheduled and Ready', async () => {
    const verdict = await run({
      type: 'set_resources',
      namespace: 'shop',
      kind: 'Deployment',
      name: 'search',
      container: 'search',
      requests: { memory: '4Gi' },
      limits: { memory: '4Gi' },
    });
    expect(verdict).toMatchObject({ ok: true });
  });

  it('a rollout that cannot schedule fails at the deadline, with the scheduler message as evidence', async () => {
    const action: Action = { type: 'rollout_restart', namespace: 'shop', kind: 'Deployment', name: 'search' };
    expect(await cluster.execute(action, { dryRun: false })).toMatchObject({ ok: true });
    const verdict = await cluster.verify(action, { timeoutMs: 1500, settleMs: 0, pollMs: 50 });
    expect(verdict.ok).toBe(false);
    expect(verdict.summary).toMatch(/^not done after 1.5s: /);
    expect(verdict.evidence.join('\n')).toContain('Insufficient memory');
  });

  it('restart_pod: a healthy pod gets a Ready replacement; a checkout pod does not', async () => {
    const good = await run({ type: 'restart_pod', namespace: 'shop', pod: await podOf('web') });
    expect(good.summary).toMatch(/ReplicaSet web-\S+ has 3\/3 pods Ready without web-/);
    expect(good.ok).toBe(true);

    const bad = await run({ type: 'restart_pod', namespace: 'shop', pod: await podOf('checkout') });
    expect(bad.ok).toBe(false);
    expect(bad.evidence.join('\n')).toContain('CrashLoopBackOff');
  });

  it('scale: passes when ready replicas reach the request', async () => {
    const verdict = await run({ type: 'scale', namespace: 'shop', kind: 'Deployment', name: 'web', replicas: 5 });
    expect(verdict).toMatchObject({ ok: true, summary: 'Deployment shop/web has 5/5 replicas ready' });
  });

  it('scale of a broken deployment fails with the pods as evidence', async () => {
    const action: Action = { type: 'scale', namespace: 'shop', kind: 'Deployment', name: 'cart', replicas: 3 };
    expect(await cluster.execute(action, { dryRun: false })).toMatchObject({ ok: true });
    const verdict = await cluster.verify(action, { timeoutMs: 1000, settleMs: 0, pollMs: 50 });
    expect(verdict.ok).toBe(false);
    expect(verdict.evidence.join('\n')).toContain('OOMKilled');
  });

  it('cordon and uncordon are verified on the node', async () => {
    expect(await run({ type: 'cordon_node', node: 'node-2' })).toMatchObject({ ok: true, summary: 'node node-2 is unschedulable (cordoned)' });
    expect(await run({ type: 'uncordon_node', node: 'node-2' })).toMatchObject({ ok: true, summary: 'node node-2 is schedulable (uncordoned)' });
  });

  it('a verifier that cannot read fails at once with the RBAC message, not at the deadline', async () => {
    sandbox.faults.failRequests(1000, 403);
    const verdict = await cluster.verify({ type: 'cordon_node', node: 'node-2' }, { timeoutMs: 60_000, settleMs: 0, pollMs: 50 });
    expect(verdict.ok).toBe(false);
    expect(verdict.summary).toContain('the service account may not get nodes at cluster scope');
  });
});
