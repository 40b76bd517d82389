/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-unsafe-assignment -- RBAC objects are Kubernetes wire JSON */
import type { ObjectStore } from '../store.js';
import type { KubeObject } from '../types.js';

/**
 * The RBAC authoriser, as kube-apiserver's (plugin/pkg/auth/authorizer/rbac): every
 * ClusterRoleBinding, then the RoleBindings of the request's namespace, are visited for rules
 * that apply to the user; the first rule that allows the request ends the walk. RBAC never
 * denies: no matching rule is "no opinion", which the API server turns into 403.
 */

export interface UserInfo {
  username: string;
  groups: string[];
}

/** A resource request's attributes (what the API server's RequestInfo yields). */
export interface ResourceAttributes {
  verb: string;
  /** API group, "" for core. */
  group: string;
  resource: string;
  subresource?: string | undefined;
  name?: string | undefined;
  namespace?: string | undefined;
}

export interface Decision {
  allowed: boolean;
  /** `RBAC: allowed by …` when allowed; errors met on the way (a missing role) when not. */
  reason: string;
}

interface PolicyRule {
  verbs?: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

interface Subject {
  kind: string;
  name: string;
  namespace?: string;
}

const has = (list: string[] | undefined, value: string): boolean => (list ?? []).some((v) => v === '*' || v === value);

// RuleAllows: verb, group, resource (a `*/<subresource>` rule matches any resource's) and resourceNames must all match.
export function ruleAllows(rule: PolicyRule, a: ResourceAttributes): boolean {
  if (!rule.resources || rule.resources.length === 0) return false;
  const combined = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  const resourceMatches = rule.resources.some((r) => r === '*' || r === combined || (a.subresource !== undefined && r === `*/${a.subresource}`));
  const names = rule.resourceNames ?? [];
  const nameMatches = names.length === 0 || (a.name !== undefined && names.includes(a.name));
  return has(rule.verbs, a.verb) && has(rule.apiGroups, a.group) && resourceMatches && nameMatches;
}

function describeSubject(s: Subject, bindingNamespace: string): string {
  if (s.kind === 'ServiceAccount') return `${s.kind} "${s.name}/${s.namespace || bindingNamespace}"`;
  return `${s.kind} "${s.name}"`;
}

/** The index of the first subject of a binding that is this user, or -1 (rbac's appliesTo). */
function subjectIndex(user: UserInfo, subjects: Subject[] | undefined, bindingNamespace: string): number {
  return (subjects ?? []).findIndex((s) => {
    if (s.kind === 'User') return s.name === user.username;
    if (s.kind === 'Group') return user.groups.includes(s.name);
    if (s.kind === 'ServiceAccount') return user.username === `system:serviceaccount:${s.namespace || bindingNamespace}:${s.name}`;
    return false;
  });
}

/** The rules a binding's roleRef points at, or the API server's error when the role is missing. */
function rulesOf(store: ObjectStore, binding: KubeObject, namespace: string | undefined): { rules: PolicyRule[] } | { error: string } {
  const ref = binding.roleRef ?? {};
  if (ref.kind === 'ClusterRole') {
    const role = store.get('clusterroles', undefined, String(ref.name));
    return role ? { rules: (role.rules as PolicyRule[] | undefined) ?? [] } : { error: `clusterrole.rbac.authorization.k8s.io "${String(ref.name)}" not found` };
  }
  const role = namespace ? store.get('roles', namespace, String(ref.name)) : undefined;
  return role ? { rules: (role.rules as PolicyRule[] | undefined) ?? [] } : { error: `role.rbac.authorization.k8s.io "${String(ref.name)}" not found` };
}

interface VisitedRule {
  rule: PolicyRule;
  source: string;
}

/** Every rule that applies to `user` in `namespace` (cluster-wide ones first), and the errors met. */
export function rulesFor(store: ObjectStore, user: UserInfo, namespace: string | undefined): { rules: VisitedRule[]; errors: string[] } {
  const rules: VisitedRule[] = [];
  const errors: string[] = [];
  for (const b of store.scan('clusterrolebindings')) {
    const i = subjectIndex(user, b.subjects, '');
    if (i < 0) continue;
    const found = rulesOf(store, b, undefined);
    if ('error' in found) {
      errors.push(found.error);
      continue;
    }
    const source = `ClusterRoleBinding "${b.metadata.name}" of ${String(b.roleRef?.kind)} "${String(b.roleRef?.name)}" to ${describeSubject(b.subjects[i], '')}`;
    rules.push(...found.rules.map((rule) => ({ rule, source })));
  }
  if (namespace) {
    for (const b of store.scan('rolebindings', namespace)) {
      const i = subjectIndex(user, b.subjects, namespace);
      if (i < 0) continue;
      const found = rulesOf(store, b, namespace);
      if ('error' in found) {
        errors.push(found.error);
        continue;
      }
      const source = `RoleBinding "${b.metadata.name}/${namespace}" of ${String(b.roleRef?.kind)} "${String(b.roleRef?.name)}" to ${describeSubject(b.subjects[i], namespace)}`;
      rules.push(...found.rules.map((rule) => ({ rule, source })));
    }
  }
  return { rules, errors };
}

/** Authorises one resource request for `user` against the stored RBAC objects. */
export function authorize(store: ObjectStore, user: UserInfo, a: ResourceAttributes): Decision {
  const { rules, errors } = rulesFor(store, user, a.namespace);
  const hit = rules.find((r) => ruleAllows(r.rule, a));
  if (hit) return { allowed: true, reason: `RBAC: allowed by ${hit.source}` };
  return { allowed: false, reason: errors.length > 0 ? `RBAC: ${errors.length > 1 ? `[${errors.join(', ')}]` : errors[0]}` : '' };
}

/** The verb of a request, as the API server's RequestInfo derives it. */
export function verbOfRequest(method: string, hasName: boolean, watch: boolean): string {
  switch (method) {
    case 'GET':
    case 'HEAD':
      return watch ? 'watch' : hasName ? 'get' : 'list';
    case 'POST':
      return 'create';
    case 'PUT':
      return 'update';
    case 'PATCH':
      return 'patch';
    case 'DELETE':
      return hasName ? 'delete' : 'deletecollection';
    default:
      return method.toLowerCase();
  }
}

/** Rules a ResourceRule list shows for SelfSubjectRulesReview. */
export function resourceRulesOf(rules: VisitedRule[]): { resource: PolicyRule[]; nonResource: PolicyRule[] } {
  const resource: PolicyRule[] = [];
  const nonResource: PolicyRule[] = [];
  for (const { rule } of rules) {
    if (rule.nonResourceURLs?.length) nonResource.push({ verbs: rule.verbs ?? [], nonResourceURLs: rule.nonResourceURLs });
    if (rule.resources?.length) {
      resource.push({ verbs: rule.verbs ?? [], apiGroups: rule.apiGroups ?? [], resources: rule.resources, ...(rule.resourceNames?.length ? { resourceNames: rule.resourceNames } : {}) });
    }
  }
  return { resource, nonResource };
}

export type { PolicyRule, Subject };
