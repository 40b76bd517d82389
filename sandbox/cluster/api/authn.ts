import type { IncomingMessage } from 'node:http';
import { tokenUsers, sandboxToken } from '../kubeconfig.js';
import type { ObjectStore } from '../store.js';
import { authorize, type UserInfo } from './rbac.js';
import { StatusError, badRequest, forbidden } from './status.js';

/** Who asked, and (when the request impersonated) who the request runs as. */
export interface RequestIdentity {
  /** The authenticated user: the bearer token's. */
  user: UserInfo;
  /** The impersonated user, when the request carried Impersonate-User. */
  impersonatedUser?: UserInfo;
}

/** The identity a request's authorisation uses: the impersonated user if any, else the authenticated one. */
export const effectiveUser = (id: RequestIdentity): UserInfo => id.impersonatedUser ?? id.user;

const serviceAccountPattern = /^system:serviceaccount:([^:]+):([^:]+)$/;

function unauthorized(): StatusError {
  return new StatusError(401, 'Unauthorized', 'Unauthorized');
}

/**
 * Authenticates by bearer token. kubectl sends no token over plain http (client-go reads the
 * user's credentials only for https), so a request without one is the default `sandbox` user;
 * an unknown token is 401, as on a real API server.
 */
function authenticate(req: IncomingMessage): UserInfo {
  const header = req.headers.authorization;
  if (header === undefined) return cloneUser(tokenUsers[sandboxToken]);
  const token = /^Bearer\s+(.+)$/i.exec(header)?.[1]?.trim();
  const user = token === undefined ? undefined : tokenUsers[token];
  if (!user) throw unauthorized();
  return cloneUser(user);
}

function cloneUser(user: UserInfo | undefined): UserInfo {
  if (!user) throw unauthorized();
  return { username: user.username, groups: [...user.groups] };
}

/**
 * Authenticates the request, then applies Impersonate-User / Impersonate-Group as the API
 * server's impersonation filter does: each impersonated user, service account and group needs
 * the `impersonate` verb on `users`, `serviceaccounts` (in its namespace) or `groups`, with
 * resourceNames honoured; a refusal is the 403 of that check. Groups without a user are 400.
 */
export function identify(req: IncomingMessage, store: ObjectStore): RequestIdentity {
  const user = authenticate(req);
  const asUser = req.headersDistinct['impersonate-user']?.[0];
  const asGroups = (req.headersDistinct['impersonate-group'] ?? []).filter((g) => g !== '');
  if (asUser === undefined || asUser === '') {
    if (asGroups.length > 0) throw badRequest(`requested [${asGroups.map((g) => `{Group  groups  ${g}  authentication.k8s.io/v1  }`).join(' ')}] without impersonating a user`);
    return { user };
  }
  const check = (resource: string, name: string, namespace?: string): void => {
    const decision = authorize(store, user, { verb: 'impersonate', group: '', resource, name, namespace });
    if (!decision.allowed) throw forbidden({ plural: resource, group: '' }, 'impersonate', name, namespace, user.username);
  };
  const sa = serviceAccountPattern.exec(asUser);
  const groups: string[] = [];
  if (sa?.[1] && sa[2]) {
    check('serviceaccounts', sa[2], sa[1]);
    groups.push('system:serviceaccounts', `system:serviceaccounts:${sa[1]}`);
  } else {
    check('users', asUser);
  }
  for (const g of asGroups) {
    check('groups', g);
    if (!groups.includes(g)) groups.push(g);
  }
  if (asUser !== 'system:anonymous' && !groups.includes('system:authenticated')) groups.push('system:authenticated');
  return { user, impersonatedUser: { username: asUser, groups } };
}
