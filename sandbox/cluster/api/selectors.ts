import type { KubeObject } from '../types.js';
import { badRequest } from './status.js';

export type Selector = (object: KubeObject) => boolean;

const matchAll: Selector = () => true;

/** Splits on commas that are not inside parentheses ("a in (x,y),b=c"). */
function splitTerms(input: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of input) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      out.push(current);
      current = '';
    } else current += ch;
  }
  out.push(current);
  return out.map((t) => t.trim()).filter((t) => t !== '');
}

/** Label selectors: k=v, k==v, k!=v, k in (a,b), k notin (a,b), k, !k. */
export function parseLabelSelector(input: string | null | undefined): Selector {
  if (!input) return matchAll;
  const tests = splitTerms(input).map((term): ((labels: Record<string, string>) => boolean) => {
    let m = /^([^\s!=]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(term);
    if (m?.[1] && m[2] && m[3] !== undefined) {
      const key = m[1];
      const values = m[3].split(',').map((v) => v.trim());
      return m[2] === 'in' ? (l) => l[key] !== undefined && values.includes(l[key]) : (l) => l[key] === undefined || !values.includes(l[key]);
    }
    m = /^([^\s!=]+)\s*(==|=|!=)\s*([^\s]*)$/.exec(term);
    if (m?.[1] && m[2]) {
      const [key, op, value = ''] = [m[1], m[2], m[3]];
      return op === '!=' ? (l) => l[key] !== value : (l) => l[key] === value;
    }
    m = /^(!?)([^\s!=(),]+)$/.exec(term);
    if (m?.[2]) {
      const key = m[2];
      return m[1] ? (l) => l[key] === undefined : (l) => l[key] !== undefined;
    }
    throw badRequest(`unable to parse requirement: found '${term}', expected: in, notin, =, ==, !=, gt, lt`);
  });
  return (o) => tests.every((t) => t(o.metadata.labels ?? {}));
}

/** Reads a dotted field path ("involvedObject.uid", "spec.nodeName") as a string. */
export function fieldValue(object: unknown, path: string): string {
  let cur: unknown = object;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return '';
    cur = (cur as Record<string, unknown>)[part];
  }
  if (cur === undefined || cur === null) return '';
  return typeof cur === 'string' ? cur : JSON.stringify(cur);
}

/** Field selectors: terms in any order, with =, == and !=. */
export function parseFieldSelector(input: string | null | undefined): Selector {
  if (!input) return matchAll;
  const tests = splitTerms(input).map((term): Selector => {
    const m = /^([^!=]+)(==|=|!=)(.*)$/.exec(term);
    if (!m?.[1] || !m[2]) throw badRequest(`invalid selector: '${input}'; can't understand '${term}'`);
    const path = m[1].trim();
    const value = (m[3] ?? '').trim();
    return m[2] === '!=' ? (o) => fieldValue(o, path) !== value : (o) => fieldValue(o, path) === value;
  });
  return (o) => tests.every((t) => t(o));
}

/** matchLabels/matchExpressions of a workload's spec.selector. */
export function selectorFromSpec(selector: { matchLabels?: Record<string, string>; matchExpressions?: { key: string; operator: string; values?: string[] }[] } | undefined): Selector {
  if (!selector) return () => false;
  const terms = Object.entries(selector.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  for (const e of selector.matchExpressions ?? []) {
    const values = (e.values ?? []).join(',');
    if (e.operator === 'In') terms.push(`${e.key} in (${values})`);
    else if (e.operator === 'NotIn') terms.push(`${e.key} notin (${values})`);
    else if (e.operator === 'Exists') terms.push(e.key);
    else if (e.operator === 'DoesNotExist') terms.push(`!${e.key}`);
  }
  return terms.length ? parseLabelSelector(terms.join(',')) : () => false;
}

/** "app=web,tier=front", as Scale.status.selector and kubectl print it. */
export function selectorString(selector: { matchLabels?: Record<string, string> } | undefined): string {
  return Object.entries(selector?.matchLabels ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}
