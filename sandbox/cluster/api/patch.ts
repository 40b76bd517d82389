/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-unsafe-return, @typescript-eslint/no-explicit-any -- patches are arbitrary JSON */
import { StatusError, badRequest } from './status.js';

type Json = any;

const isObject = (v: unknown): v is Record<string, Json> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** RFC 7386 JSON merge patch. */
export function mergePatch(target: Json, patch: Json): Json {
  if (!isObject(patch)) return structuredClone(patch);
  const out: Record<string, Json> = isObject(target) ? structuredClone(target) : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

/** Merge keys of the lists strategic merge patch merges (the ones a pod template and a node use). */
const mergeKeys: Record<string, string> = {
  containers: 'name',
  initContainers: 'name',
  ephemeralContainers: 'name',
  env: 'name',
  ports: 'containerPort',
  volumeMounts: 'mountPath',
  volumes: 'name',
  imagePullSecrets: 'name',
  conditions: 'type',
  taints: 'key',
  hostAliases: 'ip',
  topologySpreadConstraints: 'topologyKey',
};

/** Strategic merge patch, with the directives kubectl sends ($setElementOrder, $patch, $retainKeys, $deleteFromPrimitiveList). */
export function strategicMergePatch(target: Json, patch: Json): Json {
  if (!isObject(patch)) return structuredClone(patch);
  if (patch.$patch === 'replace') {
    const { $patch: _ignored, ...rest } = patch;
    return structuredClone(rest);
  }
  if (patch.$patch === 'delete') return undefined;
  const out: Record<string, Json> = isObject(target) ? structuredClone(target) : {};
  const orders: Record<string, Json[]> = {};
  for (const [k, v] of Object.entries(patch)) {
    if (k.startsWith('$setElementOrder/')) {
      orders[k.slice('$setElementOrder/'.length)] = v;
      continue;
    }
    if (k.startsWith('$deleteFromPrimitiveList/')) {
      const field = k.slice('$deleteFromPrimitiveList/'.length);
      if (Array.isArray(out[field])) out[field] = out[field].filter((x: Json) => !(v as Json[]).includes(x));
      continue;
    }
    if (k === '$retainKeys' || k === '$patch') continue;
    if (v === null) {
      delete out[k];
      continue;
    }
    const key = mergeKeys[k];
    if (Array.isArray(v) && key && Array.isArray(out[k])) out[k] = mergeList(out[k], v, key);
    else if (Array.isArray(v)) out[k] = v.filter((x) => !(isObject(x) && x.$patch === 'delete')).map((x) => (isObject(x) ? strategicMergePatch(undefined, x) : x));
    else out[k] = strategicMergePatch(out[k], v);
  }
  for (const [field, order] of Object.entries(orders)) {
    const key = mergeKeys[field];
    if (!key || !Array.isArray(out[field])) continue;
    const rank = (x: Json) => {
      const i = order.findIndex((o: Json) => isObject(o) && o[key] === x[key]);
      return i === -1 ? order.length : i;
    };
    out[field] = [...out[field]].sort((a, b) => rank(a) - rank(b));
  }
  return out;
}

function mergeList(target: Json[], patch: Json[], key: string): Json[] {
  const out = structuredClone(target);
  for (const item of patch) {
    if (!isObject(item)) continue;
    const i = out.findIndex((x: Json) => isObject(x) && x[key] === item[key]);
    if (item.$patch === 'delete') {
      if (i !== -1) out.splice(i, 1);
    } else if (i === -1) out.push(strategicMergePatch(undefined, item));
    else out[i] = strategicMergePatch(out[i], item);
  }
  return out;
}

function unescape(token: string): string {
  return token.replace(/~1/g, '/').replace(/~0/g, '~');
}

function invalidPatch(message: string): StatusError {
  return new StatusError(422, 'Invalid', message);
}

/** RFC 6902 JSON patch (add, remove, replace, move, copy, test). */
export function jsonPatch(target: Json, ops: unknown): Json {
  if (!Array.isArray(ops)) throw badRequest('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
  let doc = structuredClone(target);
  for (const op of ops) {
    if (!isObject(op) || typeof op.op !== 'string' || typeof op.path !== 'string') throw badRequest('invalid JSON patch operation');
    const read = (path: string): Json => {
      let cur = doc;
      for (const t of path.split('/').slice(1).map(unescape)) {
        if (cur === undefined || cur === null) return undefined;
        cur = Array.isArray(cur) ? cur[Number(t)] : cur[t];
      }
      return cur;
    };
    const write = (path: string, value: Json, mode: 'add' | 'replace' | 'remove'): void => {
      const tokens = path.split('/').slice(1).map(unescape);
      if (tokens.length === 0) {
        doc = value;
        return;
      }
      const last = tokens.pop() ?? '';
      let parent = doc;
      for (const t of tokens) {
        parent = Array.isArray(parent) ? parent[Number(t)] : parent?.[t];
        if (parent === undefined || parent === null) throw invalidPatch(`the server rejected our request due to an error in our request: doc is missing path: "${path}"`);
      }
      if (Array.isArray(parent)) {
        const i = last === '-' ? parent.length : Number(last);
        if (mode === 'add') parent.splice(i, 0, value);
        else if (i >= parent.length) throw invalidPatch(`the server rejected our request due to an error in our request: doc is missing path: "${path}"`);
        else if (mode === 'replace') parent[i] = value;
        else parent.splice(i, 1);
        return;
      }
      if (mode !== 'add' && !(last in parent)) throw invalidPatch(`the server rejected our request due to an error in our request: ${mode} operation does not apply: doc is missing path: "${path}"`);
      if (mode === 'remove') delete parent[last];
      else parent[last] = value;
    };
    switch (op.op) {
      case 'add':
      case 'replace':
        write(op.path, structuredClone(op.value), op.op);
        break;
      case 'remove':
        write(op.path, undefined, 'remove');
        break;
      case 'move':
      case 'copy': {
        const value = structuredClone(read(op.from));
        if (op.op === 'move') write(op.from, undefined, 'remove');
        write(op.path, value, 'add');
        break;
      }
      case 'test':
        if (JSON.stringify(read(op.path)) !== JSON.stringify(op.value)) throw invalidPatch(`the server rejected our request due to an error in our request: testing value ${op.path} failed`);
        break;
      default:
        throw badRequest(`Unexpected kind: ${op.op}`);
    }
  }
  return doc;
}

export const patchTypes = ['application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json'] as const;

/** Applies a PATCH body according to its Content-Type. */
export function applyPatch(contentType: string, target: Json, body: Json): Json {
  const type = contentType.split(';')[0]?.trim() ?? '';
  if (type === 'application/json-patch+json') return jsonPatch(target, body);
  if (type === 'application/merge-patch+json') return mergePatch(target, body);
  if (type === 'application/strategic-merge-patch+json') return strategicMergePatch(target, body);
  throw new StatusError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: ${patchTypes.join(', ')}`);
}
