import { ApiException } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { toKubeError } from '../../src/kube/errors.js';

const status = (code: number, reason: string, message: string) =>
  new ApiException<string>(code, `HTTP-Code: ${code}`, JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', code, reason, message }), {});

describe('toKubeError', () => {
  it('names the verb, resource and namespace a 403 lacks', () => {
    const err = toKubeError(
      status(403, 'Forbidden', 'pods "x" is forbidden: User "system:serviceaccount:deckhand:deckhand" cannot delete resource "pods" in API group "" in the namespace "shop"'),
      { verb: 'delete', resource: 'pods', namespace: 'shop', name: 'x', cluster: 'prod' },
    );
    expect(err).toMatchObject({ code: 'forbidden', retryable: false });
    expect(err.message).toMatch(/^cluster prod: the service account may not delete pods in namespace shop \(pods "x" is forbidden/);
  });

  it('names the impersonated person a 403 refused, when an action runs as the approver', () => {
    const err = toKubeError(
      status(403, 'Forbidden', 'deployments.apps "web" is forbidden: User "carol@example.com" cannot patch resource "deployments" in API group "apps" in the namespace "shop"'),
      { verb: 'patch', resource: 'deployments', namespace: 'shop', name: 'web' },
    );
    expect(err.message).toMatch(/^carol@example\.com may not patch deployments in namespace shop \(deployments\.apps "web" is forbidden/);
  });

  it('says "at cluster scope" for cluster-scoped resources', () => {
    expect(toKubeError(status(403, 'Forbidden', 'no'), { verb: 'patch', resource: 'nodes', name: 'n' }).message).toBe(
      'the service account may not patch nodes at cluster scope (no)',
    );
  });

  it('maps 404, 409, 422, 429 and 5xx', () => {
    const ctx = { verb: 'patch', resource: 'deployments', namespace: 'shop', name: 'web' };
    expect(toKubeError(status(404, 'NotFound', 'deployments.apps "web" not found'), ctx)).toMatchObject({ code: 'not_found', message: 'deployments "web" not found in namespace shop' });
    expect(toKubeError(status(409, 'Conflict', 'the object has been modified'), ctx)).toMatchObject({ code: 'conflict', retryable: true });
    expect(toKubeError(status(422, 'Invalid', 'spec.replicas: Invalid value: -1'), ctx)).toMatchObject({
      code: 'bad_request',
      retryable: false,
      message: 'the API server refused the change to deployments "web" as invalid (spec.replicas: Invalid value: -1)',
    });
    expect(toKubeError(status(429, 'TooManyRequests', 'slow down'), ctx)).toMatchObject({ code: 'rate_limited', retryable: true });
    expect(toKubeError(status(503, 'ServiceUnavailable', 'etcd'), ctx)).toMatchObject({ code: 'unavailable', retryable: true });
    expect(toKubeError(status(504, 'Timeout', 'slow'), ctx)).toMatchObject({ code: 'timeout', retryable: true });
  });

  it('treats refused connections as retryable unavailability', () => {
    const refused = Object.assign(new Error('request to http://127.0.0.1:1/version failed'), { name: 'FetchError', code: 'ECONNREFUSED' });
    expect(toKubeError(refused, { verb: 'get', resource: 'version' })).toMatchObject({ code: 'unavailable', retryable: true, message: 'cannot reach the API server (ECONNREFUSED)' });
  });

  it('keeps a body that is not JSON readable', () => {
    const err = toKubeError(new ApiException<string>(500, 'x', 'upstream connect error', {}), { verb: 'get', resource: 'pods', namespace: 'a' });
    expect(err.message).toBe('the API server failed on get pods (HTTP 500) (upstream connect error)');
  });
});
