import { readFileSync } from 'node:fs';
import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import type { Action } from '../../src/decisions/actions/catalog.js';
import { FileConfig } from '../../src/core/config/file.js';
import { executeAction } from '../../src/decisions/execute/executor.js';
import { createClusterReader } from '../../src/kube/read/cluster-reader.js';
import { snapshotTarget } from '../../src/decisions/actions/snapshot.js';
import { verifyAction } from '../../src/decisions/verify/verifier.js';
import { startSandboxCluster, type SandboxCluster } from '../../sandbox/cluster/index.js';
import { CoordinationV1Api, CoreV1Api } from '@kubernetes/client-node';
import { createClusterWatch } from '../../src/watch/cluster-watch.js';
import { createLeaderElector } from '../../src/watch/lease.js';
import { watchLeaseName } from '../../src/watch/feature.js';
import { createLogger } from '../../src/shared/logger.js';
import { waitFor } from '../../sandbox/shared/wait.js';

/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-return -- manifests are loosely typed YAML */

interface Rule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
}

const load = (file: string): any[] => parseAllDocuments(readFileSync(new URL(`../../deploy/${file}`, import.meta.url), 'utf8')).map((d) => d.toJSON());
const role = load('rbac.yaml').find((d) => d.kind === 'ClusterRole');
const rules = role.rules as Rule[];

function allowed(group: string, resource: string, verb: string): boolean {
  return rules.some((r) => r.apiGroups.includes(group) && r.resources.includes(resource) && r.verbs.includes(verb));
}

/** The RBAC attributes of a REST request, as the API server's authorizer sees them. */
function attributesOf(method: string, path: string): { group: string; resource: string; verb: string } | undefined {
  const parts = path.split('/').filter(Boolean);
  let rest: string[];
  let group: string;
  if (parts[0] === 'api') {
    group = '';
    rest = parts.slice(2);
  } else if (parts[0] === 'apis') {
    group = parts[1]!;
    rest = parts.slice(3);
  } else {
    return undefined; // /version and discovery are non-resource URLs every authenticated user may GET
  }
  if (rest[0] === 'namespaces' && rest.length >= 3) rest = rest.slice(2);
  const [resource, name, sub] = rest;
  const verbs: Record<string, string> = { GET: name ? 'get' : 'list', DELETE: 'delete', PATCH: 'patch', PUT: 'update', POST: 'create' };
  return { group, resource: sub ? `${resource}/${sub}` : resource!, verb: verbs[method]! };
}

/** Asking the cluster a question (runAs approver's checks): created, answered, never stored. */
const isAccessReview = (r: Rule) => r.apiGroups.join() === 'authorization.k8s.io' && r.resources.join() === 'subjectaccessreviews' && r.verbs.join() === 'create';

