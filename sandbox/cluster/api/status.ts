import type { ResourceInfo } from '../resources.js';

/** A Kubernetes `Status` failure with its HTTP code, thrown by handlers and rendered by the server. */
export class StatusError extends Error {
  readonly code: number;
  readonly reason: string;
  readonly details: Record<string, unknown> | undefined;
  /** ListMeta of the Status: a 410 for an expired continue token carries a fresh token here. */
  metadata: Record<string, unknown> = {};

  constructor(code: number, reason: string, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'StatusError';
    this.code = code;
    this.reason = reason;
    this.details = details;
  }

  toStatus() {
    return {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: this.metadata,
      status: 'Failure',
      message: this.message,
      reason: this.reason,
      ...(this.details ? { details: this.details } : {}),
      code: this.code,
    };
  }
}

/** "deployments.apps" / "pods": how the API server names a resource in messages. */
export function qualifiedName(info: ResourceInfo): string {
  return info.group ? `${info.plural}.${info.group}` : info.plural;
}

function detailsOf(info: ResourceInfo, name?: string) {
  return { ...(name !== undefined ? { name } : {}), ...(info.group ? { group: info.group } : {}), kind: info.plural };
}

export function notFound(info: ResourceInfo, name: string): StatusError {
  return new StatusError(404, 'NotFound', `${qualifiedName(info)} "${name}" not found`, detailsOf(info, name));
}

export function alreadyExists(info: ResourceInfo, name: string): StatusError {
  return new StatusError(409, 'AlreadyExists', `${qualifiedName(info)} "${name}" already exists`, detailsOf(info, name));
}

export function conflict(info: ResourceInfo, name: string): StatusError {
  return new StatusError(
    409,
    'Conflict',
    `Operation cannot be fulfilled on ${qualifiedName(info)} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
    detailsOf(info, name),
  );
}

/** 403 as the API server's authorisation filter writes it (a subresource is named `pods/log`). */
export function forbidden(info: { plural: string; group: string }, verb: string, name: string | undefined, namespace: string | undefined, user: string, subresource?: string): StatusError {
  const what = info.group ? `${info.plural}.${info.group}` : info.plural;
  const subject = name ? `${what} "${name}"` : what;
  const scope = namespace ? ` in the namespace "${namespace}"` : ' at the cluster scope';
  const resource = subresource ? `${info.plural}/${subresource}` : info.plural;
  return new StatusError(
    403,
    'Forbidden',
    `${subject} is forbidden: User "${user}" cannot ${verb} resource "${resource}" in API group "${info.group}"${scope}`,
    { ...(name ? { name } : {}), ...(info.group ? { group: info.group } : {}), kind: info.plural },
  );
}

export interface Cause {
  reason: string;
  message: string;
  field: string;
}

export function invalid(info: ResourceInfo, kind: string, name: string, causes: Cause[]): StatusError {
  const summary = causes.map((c) => `${c.field}: ${c.message}`).join(', ');
  const list = causes.length > 1 ? `[${summary}]` : summary;
  return new StatusError(422, 'Invalid', `${kind}.${info.group || 'core'} "${name}" is invalid: ${list}`.replace('.core "', ' "'), {
    ...detailsOf(info, name),
    kind,
    causes,
  });
}

export function badRequest(message: string): StatusError {
  return new StatusError(400, 'BadRequest', message);
}

export function methodNotAllowed(): StatusError {
  return new StatusError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
}

export function unsupportedMediaType(contentType: string): StatusError {
  return new StatusError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json (got "${contentType}")`);
}

/** 410 Expired, as for a resourceVersion older than the kept history. */
export function expired(message: string): StatusError {
  return new StatusError(410, 'Expired', message);
}

/** 504 for a resourceVersion newer than the store has seen (the watch cache's wording). */
export function tooLargeResourceVersion(requested: number, current: number): StatusError {
  return new StatusError(504, 'Timeout', `Timeout: Too large resource version: ${requested}, current: ${current}`, {
    causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }],
    retryAfterSeconds: 1,
  });
}
