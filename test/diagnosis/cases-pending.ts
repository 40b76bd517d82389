import type { DiagnosisCase } from './case.js';
import { merge, ns } from './world.js';

/**
 * Diagnosis cases written against ../shared/sandbox-contract.md that do not yet pass in the
 * sandbox: each needs the program to have crashed or been killed several times, or the HPA /
 * eviction controllers to act, and the sandbox's clock now never runs ahead of the wall clock,
 * so within the table's 10 s look the finding has not shown yet (the analyzers themselves are
 * unit-tested in test/analysis/analyzers/). diagnosis.test.ts does not import this file; move a
 * case into cases.ts once it passes there (and run `npm run diagnosis-table`).
 */
const a = (values: Record<string, string>) => Object.fromEntries(Object.entries(values).map(([k, v]) => [`sandbox.deckhand.dev/${k}`, v]));

export const pendingDiagnosisCases: DiagnosisCase[] = [
  {
    title: 'OOMKilled',
    evidence: 'lastState.terminated `OOMKilled` (exit code 137), restarts, the container\'s limit and request',
    remedy: 'proposal: `set_resources` with about twice the memory limit (at most 2x, only if a node can hold it)',
    build: (w) => w.deploy('cart', 1, { resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { memory: '128Mi' } }, annotations: a({ memory: '200Mi' }) }),
    expect: { analyzer: 'oom-killed', kind: 'oom-killed', object: 'Deployment/shop/cart', proposal: { type: 'set_resources', name: 'cart', limits: { memory: '256Mi' } } },
  },
  {
    title: 'Crash loop, with the log line that explains it',
    evidence: 'CrashLoopBackOff, last exit code, the last log lines of the previous container',
    remedy: 'manual: fix what the log line says (no blind restart: it would crash the same way)',
    build: (w) => w.deploy('checkout', 1, { annotations: a({ 'exit-code': '1', logs: 'starting checkout\nFATAL config: DATABASE_URL is not set' }) }),
    expect: { analyzer: 'crash-loop', kind: 'crash-loop', object: 'Deployment/shop/checkout', says: 'DATABASE_URL is not set' },
  },
  {
    title: 'Crash loop that came with a rollout (revision diff)',
    evidence: 'the crash, and revision 2\'s template diff (`env PAYMENT_URL "http://…" → "htp://payments"`)',
    remedy: 'proposal: `rollout_undo` to the previous revision',
    build: async (w) => {
      const target = await w.deploy('payments', 2, { container: { env: [{ name: 'PAYMENT_URL', value: 'http://payments.shop.svc:8080' }] } });
      await w.cluster.settle();
      await w.apps.patchNamespacedDeployment(
        { name: 'payments', namespace: ns, body: { spec: { template: { metadata: { annotations: a({ 'exit-code': '1', logs: 'FATAL PAYMENT_URL "htp://payments" is not a valid URL' }) }, spec: { containers: [{ name: 'payments', env: [{ name: 'PAYMENT_URL', value: 'htp://payments' }] }] } } } } },
        merge,
      );
      return target;
    },
    expect: { analyzer: 'crash-loop', kind: 'crash-loop', object: 'Deployment/shop/payments', proposal: { type: 'rollout_undo', name: 'payments', toRevision: 1 }, says: 'htp://payments' },
  },
  {
    title: 'Missing ConfigMap',
    evidence: '`CreateContainerConfigError: configmap "app-config" not found`',
    remedy: 'manual: `kubectl -n shop create configmap app-config …` or fix the reference',
    build: (w) => w.deploy('api', 1, { container: { env: [{ name: 'MODE', valueFrom: { configMapKeyRef: { name: 'app-config', key: 'mode' } } }] } }),
    expect: { analyzer: 'config-error', kind: 'missing-configmap', object: 'ConfigMap/shop/app-config' },
  },
  {
    title: 'Missing key in a ConfigMap',
    evidence: '`couldn\'t find key mode in ConfigMap shop/app-config`, the keys it has',
    remedy: "manual: `kubectl -n shop patch configmap app-config … {\"data\":{\"mode\":…}}` or reference an existing key",
    build: async (w) => {
      await w.core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: 'app-config' }, data: { level: 'info' } } });
      return w.deploy('api', 1, { container: { env: [{ name: 'MODE', valueFrom: { configMapKeyRef: { name: 'app-config', key: 'mode' } } }] } });
    },
    expect: { analyzer: 'config-error', kind: 'missing-key', object: 'ConfigMap/shop/app-config', says: 'it has: level' },
  },
  {
    title: 'Liveness probe kills a slow starter',
    evidence: 'Unhealthy + `Container … failed liveness probe, will be restarted`, each run\'s length against the probe budget',
    remedy: 'manual: add a startupProbe (or raise initialDelaySeconds)',
    build: (w) =>
      w.deploy('search', 1, {
        container: { ports: [{ containerPort: 8080 }], livenessProbe: { tcpSocket: { port: 8080 }, initialDelaySeconds: 5, periodSeconds: 5, failureThreshold: 3 } },
        annotations: a({ 'start-seconds': '120' }),
      }),
    expect: { analyzer: 'probe-timing', kind: 'probe-kills-slow-start', object: 'Deployment/shop/search', says: 'startupProbe' },
  },
  {
    title: 'Pods evicted under node memory pressure',
    evidence: 'the pods\' `Evicted` status message (`The node was low on resource: memory. … Container x was using …`)',
    remedy: 'manual: set the memory request to real use, then delete the Failed pods',
    build: (w) => w.deploy('hog', 2, { resources: { requests: { cpu: '100m', memory: '128Mi' } }, annotations: a({ memory: '7Gi' }) }),
    expect: { analyzer: 'evictions', kind: 'pod-evicted', object: 'Node/node-1' },
  },
  {
    title: 'HPA at its maximum',
    evidence: 'current/max replicas, CPU utilization against target, `ScalingLimited`',
    remedy: 'manual: the `kubectl patch hpa` raising maxReplicas',
    build: async (w) => {
      const target = await w.deploy('api', 2, { resources: { requests: { cpu: '100m', memory: '128Mi' } }, annotations: a({ cpu: '300m' }) });
      await w.autoscaling.createNamespacedHorizontalPodAutoscaler({
        namespace: ns,
        body: { metadata: { name: 'api' }, spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api' }, minReplicas: 2, maxReplicas: 3, metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 60 } } }] } },
      });
      return target;
    },
    expect: { analyzer: 'hpa-at-max', kind: 'hpa-at-max', object: 'HorizontalPodAutoscaler/shop/api' },
  },
  {
    title: 'HPA unable to scale (no CPU request)',
    evidence: '`ScalingActive=False FailedGetResourceMetric: … missing request for cpu in container …`',
    remedy: 'manual: set a CPU request on the containers',
    build: async (w) => {
      const target = await w.deploy('worker', 1, { resources: { requests: { memory: '128Mi' } } });
      await w.autoscaling.createNamespacedHorizontalPodAutoscaler({
        namespace: ns,
        body: { metadata: { name: 'worker' }, spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'worker' }, minReplicas: 1, maxReplicas: 4, metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }] } },
      });
      return target;
    },
    expect: { analyzer: 'hpa-unable', kind: 'hpa-unable-to-scale', object: 'Deployment/shop/worker', says: 'missing request for cpu' },
  },
  {
    title: 'Node under memory pressure',
    evidence: '`MemoryPressure=True KubeletHasInsufficientMemory: kubelet has insufficient memory available`, the node\'s taints',
    remedy: 'manual: free memory on the node (move or scale down its biggest consumers, set requests to real use)',
    // Patches the node's condition by hand; the sandbox's node-pressure controller now decides it
    // from the pods' `memory` annotations and sets it back, so this must be rebuilt on those.
    build: async (w) => {
      const node = await w.core.readNode({ name: 'node-1' });
      const conditions = (node.status?.conditions ?? []).map((c) =>
        c.type === 'MemoryPressure' ? { ...c, status: 'True', reason: 'KubeletHasInsufficientMemory', message: 'kubelet has insufficient memory available' } : c,
      );
      if (!conditions.some((c) => c.type === 'MemoryPressure')) {
        conditions.push({ type: 'MemoryPressure', status: 'True', reason: 'KubeletHasInsufficientMemory', message: 'kubelet has insufficient memory available' });
      }
      await w.core.patchNodeStatus({ name: 'node-1', body: { status: { conditions } } }, merge);
      return { node: 'node-1' };
    },
    expect: { analyzer: 'node-pressure', kind: 'node-memory-pressure', object: 'Node/node-1', says: 'kubelet has insufficient memory available' },
  },
];