describe('deploy/ ClusterRole', () => {
  it('never grants Secrets, wildcards, create (but access reviews), escalate or impersonate', () => {
    for (const rule of rules) {
      expect(rule.resources.filter((r) => r.startsWith('secrets') || r === '*')).toEqual([]);
      expect(rule.apiGroups).not.toContain('*');
      if (isAccessReview(rule)) continue;
      expect(rule.verbs.filter((v) => ['*', 'create', 'update', 'escalate', 'bind', 'impersonate', 'deletecollection'].includes(v))).toEqual([]);
    }
  });

  it('lets Deckhand impersonate only named users and groups, never a superuser', () => {
    const impersonate = load('rbac.yaml').find((d) => d.kind === 'ClusterRole' && d.metadata.name === 'deckhand-impersonate');
    for (const rule of impersonate.rules as (Rule & { resourceNames?: string[] })[]) {
      expect(rule.verbs).toEqual(['impersonate']);
      expect(['users', 'groups']).toEqual(expect.arrayContaining(rule.resources));
      expect(rule.resourceNames?.length).toBeGreaterThan(0);
      expect(rule.resourceNames).not.toContain('system:masters');
      expect(rule.resourceNames).not.toContain('kubernetes-admin');
    }
  });

  it('grants writes only for the action catalog', () => {
    const writes = rules.filter((r) => !isAccessReview(r)).flatMap((r) => r.verbs.filter((v) => v !== 'get' && v !== 'list' && v !== 'watch').flatMap((v) => r.resources.map((res) => `${v} ${r.apiGroups.join(',')}/${res}`)));
    expect(writes.sort()).toEqual([
      'delete /pods',
      'patch /nodes',
      'patch apps/daemonsets',
      'patch apps/deployments',
      'patch apps/deployments/scale',
      'patch apps/statefulsets',
      'patch apps/statefulsets/scale',
    ]);
  });

  describe('covers every request Deckhand makes', () => {
    let sandbox: SandboxCluster;
    beforeAll(async () => {
      sandbox = await startSandboxCluster({ timeScale: 120 });
    });
    afterAll(async () => {
      await sandbox.close();
    });

    it('for reads, snapshots, every action and verification', async () => {
      const kc = new KubeConfig();
      kc.loadFromString(sandbox.kubeconfigYaml());
      // The sandbox enforces RBAC: its `sandbox-deckhand` context holds exactly this role.
      kc.setCurrentContext('sandbox-deckhand');
      const reader = createClusterReader(kc, 'sandbox');
      const [pod] = await reader.listWorkloadPods({ kind: 'Deployment', namespace: 'shop', name: 'web' });
      await reader.listNamespaces();
      await reader.listNodes();
      await reader.getNode('node-1');
      await reader.listHpas('shop');
      await reader.findWorkloads('web');
      await reader.findWorkloads('web', 'shop');
      await reader.listNamespaceEvents('shop');
      await reader.listObjectEvents('shop', 'Pod', pod!.metadata!.name!);
      await reader.readLogs('shop', pod!.metadata!.name!);
      await reader.getStatefulSet('shop', 'redis');
      await reader.getDaemonSet('monitoring', 'node-exporter');
      await reader.listInventory('shop');
      await reader.listInventory(undefined);
      const actions: Action[] = [
        { type: 'restart_pod', namespace: 'shop', pod: pod!.metadata!.name! },
        { type: 'rollout_restart', namespace: 'shop', kind: 'Deployment', name: 'api' },
        { type: 'rollout_restart', namespace: 'shop', kind: 'StatefulSet', name: 'redis' },
        { type: 'rollout_restart', namespace: 'monitoring', kind: 'DaemonSet', name: 'node-exporter' },
        { type: 'scale', namespace: 'shop', kind: 'Deployment', name: 'web', replicas: 4 },
        { type: 'scale', namespace: 'shop', kind: 'StatefulSet', name: 'redis', replicas: 1 },
        { type: 'rollout_undo', namespace: 'shop', name: 'frontend' },
        { type: 'set_resources', namespace: 'shop', kind: 'Deployment', name: 'cart', container: 'cart', limits: { memory: '512Mi' } },
        { type: 'cordon_node', node: 'node-2' },
        { type: 'uncordon_node', node: 'node-2' },
      ];
      for (const action of actions) {
        await snapshotTarget(reader, action);
        expect(await executeAction(kc, action, { dryRun: true }), action.type).toMatchObject({ ok: true });
        expect(await executeAction(kc, action, { dryRun: false }), action.type).toMatchObject({ ok: true });
        await verifyAction(reader, action, { timeoutMs: 300, settleMs: 0, pollMs: 50 });
      }
      const denied = sandbox.requests
        .map((r) => ({ request: `${r.method} ${r.path}`, attrs: attributesOf(r.method, r.path) }))
        .filter(({ attrs }) => attrs && !allowed(attrs.group, attrs.resource, attrs.verb))
        .map(({ request }) => request);
      expect(denied).toEqual([]);
      expect(sandbox.requests.filter((r) => r.status === 403).map((r) => `${r.method} ${r.path}`)).toEqual([]);
      expect(sandbox.requests.length).toBeGreaterThan(50);
    });
  });
});

