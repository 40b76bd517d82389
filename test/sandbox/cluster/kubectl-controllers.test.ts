import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { kubectlIn, kubectlMissing, kubectlOk, useKubectlSandbox } from './kubectl-run.js';

const claim = `apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: ledger
  namespace: shop
spec:
  accessModes: [ReadWriteOnce]
  storageClassName: ""
  resources:
    requests:
      storage: 1Gi
`;

const budget = `apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: payments
  namespace: shop
spec:
  minAvailable: 3
  selector:
    matchLabels:
      app: payments
`;

// CI installs kubectl (.ci/run), so there a missing kubectl fails the run instead of skipping it.
describe.skipIf(kubectlMissing && process.env.CI !== 'true')('the real kubectl against the sandbox controllers (skipped outside CI when kubectl is not on PATH)', () => {
  // shop/payments: two Ready pods and one that never gets Ready, each with a port named http.
  const box = useKubectlSandbox('sandbox-kubectl-controllers-', ['payments-stuck-rollout']);
  const ok = (...args: string[]) => kubectlOk(box.dir, ...args);

  it('shows the endpoints of an exposed Deployment: its Ready pods on the target port', async () => {
    expect(await ok('-n', 'shop', 'expose', 'deployment', 'payments', '--port=80', '--target-port=http')).toBe('service/payments exposed\n');
    await box.cluster.settle();
    const ready = JSON.parse(await ok('-n', 'shop', 'get', 'pods', '-l', 'app=payments', '-o', 'json')) as { items: { status: { podIP: string; conditions: { type: string; status: string }[] } }[] };
    const readyIps = ready.items.filter((p) => p.status.conditions.some((c) => c.type === 'Ready' && c.status === 'True')).map((p) => `${p.status.podIP}:8080`).sort();
    expect(readyIps).toHaveLength(2);
    const out = await ok('-n', 'shop', 'get', 'endpoints', 'payments');
    const row = /\npayments\s+(\S+)\s+\S+\n/.exec(out);
    expect(out).toMatch(/^NAME\s+ENDPOINTS\s+AGE\n/);
    expect(row?.[1]?.split(',').sort()).toEqual(readyIps);
    expect(await ok('-n', 'shop', 'get', 'endpointslices', '-l', 'kubernetes.io/service-name=payments')).toMatch(/^NAME\s+ADDRESSTYPE\s+PORTS\s+ENDPOINTS\s+AGE\npayments-\w{5}\s+IPv4\s+8080\s+/);
  });

  it('shows a claim Pending with the PV controller’s event, then Bound', async () => {
    await writeFile(join(box.dir, 'claim.yaml'), claim);
    expect(await ok('apply', '-f', join(box.dir, 'claim.yaml'))).toBe('persistentvolumeclaim/ledger created\n');
    await box.cluster.settle();
    expect(await ok('-n', 'shop', 'get', 'pvc', 'ledger')).toMatch(/\nledger\s+Pending\s+/);
    expect(await ok('-n', 'shop', 'describe', 'pvc', 'ledger')).toMatch(/Normal\s+FailedBinding\s+.+?\s+persistentvolume-controller\s+no persistent volumes available for this claim and no storage class is set/);
    await writeFile(join(box.dir, 'pv.yaml'), 'apiVersion: v1\nkind: PersistentVolume\nmetadata:\n  name: ledger-disk\nspec:\n  capacity:\n    storage: 2Gi\n  accessModes: [ReadWriteOnce]\n  hostPath:\n    path: /data/ledger\n');
    await ok('apply', '-f', join(box.dir, 'pv.yaml'));
    await box.cluster.settle();
    expect(await ok('-n', 'shop', 'get', 'pvc', 'ledger')).toMatch(/\nledger\s+Bound\s+ledger-disk\s+2Gi\s+RWO\s+/);
    expect(await ok('get', 'pv', 'ledger-disk')).toMatch(/\nledger-disk\s+2Gi\s+RWO\s+Retain\s+Bound\s+shop\/ledger\s+/);
  });

  it('drains a node as far as the disruption budget lets it', async () => {
    await writeFile(join(box.dir, 'pdb.yaml'), budget);
    await ok('apply', '-f', join(box.dir, 'pdb.yaml'));
    await box.cluster.settle();
    // Two of three payments pods are Ready, three must be: no disruption is allowed.
    expect(await ok('-n', 'shop', 'get', 'pdb', 'payments')).toMatch(/\npayments\s+3\s+N\/A\s+0\s+/);
    const node = (await ok('-n', 'shop', 'get', 'pods', '-l', 'app=payments', '-o', 'jsonpath={.items[0].spec.nodeName}')).trim();
    const drain = await kubectlIn(box.dir, 'drain', node, '--ignore-daemonsets', '--delete-emptydir-data', '--pod-selector=app=payments', '--timeout=3s');
    expect(drain.code).not.toBe(0);
    expect(drain.stdout + drain.stderr).toContain("Cannot evict pod as it would violate the pod's disruption budget.");
    await ok('uncordon', node);
  });
});
