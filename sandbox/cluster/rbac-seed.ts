import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import type { ObjectStore } from './store.js';
import { resources } from './resources.js';
import type { KubeObject } from './types.js';
import { formatTime } from './sim-clock.js';
import type { PolicyRule } from './api/rbac.js';

/**
 * The RBAC objects every sandbox starts with. Requests are authorised against these (and any
 * a test adds) exactly as a real API server's RBAC authoriser would:
 *
 * - `cluster-admin` bound to the group `system:masters` and the user `kubernetes-admin` (the `admin` kubeconfig user, which client-node impersonates without its groups);
 * - `view` and `edit`, the built-in user-facing roles (their core rules);
 * - `system:basic-user`: every authenticated user may ask what they may do (SelfSubject*Review);
 * - `deckhand` and `deckhand-impersonate`: Deckhand's least-privilege ClusterRoles, read from
 *   deploy/rbac.yaml, bound to the `deckhand` kubeconfig user (impersonate: the demo's people);
 * - `sandbox:deckhand-tests`: what the default `sandbox` user (the product's tests) may do —
 *   every verb on every kind but Secrets, the RBAC kinds and access reviews, and impersonating
 *   any user, group or service account (tests map approvers to identities of their choosing);
 * - the demo's people: `alice@example.com` and the group `sre` may `edit` in `shop`;
 *   `carol@example.com` may `view` in `shop` and patch only the `checkout` Deployment there.
 */

const rbacGroup = 'rbac.authorization.k8s.io';
const readVerbs = ['get', 'list', 'watch'];
const writeVerbs = ['create', 'delete', 'deletecollection', 'patch', 'update'];

/** The identities the demo maps its Slack people to. */
export const demoIdentities = { alice: { user: 'alice@example.com', groups: ['sre'] }, carol: { user: 'carol@example.com', groups: [] as string[] } } as const;

/**
 * The rules of a ClusterRole in deploy/rbac.yaml: Deckhand's own least-privilege role
 * (`deckhand`) and its `impersonate` role (`deckhand-impersonate`, the demo's people by
 * resourceNames) are read from the manifests an operator applies, so the sandbox enforces
 * exactly them.
 */
export function deployClusterRoleRules(name: string): PolicyRule[] {
  const docs = parseAllDocuments(readFileSync(new URL('../../deploy/rbac.yaml', import.meta.url), 'utf8')).map((d) => d.toJSON() as { kind?: string; metadata?: { name?: string }; rules?: PolicyRule[] });
  const role = docs.find((d) => d.kind === 'ClusterRole' && d.metadata?.name === name);
  if (!role?.rules) throw new Error(`deploy/rbac.yaml has no ClusterRole "${name}"`);
  return role.rules;
}

function testRules(): PolicyRule[] {
  const kinds = [...new Set(resources.filter((r) => r.plural !== 'secrets').flatMap((r) => [r.plural, ...(r.subresources ?? []).map((s) => `${r.plural}/${s.name}`)]))];
  return [
    { apiGroups: ['*'], resources: [...kinds, 'pods/eviction', 'namespaces/finalize'], verbs: ['*'] },
    { apiGroups: [''], resources: ['users', 'groups', 'serviceaccounts'], verbs: ['impersonate'] },
    { nonResourceURLs: ['*'], verbs: ['*'] },
  ];
}

const viewable = {
  core: ['pods', 'pods/log', 'pods/status', 'services', 'endpoints', 'configmaps', 'events', 'persistentvolumeclaims', 'serviceaccounts', 'resourcequotas', 'limitranges', 'replicationcontrollers'],
  apps: ['deployments', 'deployments/scale', 'replicasets', 'replicasets/scale', 'statefulsets', 'statefulsets/scale', 'daemonsets'],
};

const viewRules: PolicyRule[] = [
  { apiGroups: [''], resources: [...viewable.core, 'namespaces'], verbs: readVerbs },
  { apiGroups: ['apps'], resources: viewable.apps, verbs: readVerbs },
  { apiGroups: ['autoscaling'], resources: ['horizontalpodautoscalers'], verbs: readVerbs },
  { apiGroups: ['batch'], resources: ['jobs', 'cronjobs'], verbs: readVerbs },
  { apiGroups: ['policy'], resources: ['poddisruptionbudgets'], verbs: readVerbs },
  { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: readVerbs },
  { apiGroups: ['metrics.k8s.io'], resources: ['pods'], verbs: readVerbs },
];

const editRules: PolicyRule[] = [
  ...viewRules,
  { apiGroups: [''], resources: ['pods', 'pods/eviction', 'services', 'endpoints', 'configmaps', 'secrets', 'persistentvolumeclaims', 'serviceaccounts'], verbs: writeVerbs },
  { apiGroups: [''], resources: ['secrets'], verbs: readVerbs },
  { apiGroups: ['apps'], resources: ['deployments', 'deployments/scale', 'replicasets', 'replicasets/scale', 'statefulsets', 'statefulsets/scale', 'daemonsets'], verbs: writeVerbs },
  { apiGroups: ['autoscaling'], resources: ['horizontalpodautoscalers'], verbs: writeVerbs },
  { apiGroups: ['batch'], resources: ['jobs', 'cronjobs'], verbs: writeVerbs },
  { apiGroups: ['policy'], resources: ['poddisruptionbudgets'], verbs: writeVerbs },
];

