/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-return, @typescript-eslint/no-explicit-any -- pod specs and LimitRanges are wire JSON */
import { parseQuantity } from '../quantity.js';
import type { ClusterContext } from './context.js';

const annotationKey = 'kubernetes.io/limit-ranger';

function containerItems(ctx: ClusterContext, namespace: string): any[] {
  return [...ctx.store.scan('limitranges', namespace)]
    .sort((a, b) => a.metadata.name.localeCompare(b.metadata.name))
    .flatMap((lr) => (lr.spec?.limits ?? []).filter((item: any) => item.type === 'Container'));
}

/**
 * Pod defaulting, then the LimitRanger plugin's mutation: requests default to the container's
 * own limits, then missing limits and requests take the LimitRanges' `default` and
 * `defaultRequest`. Returns the new spec and the `kubernetes.io/limit-ranger` annotation the
 * plugin leaves when it set something.
 */
export function applyLimitRangeDefaults(ctx: ClusterContext, namespace: string, spec: any): { spec: any; annotation?: string } {
  const next = structuredClone(spec ?? {});
  const items = containerItems(ctx, namespace);
  const notes: string[] = [];
  const apply = (containers: any[] | undefined, prefix: string) => {
    for (const c of containers ?? []) {
      const resources = { ...(c.resources ?? {}) };
      const limits: Record<string, unknown> = { ...(resources.limits ?? {}) };
      const requests: Record<string, unknown> = { ...(resources.requests ?? {}) };
      for (const [k, v] of Object.entries(limits)) if (requests[k] === undefined) requests[k] = v;
      const setRequests = new Set<string>();
      const setLimits = new Set<string>();
      for (const item of items) {
        for (const [k, v] of Object.entries(item.defaultRequest ?? {})) {
          if (requests[k] === undefined) {
            requests[k] = v;
            setRequests.add(k);
          }
        }
        for (const [k, v] of Object.entries(item.default ?? {})) {
          if (limits[k] === undefined) {
            limits[k] = v;
            setLimits.add(k);
          }
        }
      }
      if (Object.keys(limits).length) resources.limits = limits;
      if (Object.keys(requests).length) resources.requests = requests;
      if (Object.keys(resources).length) c.resources = resources;
      if (setRequests.size) notes.push(`${[...setRequests].sort().join(', ')} request for ${prefix} ${String(c.name)}`);
      if (setLimits.size) notes.push(`${[...setLimits].sort().join(', ')} limit for ${prefix} ${String(c.name)}`);
    }
  };
  apply(next.initContainers, 'init container');
  apply(next.containers, 'container');
  return { spec: next, ...(notes.length ? { annotation: `LimitRanger plugin set: ${notes.join('; ')}` } : {}) };
}

export const limitRangerAnnotation = annotationKey;

/** The LimitRanger plugin's validation: each Container item's min and max, in its words (several joined as an aggregate error). */
export function limitRangeViolation(ctx: ClusterContext, namespace: string, spec: any): string | undefined {
  const errors: string[] = [];
  const num = (q: unknown) => parseQuantity(q) ?? 0;
  for (const item of containerItems(ctx, namespace)) {
    for (const c of [...(spec?.initContainers ?? []), ...(spec?.containers ?? [])]) {
      const requests = c.resources?.requests ?? {};
      const limits = c.resources?.limits ?? {};
      for (const [k, min] of Object.entries<any>(item.min ?? {})) {
        if (requests[k] === undefined) errors.push(`minimum ${k} usage per Container is ${String(min)}.  No request is specified`);
        else if (num(requests[k]) < num(min)) errors.push(`minimum ${k} usage per Container is ${String(min)}, but request is ${String(requests[k])}`);
        else if (limits[k] !== undefined && num(limits[k]) < num(min)) errors.push(`minimum ${k} usage per Container is ${String(min)}, but limit is ${String(limits[k])}`);
      }
      for (const [k, max] of Object.entries<any>(item.max ?? {})) {
        if (limits[k] === undefined) errors.push(`maximum ${k} usage per Container is ${String(max)}.  No limit is specified`);
        else if (num(limits[k]) > num(max)) errors.push(`maximum ${k} usage per Container is ${String(max)}, but limit is ${String(limits[k])}`);
        else if (requests[k] !== undefined && num(requests[k]) > num(max)) errors.push(`maximum ${k} usage per Container is ${String(max)}, but request is ${String(requests[k])}`);
      }
    }
  }
  if (!errors.length) return undefined;
  return errors.length === 1 ? errors[0] : `[${errors.join(', ')}]`;
}
