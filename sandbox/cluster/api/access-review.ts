/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-explicit-any -- access reviews are Kubernetes wire JSON */
import type { ObjectStore } from '../store.js';
import type { ResourceInfo } from '../resources.js';
import { authorize, resourceRulesOf, rulesFor, type UserInfo } from './rbac.js';
import { StatusError, badRequest, invalid, methodNotAllowed } from './status.js';

/**
 * authorization.k8s.io/v1: the questions `kubectl auth can-i` and Deckhand's approval checks
 * ask. A review is answered from the same RBAC objects requests are authorised against, and
 * is never stored (the API server echoes it with `status` filled in).
 */

interface ReviewRequest {
  info: ResourceInfo;
  method: string;
  namespace: string | undefined;
  body: any;
  /** The identity the request runs as (after impersonation): the subject of self reviews. */
  requester: UserInfo;
}

function statusOf(store: ObjectStore, user: UserInfo, spec: any): { allowed: boolean; reason?: string } {
  const ra = spec?.resourceAttributes;
  if (!ra) {
    // Non-resource URLs (/healthz, /version, /api…) are open to every authenticated user here.
    return spec?.nonResourceAttributes ? { allowed: true, reason: 'RBAC: allowed by ClusterRoleBinding "system:discovery" of ClusterRole "system:discovery" to Group "system:authenticated"' } : { allowed: false };
  }
  const decision = authorize(store, user, {
    verb: String(ra.verb ?? ''),
    group: String(ra.group ?? ''),
    resource: String(ra.resource ?? ''),
    subresource: ra.subresource ? String(ra.subresource) : undefined,
    name: ra.name ? String(ra.name) : undefined,
    namespace: ra.namespace ? String(ra.namespace) : undefined,
  });
  return decision.reason ? { allowed: decision.allowed, reason: decision.reason } : { allowed: decision.allowed };
}

/** Answers a POST to one of the access-review resources. */
export function answerAccessReview(store: ObjectStore, r: ReviewRequest): unknown {
  if (r.method !== 'POST') throw methodNotAllowed();
  const body = r.body ?? {};
  if (typeof body !== 'object' || Array.isArray(body)) throw badRequest('the body of the request was not an object');
  const kind = r.info.kind;
  const echo = (spec: any, status: unknown) => ({ kind, apiVersion: 'authorization.k8s.io/v1', metadata: { creationTimestamp: null, ...(r.namespace ? { namespace: r.namespace } : {}) }, spec, status });
  const spec = body.spec ?? {};
  switch (r.info.plural) {
    case 'subjectaccessreviews':
    case 'localsubjectaccessreviews': {
      const user = String(spec.user ?? '');
      const groups: string[] = Array.isArray(spec.groups) ? spec.groups.map(String) : [];
      if (!user && groups.length === 0) {
        throw invalid(r.info, kind, '', [{ reason: 'FieldValueRequired', message: 'Required value: at least one of user or group must be specified', field: 'spec.user' }]);
      }
      if (r.info.plural === 'localsubjectaccessreviews') {
        const ns = spec.resourceAttributes?.namespace;
        if (ns !== r.namespace) {
          throw invalid(r.info, kind, '', [{ reason: 'FieldValueInvalid', message: `Invalid value: "${String(ns ?? '')}": must match metadata.namespace`, field: 'spec.resourceAttributes.namespace' }]);
        }
      }
      return echo(spec, statusOf(store, { username: user, groups }, spec));
    }
    case 'selfsubjectaccessreviews':
      return echo(spec, statusOf(store, r.requester, spec));
    case 'selfsubjectrulesreviews': {
      const namespace = spec.namespace ? String(spec.namespace) : undefined;
      const { rules } = rulesFor(store, r.requester, namespace);
      const { resource, nonResource } = resourceRulesOf(rules);
      return echo(spec, { resourceRules: resource, nonResourceRules: nonResource, incomplete: false });
    }
    default:
      throw new StatusError(404, 'NotFound', 'the server could not find the requested resource');
  }
}