const meta = (name: string, namespace?: string, labels?: Record<string, string>): KubeObject['metadata'] => ({
  name,
  ...(namespace ? { namespace } : {}),
  ...(labels ? { labels } : {}),
  uid: '',
  resourceVersion: '',
  creationTimestamp: '',
});

const clusterRole = (name: string, rules: PolicyRule[], labels: Record<string, string> = {}): { resource: string; object: KubeObject } => ({
  resource: 'clusterroles',
  object: { apiVersion: `${rbacGroup}/v1`, kind: 'ClusterRole', metadata: meta(name, undefined, { 'kubernetes.io/bootstrapping': 'rbac-defaults', ...labels }), rules },
});

type Subject = { kind: 'User' | 'Group'; name: string } | { kind: 'ServiceAccount'; name: string; namespace: string };

const subjectOf = (s: Subject) => (s.kind === 'ServiceAccount' ? s : { apiGroup: rbacGroup, ...s });

const binding = (name: string, role: { kind: 'ClusterRole' | 'Role'; name: string }, subjects: Subject[], namespace?: string): { resource: string; object: KubeObject } => ({
  resource: namespace ? 'rolebindings' : 'clusterrolebindings',
  object: {
    apiVersion: `${rbacGroup}/v1`,
    kind: namespace ? 'RoleBinding' : 'ClusterRoleBinding',
    metadata: meta(name, namespace),
    roleRef: { apiGroup: rbacGroup, ...role },
    subjects: subjects.map(subjectOf),
  },
});

/** The seeded RBAC objects (namespaced ones only for namespaces that exist). */
export function rbacSeedObjects(namespaces: Set<string>): { resource: string; object: KubeObject }[] {
  const cr = (name: string) => ({ kind: 'ClusterRole' as const, name });
  const objects = [
    clusterRole('cluster-admin', [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }, { nonResourceURLs: ['*'], verbs: ['*'] }]),
    clusterRole('view', viewRules, { 'rbac.authorization.k8s.io/aggregate-to-edit': 'true' }),
    clusterRole('edit', editRules, { 'rbac.authorization.k8s.io/aggregate-to-admin': 'true' }),
    clusterRole('system:basic-user', [{ apiGroups: ['authorization.k8s.io'], resources: ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'], verbs: ['create'] }]),
    clusterRole('deckhand', deployClusterRoleRules('deckhand')),
    clusterRole('deckhand-impersonate', deployClusterRoleRules('deckhand-impersonate')),
    clusterRole('sandbox:deckhand-tests', testRules()),
    binding('cluster-admin', cr('cluster-admin'), [{ kind: 'Group', name: 'system:masters' }, { kind: 'User', name: 'kubernetes-admin' }]),
    binding('system:basic-user', cr('system:basic-user'), [{ kind: 'Group', name: 'system:authenticated' }]),
    binding('deckhand', cr('deckhand'), [{ kind: 'ServiceAccount', name: 'deckhand', namespace: 'deckhand-system' }]),
    binding('deckhand-impersonate', cr('deckhand-impersonate'), [{ kind: 'ServiceAccount', name: 'deckhand', namespace: 'deckhand-system' }]),
    binding('sandbox:deckhand-tests', cr('sandbox:deckhand-tests'), [{ kind: 'ServiceAccount', name: 'deckhand', namespace: 'deckhand' }]),
  ];
  if (namespaces.has('shop')) {
    objects.push(
      binding('sre-edit', cr('edit'), [{ kind: 'Group', name: 'sre' }], 'shop'),
      binding('alice-edit', cr('edit'), [{ kind: 'User', name: demoIdentities.alice.user }], 'shop'),
      binding('carol-view', cr('view'), [{ kind: 'User', name: demoIdentities.carol.user }], 'shop'),
      {
        resource: 'roles',
        object: {
          apiVersion: `${rbacGroup}/v1`,
          kind: 'Role',
          metadata: meta('checkout-operator', 'shop'),
          rules: [{ apiGroups: ['apps'], resources: ['deployments'], resourceNames: ['checkout'], verbs: ['get', 'patch'] }],
        },
      },
      binding('carol-checkout-operator', { kind: 'Role', name: 'checkout-operator' }, [{ kind: 'User', name: demoIdentities.carol.user }], 'shop'),
    );
  }
  return objects;
}

/** Stores the seeded RBAC objects (after the scenarios, so the demo's namespace exists). */
export function seedRbac(store: ObjectStore, createdAt: number): void {
  const namespaces = new Set(store.list('namespaces').map((n) => n.metadata.name));
  for (const { resource, object } of rbacSeedObjects(namespaces)) {
    store.create(resource, { ...object, metadata: { ...object.metadata, uid: '', resourceVersion: '', creationTimestamp: formatTime(createdAt) } });
  }
}
