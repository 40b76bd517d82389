/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-explicit-any -- templates are wire JSON */
import { templateHash } from '../names.js';

/**
 * Canonical form for comparing pod templates: keys sorted; nulls, empty objects and empty
 * arrays dropped (kubectl re-serialises with Go zero values such as "creationTimestamp":null).
 */
export function canonical(value: unknown): unknown {
  if (Array.isArray(value)) {
    const items = value.map(canonical).filter((v) => v !== undefined);
    return items.length ? items : undefined;
  }
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = canonical((value as Record<string, unknown>)[key]);
      if (v !== undefined) out[key] = v;
    }
    return Object.keys(out).length ? out : undefined;
  }
  return value === null ? undefined : value;
}

const keys = new WeakMap<object, string>();

/** The template without the pod-template-hash label, canonical, as a string (cached per template object). */
export function templateKey(template: any): string {
  const cached = template && typeof template === 'object' ? keys.get(template) : undefined;
  if (cached !== undefined) return cached;
  const key = computeTemplateKey(template);
  if (template && typeof template === 'object') keys.set(template, key);
  return key;
}

function computeTemplateKey(template: any): string {
  const t = structuredClone(template ?? {});
  if (t.metadata?.labels) delete t.metadata.labels['pod-template-hash'];
  return JSON.stringify(canonical(t) ?? {});
}

export function hashOfTemplate(template: unknown): string {
  return templateHash(templateKey(template));
}

/** The deployment's template with the pod-template-hash label added, as its ReplicaSet stores it. */
export function withHashLabel(template: any, hash: string): any {
  const t = structuredClone(template);
  t.metadata = { ...(t.metadata ?? {}) };
  delete t.metadata.creationTimestamp;
  t.metadata.labels = { ...(t.metadata.labels ?? {}), 'pod-template-hash': hash };
  return t;
}
