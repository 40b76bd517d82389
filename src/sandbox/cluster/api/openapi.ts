import { apiVersionOf, groupVersions, isMetrics, resources, type ResourceInfo } from '../resources.js';
import { versionInfo } from './discovery.js';

/**
 * The OpenAPI the sandbox serves: only what kubectl reads from it. kubectl create/apply ask
 * /openapi/v3 (then /openapi/v2) whether a kind's PATCH takes `fieldValidation` and `dryRun`;
 * when it does, they validate on the server and skip their own schema checks. So each
 * document lists, per kind, the PATCH operation with its x-kubernetes-group-version-kind and
 * query parameters, and no schemas.
 */

/** "api/v1" or "apis/apps/v1": the keys of the /openapi/v3 index. */
export const openapiPathOf = (gv: { group: string; version: string }): string => (gv.group ? `apis/${gv.group}/${gv.version}` : `api/${gv.version}`);

const served = (gv: { group: string; version: string }) => resources.filter((r) => r.group === gv.group && r.version === gv.version && !isMetrics(r));

/** The object path a PATCH goes to, as the API server's OpenAPI spells it. */
export function patchPathOf(r: ResourceInfo): string {
  return `/${openapiPathOf(r)}/${r.namespaced ? 'namespaces/{namespace}/' : ''}${r.plural}/{name}`;
}

/** The PATCH query parameters of every built-in kind, in the API server's order. */
export const patchQueryParameters = [
  { name: 'dryRun', description: 'When present, indicates that modifications should not be persisted. An invalid or unrecognized dryRun directive will result in an error response and no further processing of the request. Valid values are: - All: all dry run stages will be processed' },
  { name: 'fieldManager', description: 'fieldManager is a name associated with the actor or entity that is making these changes.' },
  { name: 'fieldValidation', description: 'fieldValidation instructs the server on how to handle objects in the request (POST/PUT/PATCH) containing unknown or duplicate fields.' },
  { name: 'force', description: 'Force is going to "force" Apply requests.' },
] as const;

export const gvkOf = (r: ResourceInfo) => ({ group: r.group, kind: r.kind, version: r.version });

/** GET /openapi/v3: one entry per group version, pointing at its document. */
export function openapiV3Index() {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const gv of groupVersions) {
    if (isMetrics(gv) || served(gv).length === 0) continue;
    const key = openapiPathOf(gv);
    paths[key] = { serverRelativeURL: `/openapi/v3/${key}?hash=${versionInfo.gitCommit.slice(0, 16)}${apiVersionOf(gv).length}` };
  }
  return { paths };
}

/** GET /openapi/v3/api/v1, /openapi/v3/apis/<group>/<version>; undefined for anything else. */
export function openapiV3Document(path: string) {
  const gv = groupVersions.find((g) => `/openapi/v3/${openapiPathOf(g)}` === path && !isMetrics(g));
  if (!gv) return undefined;
  const paths: Record<string, unknown> = {};
  for (const r of served(gv)) {
    paths[patchPathOf(r)] = {
      patch: {
        description: `partially update the specified ${r.kind}`,
        operationId: `patch${r.kind}`,
        parameters: patchQueryParameters.map((p) => ({ name: p.name, in: 'query', description: p.description, schema: p.name === 'force' ? { type: 'boolean', uniqueItems: true } : { type: 'string', uniqueItems: true } })),
        responses: { '200': { description: 'OK' } },
        'x-kubernetes-action': 'patch',
        'x-kubernetes-group-version-kind': gvkOf(r),
      },
    };
  }
  return { openapi: '3.0.0', info: { title: 'Kubernetes', version: versionInfo.gitVersion }, paths, components: { schemas: {} } };
}
