import { AuthorizationV1Api, type KubeConfig, type RequestContext } from '@kubernetes/client-node';
import { PooledKubeConfig } from './agent-pool.js';
import { toKubeError } from './errors.js';

/** The Kubernetes identity a request runs as (Impersonate-User / Impersonate-Group); deckhand.yaml's `identities` map Slack people to these. */
export interface KubeIdentity {
  user: string;
  groups: string[];
}

/** What a SubjectAccessReview asks about: one verb on one resource (authorization.k8s.io/v1 ResourceAttributes). */
export interface ResourcePermission {
  verb: string;
  /** API group, '' for core. */
  group: string;
  resource: string;
  subresource?: string;
  namespace?: string;
  name?: string;
}

export type AccessVerdict = { allowed: true } | { allowed: false; missing: ResourcePermission };

const groupHeader = 'Impersonate-Group';

/**
 * The header name of the i-th group, in a casing of its own. client-node hands headers to
 * node-fetch as a plain object, one value per key; node-fetch merges keys case-insensitively
 * into one header with several values, which Node sends as repeated lines — the only form
 * the API server reads as several groups (a comma-joined value would be one group).
 */
function groupHeaderName(i: number): string {
  let bit = 0;
  return groupHeader.replace(/[a-z]/gi, (c) => {
    const upper = ((i >> bit++) & 1) === 1;
    return upper ? c.toUpperCase() : c.toLowerCase();
  });
}

/** A KubeConfig whose every request also carries Impersonate-User / Impersonate-Group (over its base's connections). */
class ImpersonatingKubeConfig extends PooledKubeConfig {
  constructor(
    base: KubeConfig,
    private readonly identity: KubeIdentity,
  ) {
    super(base instanceof PooledKubeConfig ? base.agents : undefined);
    this.loadFromOptions({ clusters: base.clusters, users: base.users, contexts: base.contexts, currentContext: base.currentContext });
  }

  override async applySecurityAuthentication(context: RequestContext): Promise<void> {
    await super.applySecurityAuthentication(context);
    context.setHeaderParam('Impersonate-User', this.identity.user);
    this.identity.groups.forEach((group, i) => {
      context.setHeaderParam(groupHeaderName(i), group);
    });
  }
}

/** `kc` acting as `identity`: the cluster authorises each request as that user and groups. */
export function impersonate(kc: KubeConfig, identity: KubeIdentity): KubeConfig {
  return new ImpersonatingKubeConfig(kc, identity);
}

/**
 * Asks the cluster (SubjectAccessReview, as Deckhand's own identity) whether `identity` may do
 * each of `permissions`; the first one refused is returned. Errors (Deckhand may not create
 * reviews, the cluster is down) throw an AppError.
 */
export async function reviewAccess(kc: KubeConfig, identity: KubeIdentity, permissions: ResourcePermission[], cluster: string): Promise<AccessVerdict> {
  const api = kc.makeApiClient(AuthorizationV1Api);
  for (const permission of permissions) {
    try {
      const review = await api.createSubjectAccessReview({
        body: { apiVersion: 'authorization.k8s.io/v1', kind: 'SubjectAccessReview', spec: { user: identity.user, groups: identity.groups, resourceAttributes: permission } },
      });
      if (review.status?.allowed !== true) return { allowed: false, missing: permission };
    } catch (err) {
      throw toKubeError(err, { verb: 'create', resource: 'subjectaccessreviews', cluster });
    }
  }
  return { allowed: true };
}

/** "delete pods in namespace shop" / "patch deployments/scale "web" in namespace shop". */
export function describePermission(p: ResourcePermission): string {
  const resource = `${p.resource}${p.subresource ? `/${p.subresource}` : ''}${p.group ? `.${p.group}` : ''}`;
  return `${p.verb} ${resource}${p.name ? ` "${p.name}"` : ''}${p.namespace ? ` in namespace ${p.namespace}` : ' (cluster-wide)'}`;
}
