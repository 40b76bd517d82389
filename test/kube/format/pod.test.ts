import { describe, expect, it } from 'vitest';
import { formatPodDescribe, formatPodSummary, podDisplayStatus } from '../../../src/kube/format/pod.js';
import { crashLoopPod, event, imagePullPod, now, oomPod, pendingPod, schedulingMessage } from '../fixtures/objects.js';

describe('formatPodSummary', () => {
  it('shows a crash loop with its restarts and the exit code of the last termination', () => {
    const text = formatPodSummary(crashLoopPod, { now });
    expect(text).toContain('pod shop/checkout-6f7d8c9b5-x1abc: CrashLoopBackOff (phase Running)');
    expect(text).toContain('ready 0/1');
    expect(text).toContain('restarts 7');
    expect(text).toContain('node node-1');
    expect(text).toContain('last terminated Error, exit code 1, finished 2026-11-21T11:54:40Z');
  });

  it('shows OOMKilled with exit code 137 and the memory limit that was hit', () => {
    const text = formatPodSummary(oomPod, { now });
    expect(text).toContain('last terminated OOMKilled, exit code 137');
    expect(text).toContain('memory limit 128Mi');
  });

  it('shows ImagePullBackOff with the image that cannot be pulled', () => {
    const text = formatPodSummary(imagePullPod, { now });
    expect(text).toContain('ImagePullBackOff (phase Pending)');
    expect(text).toContain('registry.example.com/shop/frontend:2.3.1-typo');
  });

  it('says why a pending pod is not scheduled', () => {
    const text = formatPodSummary(pendingPod, { now });
    expect(text).toContain(`not scheduled: Unschedulable: ${schedulingMessage}`);
    expect(text).toContain('node none');
  });

  it('never exceeds maxChars and marks the cut', () => {
    const text = formatPodSummary(crashLoopPod, { now, maxChars: 120 });
    expect(text.length).toBeLessThanOrEqual(120);
    expect(text).toContain('[truncated');
  });

  it('reports Terminating for a pod being deleted', () => {
    expect(podDisplayStatus({ ...oomPod, metadata: { ...oomPod.metadata, deletionTimestamp: now } })).toBe('Terminating');
  });
});

describe('formatPodDescribe', () => {
  const events = [
    event({ reason: 'Pulled', type: 'Normal', message: 'Container image already present on machine', secondsAgo: 400 }),
    event({ reason: 'BackOff', message: 'Back-off restarting failed container checkout in pod checkout-6f7d8c9b5-x1abc_shop(pod-uid-1)', secondsAgo: 20, count: 30 }),
  ];

  it('shows node, owner, image, state, last state, resources, probes and conditions', () => {
    const text = formatPodDescribe(crashLoopPod, events, { now });
    expect(text).toContain('Node: node-1 (10.0.0.11)');
    expect(text).toContain('Controlled By: ReplicaSet/checkout-6f7d8c9b5');
    expect(text).toContain('Image: registry.example.com/shop/checkout:1.4.2');
    expect(text).toContain('State: waiting CrashLoopBackOff');
    expect(text).toContain('Last State: terminated Error, exit code 1');
    expect(text).toContain('Limits: memory=256Mi');
    expect(text).toContain('Requests: cpu=100m, memory=128Mi');
    expect(text).toContain('Liveness: http-get http://:8080/healthz');
    expect(text).toContain('Ready=False ContainersNotReady');
  });

  it('shows env literals and references without resolving them', () => {
    const text = formatPodDescribe(crashLoopPod, [], { now });
    expect(text).toContain('PAYMENT_URL=htp://payments');
    expect(text).toContain('DB_PASSWORD=<from secret checkout-db key password>');
    expect(text).toContain('POD_IP=<field status.podIP>');
  });

  it('lists events newest first with their repeat count', () => {
    const text = formatPodDescribe(crashLoopPod, events, { now });
    const backOff = text.indexOf('BackOff');
    const pulled = text.indexOf('Pulled');
    expect(backOff).toBeGreaterThan(0);
    expect(backOff).toBeLessThan(pulled);
    expect(text).toContain('(x30 over 20s)');
  });

  it('stays within maxChars', () => {
    expect(formatPodDescribe(crashLoopPod, events, { now, maxChars: 300 }).length).toBeLessThanOrEqual(300);
  });
});
