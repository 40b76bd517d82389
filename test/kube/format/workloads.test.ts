import { describe, expect, it } from 'vitest';
import { formatDeployment } from '../../../src/kube/format/deployment.js';
import { formatHpa } from '../../../src/kube/format/hpa.js';
import { formatNode } from '../../../src/kube/format/node.js';
import { apiHpa, checkoutReplicaSets, notReadyNode, now, paymentsDeployment } from '../fixtures/objects.js';

describe('formatDeployment', () => {
  it('shows replica counts and a ProgressDeadlineExceeded condition', () => {
    const text = formatDeployment(paymentsDeployment, []);
    expect(text).toContain('replicas desired 2, updated 1, ready 2, available 2, unavailable 1, total 3');
    expect(text).toContain('condition Progressing=False ProgressDeadlineExceeded: ReplicaSet "payments-7f8" has timed out progressing.');
    expect(text).toContain('rollout history: none found');
  });

  it('lists the rollout history newest first and what the last revision changed', () => {
    const deployment = { ...paymentsDeployment, metadata: { ...paymentsDeployment.metadata, name: 'checkout' } };
    const text = formatDeployment(deployment, checkoutReplicaSets);
    const lines = text.split('\n');
    const rev2 = lines.findIndex((l) => l.includes('revision 2 (current)'));
    const rev1 = lines.findIndex((l) => l.includes('revision 1:'));
    expect(rev2).toBeGreaterThan(0);
    expect(rev1).toBeGreaterThan(rev2);
    expect(lines[rev1]).toContain('checkout=registry.example.com/shop/checkout:1.4.2');
    expect(lines[rev1]).toContain('change-cause deploy registry.example.com/shop/checkout:1.4.2');
    expect(text).toContain('revision 2 vs 1 changed:');
    expect(text).toContain('container checkout env PAYMENT_URL=http://payments.shop.svc:8080 → PAYMENT_URL=htp://payments');
  });

  it('stays within maxChars', () => {
    expect(formatDeployment(paymentsDeployment, checkoutReplicaSets, { maxChars: 200 }).length).toBeLessThanOrEqual(200);
  });
});

describe('formatNode', () => {
  it('flags a NotReady node with its reason, heartbeat and taints', () => {
    const text = formatNode(notReadyNode, { now });
    expect(text).toContain('node node-3: NotReady (Ready=Unknown NodeStatusUnknown), schedulable');
    expect(text).toContain('condition Ready=Unknown NodeStatusUnknown: Kubelet stopped posting node status., last heartbeat 15m ago <-- abnormal');
    expect(text).toContain('taints: node.kubernetes.io/unreachable:NoSchedule');
    expect(text).toContain('allocatable: cpu 4, memory 8Gi, pods 110');
  });

  it('puts the conditions a healthy node has on one line, and any other whole', () => {
    // The kubelet's own condition wording (pkg/kubelet/nodestatus/setters.go).
    const beat = (s: number) => new Date(now.getTime() - s * 1000);
    const node = {
      ...notReadyNode,
      spec: {},
      status: {
        ...notReadyNode.status,
        conditions: [
          { type: 'MemoryPressure', status: 'False', reason: 'KubeletHasSufficientMemory', message: 'kubelet has sufficient memory available', lastHeartbeatTime: beat(40) },
          { type: 'DiskPressure', status: 'True', reason: 'KubeletHasDiskPressure', message: 'kubelet has disk pressure', lastHeartbeatTime: beat(40) },
          { type: 'PIDPressure', status: 'False', reason: 'KubeletHasSufficientPID', message: 'kubelet has sufficient PID available', lastHeartbeatTime: beat(40) },
          { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status', lastHeartbeatTime: beat(10) },
        ],
      },
    };
    const lines = formatNode(node, { now }).split('\n');
    expect(lines).toContain('  conditions normal: MemoryPressure=False, PIDPressure=False, Ready=True; last heartbeat 10s ago');
    expect(lines).toContain('  condition DiskPressure=True KubeletHasDiskPressure: kubelet has disk pressure, last heartbeat 40s ago <-- abnormal');
    expect(lines.filter((l) => l.includes('KubeletHasSufficient') || l.includes('KubeletReady'))).toEqual([]);
  });

  it('shows a cordoned node as SchedulingDisabled', () => {
    const text = formatNode({ ...notReadyNode, spec: { unschedulable: true } }, { now });
    expect(text).toContain('SchedulingDisabled (cordoned)');
    expect(text).toContain('taints: none');
  });
});

describe('formatHpa', () => {
  it('says an HPA is at its maximum and shows the metric against its target', () => {
    const text = formatHpa(apiHpa);
    expect(text).toContain('hpa shop/api → Deployment/api: min 2, max 2, current 2, desired 2 — at its maximum');
    expect(text).toContain('metric resource cpu: current 95% vs target 70%');
    expect(text).toContain('condition ScalingLimited=True TooManyReplicas');
  });

  it('does not claim the maximum when there is room', () => {
    const text = formatHpa({ ...apiHpa, spec: { ...apiHpa.spec!, maxReplicas: 5 } });
    expect(text).not.toContain('at its maximum');
  });
});
