/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-explicit-any -- the simulated API handles Kubernetes wire JSON, whose shapes vary by kind */
import { applyDefaults } from './api/defaults.js';
import { createPod, ownerRef, type ClusterContext } from './controller/context.js';
import { revisionAnnotation } from './controller/deployments.js';
import { boundPods, schedule } from './controller/scheduler.js';
import { hashOfTemplate, withHashLabel } from './controller/templates.js';
import type { NodeSpec, Scenario, WorkloadSpec } from './scenarios/types.js';
import { formatTime } from './sim-clock.js';
import type { KubeObject } from './types.js';

const minute = 60_000;

function meta(name: string, namespace: string | undefined, createdAt: number, extra: Record<string, unknown> = {}) {
  return { name, ...(namespace ? { namespace } : {}), uid: '', resourceVersion: '', creationTimestamp: formatTime(createdAt), ...extra };
}

function nodeObject(n: NodeSpec, createdAt: number): KubeObject {
  const at = formatTime(createdAt);
  const cond = (type: string, status: string, reason: string, message: string) => ({ type, status, lastHeartbeatTime: at, lastTransitionTime: at, reason, message });
  const conditions = n.ready
    ? [
        cond('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
        cond('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
        cond('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
        cond('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'),
      ]
    : ['MemoryPressure', 'DiskPressure', 'PIDPressure', 'Ready'].map((t) => cond(t, 'Unknown', 'NodeStatusUnknown', 'Kubelet stopped posting node status.'));
  const resources = { cpu: n.cpu, memory: n.memory, pods: '110', 'ephemeral-storage': '101430960Ki' };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: meta(n.name, undefined, createdAt, {
      labels: { 'kubernetes.io/hostname': n.name, 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64', 'beta.kubernetes.io/os': 'linux', 'beta.kubernetes.io/arch': 'amd64' },
      // A NotReady node is one whose kubelet stopped: said in the fault language, so removing it brings the node back.
      annotations: { 'node.alpha.kubernetes.io/ttl': '0', 'volumes.kubernetes.io/controller-managed-attach-detach': 'true', ...(n.ready ? {} : { 'sandbox.deckhand.dev/kubelet': 'stopped' }) },
    }),
    spec: {
      podCIDR: n.podCidr,
      podCIDRs: [n.podCidr],
      ...(n.ready ? {} : { taints: [{ key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule', timeAdded: at }, { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: at }] }),
    },
    status: {
      capacity: resources,
      allocatable: resources,
      conditions,
      addresses: [{ type: 'InternalIP', address: n.internalIP }, { type: 'Hostname', address: n.name }],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: { machineID: '', systemUUID: '', bootID: '', kernelVersion: '6.1.0-28-cloud-amd64', osImage: 'Debian GNU/Linux 12 (bookworm)', containerRuntimeVersion: 'containerd://1.7.22', kubeletVersion: 'v1.32.4', kubeProxyVersion: 'v1.32.4', operatingSystem: 'linux', architecture: 'amd64' },
    },
  };
}

function seedDeployment(ctx: ClusterContext, w: WorkloadSpec, now: number): void {
  const revisions = w.revisions;
  const first = revisions[0];
  const last = revisions[revisions.length - 1];
  if (!first || !last) return;
  const rolledOutAt = now - last.ageMinutes * minute;
  const d = ctx.store.create('deployments', {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: meta(w.name, w.namespace, now - first.ageMinutes * minute, { labels: { app: w.name }, annotations: { [revisionAnnotation]: String(revisions.length) }, generation: revisions.length }),
    spec: {
      replicas: w.replicas,
      selector: { matchLabels: { app: w.name } },
      template: structuredClone(last.template),
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } },
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
    },
    status: {
      observedGeneration: revisions.length,
      conditions: [{ type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated', message: `ReplicaSet "${w.name}" is progressing.`, lastUpdateTime: formatTime(rolledOutAt), lastTransitionTime: formatTime(rolledOutAt) }],
    },
  });
  revisions.forEach((rev, i) => {
    const hash = hashOfTemplate(rev.template);
    const template = withHashLabel(rev.template, hash);
    const createdAt = now - rev.ageMinutes * minute;
    const rs = ctx.store.create('replicasets', {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: meta(`${w.name}-${hash}`, w.namespace, createdAt, {
        labels: { ...template.metadata.labels },
        annotations: { [revisionAnnotation]: String(i + 1), 'deployment.kubernetes.io/desired-replicas': String(w.replicas), 'deployment.kubernetes.io/max-replicas': String(w.replicas + Math.ceil(w.replicas / 4)) },
        ownerReferences: [ownerRef(d)],
      }),
      spec: { replicas: rev.replicas, minReadySeconds: 0, selector: { matchLabels: { app: w.name, 'pod-template-hash': hash } }, template },
      status: { replicas: 0 },
    });
    for (let p = 0; p < rev.replicas; p++) seedPod(ctx, rs, template, createdAt);
  });
}

function seedPod(ctx: ClusterContext, owner: KubeObject, template: any, createdAt: number, name?: string, nodeName?: string, extraLabels?: Record<string, string>): void {
  const nodes = ctx.store.list('nodes');
  const node = nodeName ?? schedule({ ...owner, kind: 'Pod', spec: template.spec }, nodes, boundPods(ctx.store.list('pods'))).node;
  createPod(ctx, { owner, template, createdAt, ...(node ? { nodeName: node } : {}), ...(name ? { name } : {}), ...(extraLabels ? { extraLabels } : {}) });
}

function seedOther(ctx: ClusterContext, w: WorkloadSpec, now: number): void {
  const rev = w.revisions[w.revisions.length - 1];
  if (!rev) return;
  const createdAt = now - rev.ageMinutes * minute;
  const hash = hashOfTemplate(rev.template);
  const resource = w.kind === 'StatefulSet' ? 'statefulsets' : 'daemonsets';
  const o = ctx.store.create(resource, {
    apiVersion: 'apps/v1',
    kind: w.kind,
    metadata: meta(w.name, w.namespace, createdAt, { labels: { app: w.name }, annotations: { 'deprecated.daemonset.template.generation': '1' } }),
    spec: {
      ...(w.kind === 'StatefulSet'
        ? { replicas: w.replicas, serviceName: w.name, podManagementPolicy: 'OrderedReady', updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } }, persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' } }
        : { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } } }),
      selector: { matchLabels: { ...rev.template.metadata.labels } },
      template: structuredClone(rev.template),
      revisionHistoryLimit: 10,
    },
    status: {},
  });
  if (w.kind === 'StatefulSet') {
    for (let i = 0; i < w.replicas; i++) {
      const name = `${w.name}-${i}`;
      seedPod(ctx, o, rev.template, createdAt, name, undefined, { 'controller-revision-hash': `${w.name}-${hash}`, 'statefulset.kubernetes.io/pod-name': name, 'apps.kubernetes.io/pod-index': String(i) });
    }
  } else {
    for (const node of ctx.store.list('nodes').filter((n) => !n.spec.taints)) {
      seedPod(ctx, o, rev.template, createdAt, undefined, node.metadata.name, { 'controller-revision-hash': hash, 'pod-template-generation': '1' });
    }
  }
}

/** Loads scenarios into the store: nodes, namespaces, workloads with their history and pods, extra objects. */
export function seedScenarios(ctx: ClusterContext, scenarios: Scenario[]): void {
  const now = ctx.clock.now();
  const clusterBorn = now - 30 * 24 * 60 * minute;
  for (const n of scenarios.flatMap((s) => s.nodes ?? [])) ctx.store.create('nodes', nodeObject(n, clusterBorn));
  const namespaces = new Set(scenarios.flatMap((s) => [...(s.namespaces ?? []), ...s.workloads.map((w) => w.namespace)]));
  for (const ns of namespaces) {
    ctx.store.create('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: meta(ns, undefined, clusterBorn, { labels: { 'kubernetes.io/metadata.name': ns } }), spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } });
  }
  for (const w of scenarios.flatMap((s) => s.workloads)) {
    if (w.kind === 'Deployment') seedDeployment(ctx, w, now);
    else seedOther(ctx, w, now);
  }
  for (const { resource, object } of scenarios.flatMap((s) => s.objects ?? [])) {
    const o = structuredClone({ ...object, metadata: { ...object.metadata, ...meta(String(object.metadata.name), object.metadata.namespace, now - 5 * 24 * 60 * minute) } }) as KubeObject;
    // What the API server fills in on create (a Service's cluster IP…), as for objects posted to it.
    applyDefaults(ctx, resource, o, undefined);
    ctx.store.create(resource, o);
  }
}