describe('deploy/ Role for the cluster watch', () => {
  const docs = load('rbac.yaml');
  const leaseRole = docs.find((d) => d.kind === 'Role');
  const binding = docs.find((d) => d.kind === 'RoleBinding');

  it('grants only the deckhand-watch Lease, in Deckhand’s namespace, to Deckhand', () => {
    expect(leaseRole.metadata.namespace).toBe('deckhand');
    expect(leaseRole.rules).toEqual([
      { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['create'] },
      { apiGroups: ['coordination.k8s.io'], resources: ['leases'], resourceNames: ['deckhand-watch'], verbs: ['get', 'update'] },
    ]);
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'deckhand', namespace: 'deckhand' }]);
    // Besides it: Deckhand's ClusterRole and, for runAs: approver, deckhand-impersonate.
    expect(docs.filter((d) => d.kind === 'Role' || d.kind === 'ClusterRole').map((d) => d.metadata.name).sort()).toEqual(['deckhand', 'deckhand-impersonate', 'deckhand-watch-lease']);
  });

  it('cover every request the cluster watch and its election make', async () => {
    const sandbox = await startSandboxCluster({ scenarios: ['shop-healthy'] });
    try {
      const kc = new KubeConfig();
      kc.loadFromString(sandbox.kubeconfigYaml());
      await kc.makeApiClient(CoreV1Api).createNamespace({ body: { metadata: { name: 'deckhand' } } });
      const from = sandbox.requests.length;
      const log = createLogger({ level: 'silent' });
      const watch = createClusterWatch({ cluster: 'sandbox', kubeConfig: kc, namespaces: ['*'], times: { forMs: 60_000, recoverAfterMs: 60_000 }, log, now: Date.now, fire: () => Promise.resolve(), recover: () => Promise.resolve(), openWorkloads: () => Promise.resolve([]) });
      const elector = createLeaderElector({ api: kc.makeApiClient(CoordinationV1Api), namespace: 'deckhand', name: watchLeaseName, identity: 'rbac-test', leaseDurationMs: 1000, renewMs: 100, log, onStartedLeading: () => watch.start(), onStoppedLeading: () => void watch.stop() });
      elector.start();
      await waitFor(() => watch.running() && watch.informers().every((i) => i.phase === 'watching'), { message: 'the watch did not start' });
      await waitFor(() => sandbox.requests.slice(from).filter((r) => r.method === 'PUT').length > 0, { message: 'the lease was not renewed' });
      await elector.stop();
      await watch.stop();
      const leaseRules = leaseRole.rules as (Rule & { resourceNames?: string[] })[];
      const denied = sandbox.requests.slice(from).filter((r) => {
        const attrs = attributesOf(r.method, r.path);
        // Discovery (/api/v1, /apis/apps/v1) is a non-resource URL every authenticated user may GET.
        if (!attrs || (attrs.resource as string | undefined) === undefined) return false;
        const verb = attrs.verb === 'list' && /(^|&)watch=(true|1)/.test(r.query) ? 'watch' : attrs.verb;
        if (allowed(attrs.group, attrs.resource, verb)) return false;
        const name = r.path.split('/')[7];
        const inDeckhand = r.path.includes('/namespaces/deckhand/');
        return !(inDeckhand && leaseRules.some((rule) => rule.apiGroups.includes(attrs.group) && rule.resources.includes(attrs.resource) && rule.verbs.includes(verb) && (!rule.resourceNames || rule.resourceNames.includes(name ?? ''))));
      });
      expect(denied.map((r) => `${r.method} ${r.path}?${r.query}`)).toEqual([]);
      expect(sandbox.requests.slice(from).some((r) => /watch=/.test(r.query))).toBe(true);
    } finally {
      await sandbox.close();
    }
  });

  it('the ClusterRole lets the watch list and watch what it holds', () => {
    for (const [group, resource] of [['', 'namespaces'], ['', 'pods'], ['apps', 'deployments'], ['apps', 'statefulsets'], ['apps', 'daemonsets'], ['batch', 'jobs']] as const) {
      expect(allowed(group, resource, 'list') && allowed(group, resource, 'watch'), `${group}/${resource}`).toBe(true);
    }
  });
});

describe('deploy/ Deployment and config', () => {
  const deployments = load('deployment.yaml');
  const deployment = deployments[0];
  const pod = deployment.spec.template.spec;
  const container = pod.containers[0];
  const envOf = (d: any): Record<string, string> => Object.fromEntries((d.spec.template.spec.containers[0].env as { name: string; value: string }[]).map((e) => [e.name, e.value]));
  const mebibytes = (q: string): number => Number(/^(\d+)Mi$/.exec(q)?.[1] ?? NaN);

  it('splits web and worker, more than one replica each, with a heap cap under the memory request', () => {
    expect(deployments.map((d) => envOf(d).DECKHAND_ROLES)).toEqual(['web', 'worker']);
    for (const d of deployments) {
      expect(d.spec.replicas).toBeGreaterThan(1);
      const heap = Number(/--max-old-space-size=(\d+)/.exec(envOf(d).NODE_OPTIONS ?? '')?.[1]);
      const memory = d.spec.template.spec.containers[0].resources;
      expect(heap).toBeGreaterThan(0);
      expect(mebibytes(memory.requests.memory)).toBeGreaterThan(heap);
      expect(mebibytes(memory.limits.memory)).toBeGreaterThanOrEqual(mebibytes(memory.requests.memory));
    }
    const service = load('service.yaml')[0];
    expect(service.spec.selector['app.kubernetes.io/component']).toBe('web');
  });

  it('runs non-root, read-only, without privilege escalation', () => {
    expect(deployments[1].spec.template.spec).toEqual({ ...pod, containers: [expect.objectContaining({ securityContext: container.securityContext, envFrom: container.envFrom })] });
    expect(pod.securityContext.runAsNonRoot).toBe(true);
    expect(container.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
    expect(pod.serviceAccountName).toBe('deckhand');
  });

  it('probes /healthz and /readyz on port 3000 and takes tokens from the Secret', () => {
    expect(container.ports).toContainEqual({ name: 'http', containerPort: 3000 });
    expect(container.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'http' });
    expect(container.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'http' });
    expect(container.envFrom).toEqual([{ secretRef: { name: 'deckhand-env' } }]);
  });

  it('ships a deckhand.yaml that the config schema accepts', () => {
    const configMap = load('configmap.yaml')[0];
    const parsed = FileConfig.safeParse(parseAllDocuments(configMap.data['deckhand.yaml'] as string)[0]!.toJSON());
    expect(parsed.success).toBe(true);
  });
});
