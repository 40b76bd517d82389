import type { DiagnosisCase } from './case.js';
import { merge, ns } from './world.js';

/**
 * Diagnosis cases that need the sandbox's kubelet, image rules and controllers from
 * ../shared/sandbox-contract.md (program annotations `sandbox.deckhand.dev/…`, endpoints, Jobs,
 * HPAs, node lifecycle, evictions), which are not on this branch yet. Written against the
 * contract; diagnosis.test.ts does NOT import this file until they land — then move each case
 * into cases.ts (and run `npm run diagnosis-table`).
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
    title: 'Bad rollout (progress deadline exceeded)',
    evidence: '`Progressing=False ProgressDeadlineExceeded`, replica counts, the revision diff',
    remedy: 'proposal: `rollout_undo` to the previous revision',
    build: async (w) => {
      const target = await w.deploy('ledger', 2, { container: { ports: [{ containerPort: 8080 }], readinessProbe: { tcpSocket: { port: 8080 }, periodSeconds: 5 } }, pod: {} });
      await w.cluster.settle();
      await w.apps.patchNamespacedDeployment({ name: 'ledger', namespace: ns, body: { spec: { progressDeadlineSeconds: 30, template: { metadata: { annotations: a({ listen: '9090/TCP' }) } } } } }, merge);
      w.cluster.advance(60_000);
      return target;
    },
    expect: { analyzer: 'failed-rollout', kind: 'bad-rollout', object: 'Deployment/shop/ledger', proposal: { type: 'rollout_undo', name: 'ledger' } },
  },
  {
    title: 'Image tag not found',
    evidence: '`ErrImagePull` / `ImagePullBackOff` with the runtime\'s `not found`',
    remedy: 'manual: set a tag that exists (`kubectl set image …`); `rollout_undo` when the tag came with the latest rollout',
    build: (w) => w.deploy('dns', 1, { container: { image: 'registry.k8s.io/coredns/coredns:v9.9.9' } }),
    expect: { analyzer: 'image-pull', kind: 'image-not-found', object: 'Deployment/shop/dns', says: 'not found' },
  },
  {
    title: 'Registry DNS failure',
    evidence: 'the pull error `dial tcp: lookup registry.shop.invalid …: no such host`',
    remedy: 'manual: fix the registry host in the image reference (or the nodes\' DNS)',
    build: (w) => w.deploy('web', 1, { container: { image: 'registry.shop.invalid/web:1.0' } }),
    expect: { analyzer: 'image-pull', kind: 'registry-dns', object: 'Deployment/shop/web', says: 'no such host' },
  },
  {
    title: 'Missing image pull secret',
    evidence: 'the kubelet\'s `FailedToRetrieveImagePullSecret` event, `spec.imagePullSecrets`',
    remedy: 'manual: `kubectl -n shop create secret docker-registry regcred …`',
    build: (w) => w.deploy('private', 1, { pod: { imagePullSecrets: [{ name: 'regcred' }] } }),
    expect: { analyzer: 'missing-pull-secret', kind: 'missing-image-pull-secret', object: 'Secret/shop/regcred' },
  },
  {
    title: 'Missing ConfigMap',
    evidence: '`CreateContainerConfigError: configmap "app-config" not found`',
    remedy: 'manual: `kubectl -n shop create configmap app-config …` or fix the reference',
    build: (w) => w.deploy('api', 1, { container: { env: [{ name: 'MODE', valueFrom: { configMapKeyRef: { name: 'app-config', key: 'mode' } } }] } }),
    expect: { analyzer: 'config-error', kind: 'missing-configmap', object: 'ConfigMap/shop/app-config' },
  },
  {
    title: 'Missing Secret',
    evidence: '`CreateContainerConfigError: secret "db-credentials" not found` (the Secret is never read)',
    remedy: 'manual: `kubectl -n shop create secret generic db-credentials …` or fix the reference',
    build: (w) => w.deploy('orders', 1, { container: { env: [{ name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db-credentials', key: 'password' } } }] } }),
    expect: { analyzer: 'config-error', kind: 'missing-secret', object: 'Secret/shop/db-credentials' },
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
    title: 'Failed mount',
    evidence: '`FailedMount: MountVolume.SetUp failed for volume "config" : configmap "nginx-conf" not found`',
    remedy: 'manual: create the ConfigMap or fix the volume',
    build: (w) => w.deploy('proxy', 1, { pod: { volumes: [{ name: 'config', configMap: { name: 'nginx-conf' } }] }, container: { volumeMounts: [{ name: 'config', mountPath: '/etc/nginx/conf.d' }] } }),
    expect: { analyzer: 'failed-mount', kind: 'failed-mount', object: 'ConfigMap/shop/nginx-conf' },
  },
  {
    title: 'Liveness probe on a port nothing listens on',
    evidence: '`Liveness probe failed: … dial tcp …:8081: connect: connection refused`, the probe spec, the container\'s ports',
    remedy: 'manual: set the probe\'s port to the declared containerPort',
    build: (w) => w.deploy('catalog', 1, { container: { ports: [{ containerPort: 8080 }], livenessProbe: { httpGet: { path: '/healthz', port: 8081 }, periodSeconds: 5 } } }),
    expect: { analyzer: 'probe-port', kind: 'probe-wrong-port', object: 'Deployment/shop/catalog', says: 'connection refused' },
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
    title: 'Service with no ready endpoints',
    evidence: 'the Service\'s selector, its Endpoints (0 ready), the selected pods\' readiness',
    remedy: 'manual: make the pods Ready (their own findings say why)',
    build: async (w) => {
      await w.deploy('frontend', 2, { container: { ports: [{ containerPort: 8080 }], readinessProbe: { tcpSocket: { port: 8080 } } }, annotations: a({ listen: '9090/TCP' }) });
      await w.core.createNamespacedService({ namespace: ns, body: { metadata: { name: 'frontend' }, spec: { selector: { app: 'frontend' }, ports: [{ port: 80, targetPort: 8080 }] } } });
      return { namespace: ns, service: 'frontend' };
    },
    expect: { analyzer: 'service-endpoints', kind: 'service-no-endpoints', object: 'Service/shop/frontend' },
  },
  {
    title: 'Job past its backoff limit',
    evidence: '`Failed=True BackoffLimitExceeded: Job has reached the specified backoff limit`, pod counts, the failed pod\'s log line',
    remedy: 'manual: fix the cause, then re-create the Job',
    build: async (w) => {
      await w.batch.createNamespacedJob({
        namespace: ns,
        body: { metadata: { name: 'migrate' }, spec: { backoffLimit: 1, template: { metadata: { annotations: a({ 'exit-code': '1', logs: 'migrating\nerror: relation "orders" does not exist' }) }, spec: { restartPolicy: 'Never', containers: [{ name: 'migrate', image: 'registry.example.com/shop/migrate:1.0' }] } } } },
      });
      return { namespace: ns, job: 'migrate' };
    },
    expect: { analyzer: 'job-failed', kind: 'job-backoff-limit', object: 'Job/shop/migrate', says: 'relation "orders" does not exist' },
  },
  {
    title: 'CronJob whose runs fail',
    evidence: 'the latest Job\'s `Failed` condition, last schedule and last success',
    remedy: 'manual: fix the Job, then `kubectl create job --from=cronjob/…`',
    build: async (w) => {
      await w.batch.createNamespacedCronJob({
        namespace: ns,
        body: { metadata: { name: 'report' }, spec: { schedule: '* * * * *', jobTemplate: { spec: { backoffLimit: 0, template: { metadata: { annotations: a({ 'exit-code': '2' }) }, spec: { restartPolicy: 'Never', containers: [{ name: 'report', image: 'registry.example.com/shop/report:1.0' }] } } } } } },
      });
      w.cluster.advance(120_000);
      return { namespace: ns, cronjob: 'report' };
    },
    expect: { analyzer: 'cronjob', kind: 'cronjob-job-failed', object: 'CronJob/shop/report' },
  },
  {
    title: 'DaemonSet kept off a tainted node',
    evidence: 'the DaemonSet\'s status, the node\'s taints, its tolerations',
    remedy: 'manual: the toleration to add',
    build: async (w) => {
      await w.core.patchNode({ name: 'node-2', body: { spec: { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] } } }, merge);
      await w.apps.createNamespacedDaemonSet({
        namespace: ns,
        body: { metadata: { name: 'log-agent' }, spec: { selector: { matchLabels: { app: 'log-agent' } }, template: { metadata: { labels: { app: 'log-agent' } }, spec: { containers: [{ name: 'agent', image: 'registry.example.com/shop/log-agent:1.0' }] } } } },
      });
      return { namespace: ns, daemonset: 'log-agent' };
    },
    expect: { analyzer: 'daemonset-unscheduled', kind: 'daemonset-unscheduled', object: 'DaemonSet/shop/log-agent', says: 'node node-2' },
  },
  {
    title: 'StatefulSet stuck on a pod that never becomes Ready',
    evidence: 'ready replicas, the lowest pod not Ready, podManagementPolicy OrderedReady',
    remedy: 'manual: make that pod Ready (or fix the template, then delete it)',
    build: async (w) => {
      await w.apps.createNamespacedStatefulSet({
        namespace: ns,
        body: {
          metadata: { name: 'db' },
          spec: { serviceName: 'db', replicas: 3, selector: { matchLabels: { app: 'db' } }, template: { metadata: { labels: { app: 'db' }, annotations: a({ 'exit-code': '1' }) }, spec: { containers: [{ name: 'db', image: 'registry.example.com/shop/db:1.0' }] } } },
        },
      });
      return { namespace: ns, statefulset: 'db' };
    },
    expect: { analyzer: 'statefulset-stuck', kind: 'statefulset-stuck', object: 'Pod/shop/db-0' },
  },
  {
    title: 'Node NotReady',
    evidence: '`Ready=Unknown NodeStatusUnknown: Kubelet stopped posting node status.`, last heartbeat, taints',
    remedy: 'proposal: `cordon_node` (unless already cordoned)',
    build: async (w) => {
      await w.core.patchNode({ name: 'node-2', body: { metadata: { annotations: a({ kubelet: 'stopped' }) } } }, merge);
      w.cluster.advance(60_000);
      return { node: 'node-2' };
    },
    expect: { analyzer: 'node-not-ready', kind: 'node-not-ready', object: 'Node/node-2', proposal: { type: 'cordon_node', node: 'node-2' } },
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
];
