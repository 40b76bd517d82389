import type { DiagnosisCase } from './case.js';
import { merge, ns } from './world.js';

/** The sandbox's program annotations (../shared/sandbox-contract.md), as a user writes them. */
const a = (values: Record<string, string>) => Object.fromEntries(Object.entries(values).map(([k, v]) => [`sandbox.deckhand.dev/${k}`, v]));

const antiAffinity = { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'cache' } }, topologyKey: 'kubernetes.io/hostname' }] } };

/** The running diagnosis table: each case builds its failure in the sandbox (two 4-cpu / 8Gi nodes). */
export const diagnosisCases: DiagnosisCase[] = [
  {
    title: 'Insufficient memory (running replicas fit a smaller request)',
    evidence: 'FailedScheduling `0/2 nodes are available: 2 Insufficient memory…`, free memory per node, metrics of the running replicas',
    remedy: 'proposal: `set_resources` lowering the memory request to what every Pending pod can be placed with and the running replicas are seen to use (+20%)',
    build: (w) => w.deploy('search', 3, { resources: { requests: { cpu: '100m', memory: '4Gi' } }, annotations: { 'sandbox.deckhand.dev/memory': '2Gi' } }),
    expect: { analyzer: 'insufficient-resources', kind: 'insufficient-memory', object: 'Deployment/shop/search', proposal: { type: 'set_resources', name: 'search', container: 'search' }, says: 'Insufficient memory' },
  },
  {
    title: 'Insufficient CPU',
    evidence: 'FailedScheduling `… Insufficient cpu`, each container\'s requests',
    remedy: 'manual: add a node with that much free CPU, free room, or lower the request',
    build: (w) => w.deploy('render', 3, { resources: { requests: { cpu: '3', memory: '256Mi' } } }),
    expect: { analyzer: 'insufficient-resources', kind: 'insufficient-cpu', object: 'Deployment/shop/render', says: 'requests 3 cpu' },
  },
  {
    title: 'nodeSelector matches no node',
    evidence: "FailedScheduling `… didn't match Pod's node affinity/selector`, `spec.nodeSelector`, each node's value for those keys",
    remedy: 'manual: `kubectl label node <node> disk=ssd` or change the nodeSelector',
    build: (w) => w.deploy('indexer', 1, { pod: { nodeSelector: { disk: 'ssd' } } }),
    expect: { analyzer: 'node-affinity', kind: 'node-affinity-mismatch', object: 'Deployment/shop/indexer', says: 'disk=(absent)' },
  },
  {
    title: 'Required node affinity matches no node',
    evidence: 'FailedScheduling, `requiredDuringSchedulingIgnoredDuringExecution` terms, node labels',
    remedy: 'manual: label a node or relax the affinity',
    build: (w) =>
      w.deploy('zonal', 1, {
        pod: { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: ['eu-west-1c'] }] }] } } } },
      }),
    expect: { analyzer: 'node-affinity', kind: 'node-affinity-mismatch', object: 'Deployment/shop/zonal', says: 'topology.kubernetes.io/zone In (eu-west-1c)' },
  },
  {
    title: 'Untolerated taint',
    evidence: 'FailedScheduling `… had untolerated taint {dedicated: gpu}`, the nodes\' taints, the pod\'s tolerations',
    remedy: 'manual: the exact toleration to add, or `kubectl taint nodes … dedicated:NoSchedule-`',
    build: async (w) => {
      for (const name of ['node-1', 'node-2']) await w.core.patchNode({ name, body: { spec: { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] } } }, merge);
      return w.deploy('web', 1);
    },
    expect: { analyzer: 'untolerated-taint', kind: 'untolerated-taint', object: 'Node/node-1,node-2', says: 'dedicated=gpu:NoSchedule' },
  },
  {
    title: 'Pod anti-affinity leaves no node',
    evidence: "FailedScheduling `… didn't match pod anti-affinity rules`, the rule, the number of topology domains",
    remedy: 'manual: add nodes, scale to the number of domains, or use a preferred rule',
    build: (w) => w.deploy('cache', 3, { pod: { affinity: antiAffinity } }),
    expect: { analyzer: 'pod-anti-affinity', kind: 'pod-anti-affinity', object: 'Deployment/shop/cache', says: 'topologyKey kubernetes.io/hostname' },
  },
  {
    title: 'All nodes cordoned',
    evidence: 'FailedScheduling `… 2 node(s) were unschedulable`, `spec.unschedulable` of each node',
    remedy: 'proposal: `uncordon_node` for a Ready cordoned node the pods fit on (taints, selector, free requests checked)',
    build: async (w) => {
      for (const name of ['node-1', 'node-2']) await w.core.patchNode({ name, body: { spec: { unschedulable: true } } }, merge);
      return w.deploy('api', 1);
    },
    expect: { analyzer: 'nodes-cordoned', kind: 'all-nodes-cordoned', object: 'Node/node-1,node-2', proposal: { type: 'uncordon_node' } },
  },
  {
    title: 'Quota exceeded: pods',
    evidence: 'FailedCreate on the ReplicaSet `… forbidden: exceeded quota: pods-q, requested: pods=1, used: pods=2, limited: pods=2`, the quota\'s hard and used',
    remedy: 'manual: the `kubectl patch resourcequota` raising exactly the exceeded resource to used + requested',
    build: async (w) => {
      await w.core.createNamespacedResourceQuota({ namespace: ns, body: { metadata: { name: 'pods-q' }, spec: { hard: { pods: '2' } } } });
      return w.deploy('worker', 3);
    },
    expect: { analyzer: 'quota-exceeded', kind: 'quota-exceeded', object: 'ResourceQuota/shop/pods-q', says: 'requested: pods=1, used: pods=2, limited: pods=2' },
  },
  {
    title: 'Quota exceeded: requests.memory',
    evidence: 'FailedCreate `… exceeded quota: mem, requested: requests.memory=1Gi, used: requests.memory=2Gi, limited: requests.memory=2Gi`',
    remedy: 'manual: `kubectl -n shop patch resourcequota mem … {"requests.memory":"3Gi"}`',
    build: async (w) => {
      await w.core.createNamespacedResourceQuota({ namespace: ns, body: { metadata: { name: 'mem' }, spec: { hard: { 'requests.memory': '2Gi' } } } });
      return w.deploy('ledger', 3, { resources: { requests: { cpu: '100m', memory: '1Gi' } } });
    },
    expect: { analyzer: 'quota-exceeded', kind: 'quota-exceeded', object: 'ResourceQuota/shop/mem', says: '"requests.memory":"3Gi"' },
  },
  {
    title: 'Quota exceeded: requests.cpu',
    evidence: 'FailedCreate `… exceeded quota: cpu, requested: requests.cpu=500m, used: requests.cpu=1, limited: requests.cpu=1`',
    remedy: 'manual: `kubectl patch resourcequota` raising requests.cpu to 1500m',
    build: async (w) => {
      await w.core.createNamespacedResourceQuota({ namespace: ns, body: { metadata: { name: 'cpu' }, spec: { hard: { 'requests.cpu': '1' } } } });
      return w.deploy('batch', 3, { resources: { requests: { cpu: '500m', memory: '64Mi' } } });
    },
    expect: { analyzer: 'quota-exceeded', kind: 'quota-exceeded', object: 'ResourceQuota/shop/cpu', says: '"requests.cpu":"1500m"' },
  },
  {
    title: 'Quota requires limits the pods do not state',
    evidence: 'FailedCreate `… failed quota: limits: must specify limits.cpu,limits.memory`',
    remedy: 'manual: set those limits on every container, or add a LimitRange with defaults',
    build: async (w) => {
      await w.core.createNamespacedResourceQuota({ namespace: ns, body: { metadata: { name: 'limits' }, spec: { hard: { 'limits.cpu': '4', 'limits.memory': '4Gi' } } } });
      return w.deploy('mailer', 1);
    },
    expect: { analyzer: 'quota-exceeded', kind: 'quota-must-specify', object: 'ResourceQuota/shop/limits', says: 'must specify limits.cpu,limits.memory' },
  },
  {
    title: 'Missing ServiceAccount',
    evidence: 'FailedCreate `… error looking up service account shop/billing: serviceaccount "billing" not found`',
    remedy: 'manual: `kubectl -n shop create serviceaccount billing`',
    build: (w) => w.deploy('billing', 1, { pod: { serviceAccountName: 'billing' } }),
    expect: { analyzer: 'missing-service-account', kind: 'missing-service-account', object: 'ServiceAccount/shop/billing', says: 'serviceaccount "billing" not found' },
  },
  {
    title: 'Service selector matches no pod',
    evidence: '`spec.selector`, the Endpoints, the pods\' closest labels',
    remedy: 'manual: the `kubectl patch service` setting the selector to the pods\' labels',
    build: async (w) => {
      await w.deploy('frontend', 1, { container: { ports: [{ containerPort: 8080 }] } });
      await w.core.createNamespacedService({ namespace: ns, body: { metadata: { name: 'frontend' }, spec: { selector: { app: 'front-end' }, ports: [{ port: 80, targetPort: 8080 }] } } });
      return { namespace: ns, service: 'frontend' };
    },
    expect: { analyzer: 'service-endpoints', kind: 'service-selector-mismatch', object: 'Service/shop/frontend', says: 'selects app=front-end' },
  },
  {
    title: 'Service targetPort not exposed by its pods',
    evidence: '`spec.ports` of the Service, the selected containers\' ports',
    remedy: 'manual: the `kubectl patch service` pointing targetPort at the container port',
    build: async (w) => {
      const target = await w.deploy('catalog', 1, { container: { ports: [{ name: 'http', containerPort: 8080 }] } });
      await w.core.createNamespacedService({ namespace: ns, body: { metadata: { name: 'catalog' }, spec: { selector: { app: 'catalog' }, ports: [{ port: 80, targetPort: 9090 }] } } });
      return target;
    },
    expect: { analyzer: 'service-target-port', kind: 'service-target-port', object: 'Service/shop/catalog', says: 'targetPort 9090/TCP' },
  },
  {
    title: 'PVC pending: StorageClass not found',
    evidence: '`spec.storageClassName`, the classes that exist, the PV controller\'s `ProvisioningFailed` when present',
    remedy: 'manual: create the class or re-create the claim with an existing one',
    build: async (w) => {
      await w.core.createNamespacedPersistentVolumeClaim({ namespace: ns, body: { metadata: { name: 'data' }, spec: { storageClassName: 'fast-ssd', accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '5Gi' } } } } });
      return w.deploy('postgres', 1, { pod: { volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'data' } }] } });
    },
    expect: { analyzer: 'pvc-pending', kind: 'pvc-class-not-found', object: 'StorageClass/fast-ssd', says: 'spec.storageClassName: fast-ssd' },
  },
  {
    title: 'PVC pending: no class and no volume',
    evidence: '`storageClassName: ""`, no default class, no volume for it',
    remedy: 'manual: re-create the claim with a class, or mark a class default',
    build: async (w) => {
      await w.core.createNamespacedPersistentVolumeClaim({ namespace: ns, body: { metadata: { name: 'scratch' }, spec: { storageClassName: '', accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } } });
      return { namespace: ns, pvc: 'scratch' };
    },
    expect: { analyzer: 'pvc-pending', kind: 'pvc-no-class', object: 'PersistentVolumeClaim/shop/scratch', says: 'no persistent volumes available for this claim and no storage class is set' },
  },
  {
    title: 'PVC pending: access mode no volume offers',
    evidence: 'the claim\'s `accessModes`, each available volume\'s',
    remedy: 'manual: re-create the claim with a mode the volumes offer, or provide one',
    build: async (w) => {
      await w.core.createPersistentVolume({ body: { metadata: { name: 'pv-rwo' }, spec: { capacity: { storage: '10Gi' }, accessModes: ['ReadWriteOnce'], hostPath: { path: '/data/rwo' } } } });
      await w.core.createNamespacedPersistentVolumeClaim({ namespace: ns, body: { metadata: { name: 'shared' }, spec: { storageClassName: '', accessModes: ['ReadWriteMany'], resources: { requests: { storage: '1Gi' } } } } });
      return { namespace: ns, pvc: 'shared' };
    },
    expect: { analyzer: 'pvc-pending', kind: 'pvc-access-mode', object: 'PersistentVolumeClaim/shop/shared', says: 'accessModes ReadWriteOnce' },
  },
  {
    title: 'PVC pending: capacity no volume has',
    evidence: 'the claim\'s request, the matching volumes\' capacity',
    remedy: 'manual: request at most the volume\'s size or provide a bigger volume',
    build: async (w) => {
      await w.core.createPersistentVolume({ body: { metadata: { name: 'pv-small' }, spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], hostPath: { path: '/data/small' } } } });
      await w.core.createNamespacedPersistentVolumeClaim({ namespace: ns, body: { metadata: { name: 'big' }, spec: { storageClassName: '', accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '50Gi' } } } } });
      return { namespace: ns, pvc: 'big' };
    },
    expect: { analyzer: 'pvc-pending', kind: 'pvc-capacity', object: 'PersistentVolumeClaim/shop/big', says: 'capacity 1Gi' },
  },
  {
    title: 'PVC pending: selector matches no volume',
    evidence: 'the claim\'s `spec.selector`, the volumes\' labels',
    remedy: 'manual: label a volume or fix the selector',
    build: async (w) => {
      await w.core.createPersistentVolume({ body: { metadata: { name: 'pv-fast', labels: { tier: 'standard' } }, spec: { capacity: { storage: '10Gi' }, accessModes: ['ReadWriteOnce'], hostPath: { path: '/data/fast' } } } });
      await w.core.createNamespacedPersistentVolumeClaim({ namespace: ns, body: { metadata: { name: 'picky' }, spec: { storageClassName: '', selector: { matchLabels: { tier: 'fast' } }, accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } } });
      return { namespace: ns, pvc: 'picky' };
    },
    expect: { analyzer: 'pvc-pending', kind: 'pvc-selector', object: 'PersistentVolumeClaim/shop/picky', says: '{"tier":"standard"}' },
  },
  {
    title: 'PVC pending: the named volume is bound to another claim',
    evidence: '`spec.volumeName`, the volume\'s `claimRef`',
    remedy: 'manual: re-create the claim naming a free volume',
    build: async (w) => {
      await w.core.createPersistentVolume({ body: { metadata: { name: 'pv-taken' }, spec: { capacity: { storage: '10Gi' }, accessModes: ['ReadWriteOnce'], hostPath: { path: '/data/taken' }, claimRef: { namespace: 'other', name: 'theirs' } } } });
      await w.core.createNamespacedPersistentVolumeClaim({ namespace: ns, body: { metadata: { name: 'mine' }, spec: { storageClassName: '', volumeName: 'pv-taken', accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } } });
      return { namespace: ns, pvc: 'mine' };
    },
    expect: { analyzer: 'pvc-pending', kind: 'pvc-volume-bound', object: 'PersistentVolume/pv-taken', says: 'claimRef: other/theirs' },
  },
  {
    title: 'PVC pending: the named volume has another class',
    evidence: 'the claim\'s and the volume\'s `storageClassName`',
    remedy: 'manual: align the classes or re-create the claim',
    build: async (w) => {
      await w.core.createPersistentVolume({ body: { metadata: { name: 'pv-slow' }, spec: { storageClassName: 'slow', capacity: { storage: '10Gi' }, accessModes: ['ReadWriteOnce'], hostPath: { path: '/data/slow' } } } });
      await w.storage.createStorageClass({ body: { metadata: { name: 'manual' }, provisioner: 'kubernetes.io/no-provisioner' } });
      await w.core.createNamespacedPersistentVolumeClaim({ namespace: ns, body: { metadata: { name: 'pinned' }, spec: { storageClassName: 'manual', volumeName: 'pv-slow', accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } } });
      return { namespace: ns, pvc: 'pinned' };
    },
    expect: { analyzer: 'pvc-pending', kind: 'pvc-class-mismatch', object: 'PersistentVolume/pv-slow', says: 'storageClassName does not match' },
  },
  {
    title: 'StatefulSet stuck at its first pod (OrderedReady)',
    evidence: 'ready replicas, the lowest pod not Ready (here Pending: Insufficient memory), podManagementPolicy',
    remedy: 'manual: make that pod Ready; the pods after it follow',
    build: async (w) => {
      await w.apps.createNamespacedStatefulSet({
        namespace: ns,
        body: {
          metadata: { name: 'db' },
          spec: {
            serviceName: 'db',
            replicas: 3,
            selector: { matchLabels: { app: 'db' } },
            template: { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'db', image: 'registry.example.com/shop/db:1.0', resources: { requests: { cpu: '100m', memory: '20Gi' } } }] } },
          },
        },
      });
      return { namespace: ns, statefulset: 'db' };
    },
    expect: { analyzer: 'statefulset-stuck', kind: 'statefulset-stuck', object: 'Pod/shop/db-0', says: 'creates and updates no pod after it' },
  },
  {
    title: 'CronJob suspended',
    evidence: '`spec.suspend: true`, schedule, last schedule and success times',
    remedy: "manual: `kubectl -n shop patch cronjob report -p '{\"spec\":{\"suspend\":false}}'`",
    build: async (w) => {
      await w.batch.createNamespacedCronJob({
        namespace: ns,
        body: { metadata: { name: 'report' }, spec: { schedule: '*/5 * * * *', suspend: true, jobTemplate: { spec: { template: { spec: { restartPolicy: 'OnFailure', containers: [{ name: 'report', image: 'registry.example.com/shop/report:1.0' }] } } } } } },
      });
      return { namespace: ns, cronjob: 'report' };
    },
    expect: { analyzer: 'cronjob', kind: 'cronjob-suspended', object: 'CronJob/shop/report', says: 'spec.suspend: true' },
  },
  {
    title: 'PodDisruptionBudget allows no disruption',
    evidence: '`minAvailable` against the healthy pods it covers (`disruptionsAllowed` 0)',
    remedy: 'proposal: `scale` one replica above minAvailable when every covered pod is healthy; else manual',
    build: async (w) => {
      const target = await w.deploy('checkout', 2);
      await w.policy.createNamespacedPodDisruptionBudget({ namespace: ns, body: { metadata: { name: 'checkout' }, spec: { minAvailable: 2, selector: { matchLabels: { app: 'checkout' } } } } });
      return target;
    },
    expect: { analyzer: 'pdb-blocking', kind: 'pdb-blocking', object: 'PodDisruptionBudget/shop/checkout', proposal: { type: 'scale', name: 'checkout', replicas: 3 } },
  },
  {
    title: 'CPU throttled at its limit (metrics API)',
    evidence: 'each pod\'s CPU use from metrics.k8s.io against the container\'s limit',
    remedy: 'proposal: `set_resources` doubling the CPU limit',
    build: (w) => w.deploy('pricing', 2, { resources: { requests: { cpu: '250m', memory: '128Mi' }, limits: { cpu: '500m' } }, annotations: { 'sandbox.deckhand.dev/cpu': '495m' } }),
    expect: { analyzer: 'cpu-saturation', kind: 'cpu-throttling', object: 'Deployment/shop/pricing', proposal: { type: 'set_resources', name: 'pricing', limits: { cpu: '1' } } },
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
    expect: { analyzer: 'hpa-at-max', kind: 'hpa-at-max', object: 'HorizontalPodAutoscaler/shop/api', says: 'ScalingLimited: TooManyReplicas the desired replica count is more than the maximum replica count' },
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
    title: 'Missing Secret',
    evidence: '`CreateContainerConfigError: secret "db-credentials" not found` (the Secret is never read)',
    remedy: 'manual: `kubectl -n shop create secret generic db-credentials …` or fix the reference',
    build: (w) => w.deploy('orders', 1, { container: { env: [{ name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db-credentials', key: 'password' } } }] } }),
    expect: { analyzer: 'config-error', kind: 'missing-secret', object: 'Secret/shop/db-credentials' },
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
    evidence: "`Liveness probe failed: dial tcp …:8080: connect: connection refused`, `Container … failed liveness probe, will be restarted`, each run's length against initialDelaySeconds + periodSeconds × failureThreshold (+ the grace period), no startupProbe",
    remedy: 'manual: the exact `kubectl patch` adding a startupProbe with the same check (or raising initialDelaySeconds)',
    build: (w) =>
      w.deploy('search', 1, {
        container: { ports: [{ containerPort: 8080 }], livenessProbe: { tcpSocket: { port: 8080 }, initialDelaySeconds: 5, periodSeconds: 5, failureThreshold: 3 } },
        annotations: a({ 'start-seconds': '120' }),
      }),
    expect: { analyzer: 'probe-timing', kind: 'probe-kills-slow-start', object: 'Deployment/shop/search', says: '"startupProbe":{"tcpSocket":{"port":8080}' },
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
    evidence: "the pods' `Evicted` status message (`The node was low on resource: memory. Threshold quantity: 100Mi, available: 80Mi. Container hog was using 7600Mi, request is 128Mi, has larger consumption of memory.`), the nodes' MemoryPressure",
    remedy: 'manual: `kubectl set resources` raising the memory request to real use (so the scheduler stops overcommitting nodes), then delete the Failed pods',
    // One pod whose working set leaves its node 80Mi, under the kubelet's memory.available<100Mi.
    build: (w) => w.deploy('hog', 1, { resources: { requests: { cpu: '100m', memory: '128Mi' } }, annotations: a({ memory: '7600Mi' }) }),
    expect: { analyzer: 'evictions', kind: 'pod-evicted', object: 'Deployment/shop/hog', says: 'Container hog was using 7600Mi, request is 128Mi, has larger consumption of memory' },
  },
  {
    title: 'Node under memory pressure',
    evidence: '`MemoryPressure=True KubeletHasInsufficientMemory: kubelet has insufficient memory available`, the taint `node.kubernetes.io/memory-pressure:NoSchedule`, the node\'s memory',
    remedy: 'manual: free memory on the node (move or scale down its biggest consumers, set requests to real use)',
    build: async (w) => {
      // The first pod goes to node-1 (both nodes empty, ties by name); its working set leaves less than 100Mi.
      await w.deploy('cache', 1, { resources: { requests: { cpu: '100m', memory: '256Mi' } }, annotations: a({ memory: '7600Mi' }) });
      return { node: 'node-1' };
    },
    expect: { analyzer: 'node-pressure', kind: 'node-memory-pressure', object: 'Node/node-1', says: 'kubelet has insufficient memory available' },
  },
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
        { name: 'payments', namespace: ns, body: { spec: { template: { metadata: { annotations: a({ 'exit-code': '1', logs: 'FATAL PAYMENT_URL "htp://payments" is not a valid URL' }) }, spec: { containers: [{ name: 'payments', image: 'registry.example.com/team/payments:1.0', env: [{ name: 'PAYMENT_URL', value: 'htp://payments' }] }] } } } } },
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
    expect: { analyzer: 'config-error', kind: 'missing-key', object: 'ConfigMap/shop/app-config', says: 'reference an existing key (level)' },
  },
];
