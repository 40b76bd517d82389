/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-explicit-any -- the simulated API handles Kubernetes wire JSON, whose shapes vary by kind */
import { parseQuantity } from '../quantity.js';
import type { ResourceInfo } from '../resources.js';
import type { KubeObject } from '../types.js';
import { parseLabelSelector } from './selectors.js';
import { invalid, type Cause } from './status.js';

const workloads = new Set(['deployments', 'replicasets', 'statefulsets', 'daemonsets']);

function validateContainers(containers: any[], prefix: string, causes: Cause[]): void {
  if (!Array.isArray(containers) || containers.length === 0) {
    causes.push({ reason: 'FieldValueRequired', message: 'Required value', field: prefix });
    return;
  }
  containers.forEach((c, i) => {
    const at = `${prefix}[${i}]`;
    if (!c?.name) causes.push({ reason: 'FieldValueRequired', message: 'Required value', field: `${at}.name` });
    if (!c?.image) causes.push({ reason: 'FieldValueRequired', message: 'Required value', field: `${at}.image` });
    for (const kind of ['limits', 'requests'] as const) {
      for (const [res, value] of Object.entries(c?.resources?.[kind] ?? {})) {
        if (parseQuantity(value) === undefined || (parseQuantity(value) ?? 0) < 0) {
          causes.push({ reason: 'FieldValueInvalid', message: `Invalid value: "${String(value)}": must be a valid quantity`, field: `${at}.resources.${kind}[${res}]` });
        }
      }
    }
    for (const [res, value] of Object.entries(c?.resources?.requests ?? {})) {
      const limit = c?.resources?.limits?.[res];
      const r = parseQuantity(value);
      const l = parseQuantity(limit);
      if (r !== undefined && l !== undefined && r > l) {
        causes.push({ reason: 'FieldValueInvalid', message: `Invalid value: "${String(value)}": must be less than or equal to ${res} limit of ${String(limit)}`, field: `${at}.resources.requests` });
      }
    }
  });
}

/** Validates an object about to be stored; throws a 422 Invalid Status listing every cause. */
export function validateObject(info: ResourceInfo, next: KubeObject, previous: KubeObject | undefined): void {
  const causes: Cause[] = [];
  if (previous) {
    if (next.metadata?.name !== previous.metadata.name) causes.push({ reason: 'FieldValueInvalid', message: `Invalid value: "${next.metadata?.name}": field is immutable`, field: 'metadata.name' });
    if (next.metadata?.uid && next.metadata.uid !== previous.metadata.uid) causes.push({ reason: 'FieldValueInvalid', message: `Invalid value: "${next.metadata.uid}": field is immutable`, field: 'metadata.uid' });
  }
  if (workloads.has(info.plural)) {
    const replicas = next.spec?.replicas;
    if (replicas !== undefined && (!Number.isInteger(replicas) || replicas < 0)) {
      causes.push({ reason: 'FieldValueInvalid', message: `Invalid value: ${JSON.stringify(replicas)}: must be greater than or equal to 0`, field: 'spec.replicas' });
    }
    validateContainers(next.spec?.template?.spec?.containers, 'spec.template.spec.containers', causes);
    const labels = next.spec?.template?.metadata?.labels ?? {};
    const matchLabels = next.spec?.selector?.matchLabels ?? {};
    if (!parseLabelSelector(Object.entries(matchLabels).map(([k, v]) => `${k}=${String(v)}`).join(','))({ metadata: { labels } } as KubeObject) || Object.keys(matchLabels).length === 0) {
      causes.push({ reason: 'FieldValueInvalid', message: `Invalid value: ${JSON.stringify(labels)}: \`selector\` does not match template \`labels\``, field: 'spec.template.metadata.labels' });
    }
    if (previous && JSON.stringify(next.spec?.selector) !== JSON.stringify(previous.spec?.selector)) {
      causes.push({ reason: 'FieldValueInvalid', message: `Invalid value: ${JSON.stringify(next.spec?.selector)}: field is immutable`, field: 'spec.selector' });
    }
  }
  if (info.plural === 'pods' && previous && JSON.stringify(stripMutablePodSpec(next.spec)) !== JSON.stringify(stripMutablePodSpec(previous.spec))) {
    causes.push({ reason: 'FieldValueForbidden', message: 'Forbidden: pod updates may not change fields other than `spec.containers[*].image`, `spec.initContainers[*].image`, `spec.activeDeadlineSeconds`, `spec.tolerations` (only additions to existing tolerations), `spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)', field: 'spec' });
  }
  if (causes.length) throw invalid(info, next.kind ?? info.kind, next.metadata?.name ?? '', causes);
}

function stripMutablePodSpec(spec: any): any {
  const s = structuredClone(spec ?? {});
  for (const c of s.containers ?? []) delete c.image;
  delete s.activeDeadlineSeconds;
  delete s.tolerations;
  return s;
}
