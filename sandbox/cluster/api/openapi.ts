import { encodeMessage, type ProtoField } from '../proto/encode.js';
import { apiVersionOf, groupVersions, isAccessReview, isMetrics, resources, type ResourceInfo } from '../resources.js';
import { versionInfo } from './discovery.js';

/**
 * The OpenAPI the sandbox serves: only what kubectl reads from it. kubectl create/apply ask
 * /openapi/v3 (older kubectl: /openapi/v2, as protobuf) whether a kind's PATCH takes
 * `fieldValidation` and `dryRun`;
 * when it does, they validate on the server and skip their own schema checks. So each
 * document lists, per kind, the PATCH operation with its x-kubernetes-group-version-kind and
 * query parameters, and no schemas.
 */

/** "api/v1" or "apis/apps/v1": the keys of the /openapi/v3 index. */
export const openapiPathOf = (gv: { group: string; version: string }): string => (gv.group ? `apis/${gv.group}/${gv.version}` : `api/${gv.version}`);

// Metrics are read-only and access reviews create-only: neither has a PATCH.
const patchable = (r: ResourceInfo): boolean => !isMetrics(r) && !isAccessReview(r);
const served = (gv: { group: string; version: string }) => resources.filter((r) => r.group === gv.group && r.version === gv.version && patchable(r));

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

/**
 * What old kubectl (before /openapi/v3) is answered in when it asks for
 * application/com.github.proto-openapi.spec.v2@v1.0+protobuf: kube-openapi's handler sends the
 * bytes as octet-stream (the asked-for type does not parse as a media type in Go).
 */
export const openapiV2ProtobufType = 'application/octet-stream';

interface V2Operation {
  description: string;
  consumes: string[];
  produces: string[];
  operationId: string;
  parameters: { uniqueItems: boolean; type: string; description: string; name: string; in: 'query' }[];
  responses: { '200': { description: string } };
  'x-kubernetes-action': string;
  'x-kubernetes-group-version-kind': ReturnType<typeof gvkOf>;
}

/** Every served kind's PATCH operation, by path, as Swagger 2.0 spells it. */
function v2Operations(): [string, V2Operation][] {
  return resources
    .filter((x) => patchable(x) && groupVersions.some((g) => g.group === x.group && g.version === x.version))
    .map((r) => [
      patchPathOf(r),
      {
        description: `partially update the specified ${r.kind}`,
        consumes: ['application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json', 'application/apply-patch+yaml'],
        produces: ['application/json'],
        operationId: `patch${r.kind}`,
        parameters: patchQueryParameters.map((p) => ({ uniqueItems: true, type: p.name === 'force' ? 'boolean' : 'string', description: p.description, name: p.name, in: 'query' as const })),
        responses: { '200': { description: 'OK' } },
        'x-kubernetes-action': 'patch',
        'x-kubernetes-group-version-kind': gvkOf(r),
      },
    ]);
}

const info = { title: 'Kubernetes', version: versionInfo.gitVersion };

/** GET /openapi/v2 for a JSON Accept. */
export function openapiV2Json() {
  return { swagger: '2.0', info, paths: Object.fromEntries(v2Operations().map(([path, patch]) => [path, { patch }])), definitions: {} };
}

/**
 * GET /openapi/v2 as gnostic's openapi_v2.Document protobuf, the encoding kubectl before 1.27
 * reads (its --dry-run=server looks for the dryRun parameter here). Vendor extensions carry
 * their value as YAML text.
 */
export function openapiV2Protobuf(): Buffer {
  const yamlOf = (value: string | Record<string, string>): string =>
    typeof value === 'string' ? `${value}\n` : Object.entries(value).map(([k, v]) => `${k}: ${v === '' ? '""' : v}\n`).join('');
  const extension = (name: string, value: string | Record<string, string>): ProtoField => [13, 'message', [[1, 'string', name], [2, 'message', [[2, 'string', yamlOf(value)]]]]];
  const pathItems = v2Operations().map(([path, op]): ProtoField => {
    const parameters = op.parameters.map((p): ProtoField => {
      const query: ProtoField[] = [[2, 'string', p.in], [3, 'string', p.description], [4, 'string', p.name], [6, 'string', p.type], [20, 'bool', p.uniqueItems]];
      // ParametersItem.parameter → Parameter.non_body_parameter → NonBodyParameter.query_parameter_sub_schema
      return [8, 'message', [[1, 'message', [[2, 'message', [[3, 'message', query]]]]]]];
    });
    const operation: ProtoField[] = [
      [3, 'string', op.description],
      [5, 'string', op.operationId],
      ...op.produces.map((p): ProtoField => [6, 'string', p]),
      ...op.consumes.map((c): ProtoField => [7, 'string', c]),
      ...parameters,
      // Responses.response_code → NamedResponseValue{name, ResponseValue.response{description}}
      [9, 'message', [[1, 'message', [[1, 'string', '200'], [2, 'message', [[1, 'message', [[1, 'string', op.responses['200'].description]]]]]]]]],
      extension('x-kubernetes-action', op['x-kubernetes-action']),
      extension('x-kubernetes-group-version-kind', op['x-kubernetes-group-version-kind']),
    ];
    // Paths.path → NamedPathItem{name, value: PathItem{patch}}
    return [2, 'message', [[1, 'string', path], [2, 'message', [[8, 'message', operation]]]]];
  });
  return encodeMessage([
    [1, 'string', '2.0'],
    [2, 'message', [[1, 'string', info.title], [2, 'string', info.version]]],
    [8, 'message', pathItems],
  ]);
}
