import { apiVersionOf, groupVersions, resources, type ResourceInfo } from '../resources.js';

export const aggregatedContentType = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';

export const versionInfo = {
  major: '1',
  minor: '32',
  gitVersion: 'v1.32.4',
  gitCommit: '59526cd4867447956156ae3a602fcbac10a2c335',
  gitTreeState: 'clean',
  buildDate: '2025-04-22T16:03:21Z',
  goVersion: 'go1.23.6',
  compiler: 'gc',
  platform: 'linux/amd64',
};

function aggregatedResource(r: ResourceInfo) {
  return {
    resource: r.plural,
    responseKind: { group: r.group, version: r.version, kind: r.kind },
    scope: r.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: r.singular,
    verbs: r.verbs,
    ...(r.shortNames ? { shortNames: r.shortNames } : {}),
    ...(r.categories ? { categories: r.categories } : {}),
    ...(r.subresources
      ? {
          subresources: r.subresources.map((s) => ({
            subresource: s.name,
            responseKind: { group: s.group, version: s.version, kind: s.kind },
            verbs: s.verbs,
          })),
        }
      : {}),
  };
}

/** /api (core only) or /apis (every named group) as an APIGroupDiscoveryList. */
export function aggregatedDiscovery(core: boolean) {
  const groups = [...new Set(groupVersions.filter((gv) => (gv.group === '') === core).map((gv) => gv.group))];
  return {
    kind: 'APIGroupDiscoveryList',
    apiVersion: 'apidiscovery.k8s.io/v2',
    metadata: {},
    items: groups.map((group) => ({
      metadata: group ? { name: group, creationTimestamp: null } : { creationTimestamp: null },
      versions: groupVersions
        .filter((gv) => gv.group === group)
        .map((gv) => ({
          version: gv.version,
          resources: resources.filter((r) => r.group === group && r.version === gv.version).map(aggregatedResource),
          freshness: 'Current',
        })),
    })),
  };
}

export function legacyApiVersions(serverAddress: string) {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }] };
}

export function legacyGroupList() {
  const groups = [...new Set(groupVersions.filter((gv) => gv.group !== '').map((gv) => gv.group))];
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: groups.map((name) => {
      const versions = groupVersions
        .filter((gv) => gv.group === name)
        .map((gv) => ({ groupVersion: apiVersionOf(gv), version: gv.version }));
      return { name, versions, preferredVersion: versions[0] };
    }),
  };
}

export function legacyGroup(name: string) {
  const list = legacyGroupList().groups.find((g) => g.name === name);
  return list ? { kind: 'APIGroup', apiVersion: 'v1', ...list } : undefined;
}

/** APIResourceList of one group version (read by client-node's KubernetesObjectApi). */
export function resourceList(group: string, version: string) {
  if (!groupVersions.some((gv) => gv.group === group && gv.version === version)) return undefined;
  const list = resources.filter((r) => r.group === group && r.version === version);
  const entries = list.flatMap((r) => [
    {
      name: r.plural,
      singularName: r.singular,
      namespaced: r.namespaced,
      kind: r.kind,
      verbs: r.verbs,
      ...(r.shortNames ? { shortNames: r.shortNames } : {}),
      ...(r.categories ? { categories: r.categories } : {}),
    },
    ...(r.subresources ?? []).map((s) => ({
      name: `${r.plural}/${s.name}`,
      singularName: '',
      namespaced: r.namespaced,
      ...(s.group !== group || s.version !== version ? { group: s.group, version: s.version } : {}),
      kind: s.kind,
      verbs: s.verbs,
    })),
  ]);
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: apiVersionOf({ group, version }), resources: entries };
}
