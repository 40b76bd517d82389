import { readFileSync } from 'node:fs';
import { StatusError } from '../api/status.js';

/** [JSON name ("" = inlined into the parent), type, "o" optional | "p" Go pointer | "r" repeated]. */
type Field = [string, string, string];
type Schema = Record<string, Record<string, Field>>;

let cached: Schema | undefined;
/** Field numbers of the served kinds, extracted from Kubernetes' generated.proto (see extract-schema.py). */
function schema(): Schema {
  cached ??= JSON.parse(readFileSync(new URL('./schema.json', import.meta.url), 'utf8')) as Schema;
  return cached;
}

export const protobufContentType = 'application/vnd.kubernetes.protobuf';
/** Every Kubernetes protobuf body starts with "k8s\0", then a runtime.Unknown envelope. */
const magic = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

const meta = 'k8s.io.apimachinery.pkg.apis.meta.v1';

class Reader {
  pos: number;
  constructor(
    readonly buf: Buffer,
    start = 0,
    readonly end = buf.length,
  ) {
    this.pos = start;
  }

  varint(): bigint {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      if (this.pos >= this.end) throw unreadable('truncated varint');
      const byte = this.buf[this.pos++] ?? 0;
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return result;
      shift += 7n;
    }
  }

  bytes(): Buffer {
    const length = Number(this.varint());
    if (this.pos + length > this.end) throw unreadable('truncated field');
    const out = this.buf.subarray(this.pos, this.pos + length);
    this.pos += length;
    return out;
  }

  skip(wire: number): void {
    if (wire === 0) this.varint();
    else if (wire === 1) this.pos += 8;
    else if (wire === 2) this.bytes();
    else if (wire === 5) this.pos += 4;
    else throw unreadable(`wire type ${wire}`);
  }
}

function unreadable(why: string): StatusError {
  return new StatusError(400, 'BadRequest', `the body of the request could not be decoded as protobuf: ${why}`);
}

const isZero = (v: unknown): boolean => v === '' || v === 0 || v === false;

function scalar(type: string, wire: number, r: Reader): unknown {
  switch (type) {
    case 'string':
      return r.bytes().toString('utf8');
    case 'bytes':
      return r.bytes().toString('base64');
    case 'bool':
      return r.varint() !== 0n;
    case 'int32':
    case 'int64':
      return Number(BigInt.asIntN(64, r.varint()));
    case 'uint32':
    case 'uint64':
      return Number(r.varint());
    case 'double': {
      const v = r.buf.readDoubleLE(r.pos);
      r.pos += 8;
      return v;
    }
    case 'float': {
      const v = r.buf.readFloatLE(r.pos);
      r.pos += 4;
      return v;
    }
    default:
      throw unreadable(`field type ${type} (wire ${wire})`);
  }
}

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

const specialTypes = new Set([`${meta}.Time`, `${meta}.MicroTime`, `${meta}.FieldsV1`, 'k8s.io.apimachinery.pkg.api.resource.Quantity', 'k8s.io.apimachinery.pkg.util.intstr.IntOrString', 'k8s.io.apimachinery.pkg.runtime.RawExtension']);
const isMessage = (type: string): boolean => specialTypes.has(type) || schema()[type] !== undefined;

/** Messages whose JSON form is not their fields: times, quantities, int-or-string, raw JSON. */
function special(type: string, bytes: Buffer): { value: unknown } | undefined {
  if (type === `${meta}.Time` || type === `${meta}.MicroTime`) {
    const t = decodeMessage(bytes, type) as { seconds?: number; nanos?: number };
    if (!t.seconds && !t.nanos) return { value: null };
    const iso = new Date((t.seconds ?? 0) * 1000).toISOString().replace('.000Z', 'Z');
    return { value: type.endsWith('MicroTime') ? iso.replace('Z', `.${pad(Math.floor((t.nanos ?? 0) / 1000), 6)}Z`) : iso };
  }
  if (type === 'k8s.io.apimachinery.pkg.api.resource.Quantity') return { value: (decodeMessage(bytes, type) as { string?: string }).string ?? '0' };
  if (type === 'k8s.io.apimachinery.pkg.util.intstr.IntOrString') {
    const v = decodeMessage(bytes, type) as { type?: number; intVal?: number; strVal?: string };
    return { value: v.type === 1 ? (v.strVal ?? '') : (v.intVal ?? 0) };
  }
  if (type === `${meta}.FieldsV1` || type === 'k8s.io.apimachinery.pkg.runtime.RawExtension') {
    const raw = new Reader(bytes);
    let json: unknown = {};
    while (raw.pos < raw.end) {
      const tag = Number(raw.varint());
      if (tag >> 3 === 1 && (tag & 7) === 2) json = JSON.parse(raw.bytes().toString('utf8') || 'null') as unknown;
      else raw.skip(tag & 7);
    }
    return { value: json };
  }
  return undefined;
}

function fieldValue(type: string, wire: number, r: Reader): unknown {
  if (type.startsWith('map:')) {
    const [, keyType = 'string', valueType = 'string'] = type.split(':');
    const e = new Reader(r.bytes());
    let key: unknown = '';
    let value: unknown = valueType === 'string' || valueType === 'bytes' ? '' : undefined;
    while (e.pos < e.end) {
      const tag = Number(e.varint());
      if (tag >> 3 === 1) key = fieldValue(keyType, tag & 7, e);
      else if (tag >> 3 === 2) value = fieldValue(valueType, tag & 7, e);
      else e.skip(tag & 7);
    }
    return [String(key), value];
  }
  if (isMessage(type)) {
    const bytes = r.bytes();
    const converted = special(type, bytes);
    return converted ? converted.value : decodeMessage(bytes, type);
  }
  return scalar(type, wire, r);
}

/** Decodes one protobuf message of `type` into the object its JSON form would be. */
export function decodeMessage(buf: Buffer, type: string): Record<string, unknown> {
  const fields = schema()[type];
  if (!fields) throw unreadable(`no schema for ${type}`);
  const out: Record<string, unknown> = {};
  const r = new Reader(buf);
  while (r.pos < r.end) {
    const tag = Number(r.varint());
    const field = fields[String(tag >> 3)];
    const wire = tag & 7;
    if (!field) {
      // Refuse rather than drop a field the sandbox cannot place: nothing is lost silently.
      throw new StatusError(415, 'UnsupportedMediaType', `the sandbox cannot decode field ${tag >> 3} of ${type} from protobuf; send the object as application/json`);
    }
    const [name, type2, label] = field;
    if (type2.startsWith('map:')) {
      const [k, v] = fieldValue(type2, wire, r) as [string, unknown];
      const map = (out[name] ??= {}) as Record<string, unknown>;
      map[k] = v;
      continue;
    }
    const packed = label === 'r' && wire === 2 && !isMessage(type2) && type2 !== 'string' && type2 !== 'bytes';
    if (packed) {
      const inner = new Reader(r.bytes());
      const list = (out[name] ??= []) as unknown[];
      while (inner.pos < inner.end) list.push(scalar(type2, type2 === 'double' ? 1 : type2 === 'float' ? 5 : 0, inner));
      continue;
    }
    const value = fieldValue(type2, wire, r);
    if (label === 'r') ((out[name] ??= []) as unknown[]).push(value);
    else if (name === '') Object.assign(out, value);
    else if (value === null || (label === 'o' && isZero(value))) delete out[name];
    else out[name] = value;
  }
  return out;
}

/** The proto package of an apiVersion: "apps/v1" → k8s.io.api.apps.v1, "storage.k8s.io/v1" → k8s.io.api.storage.v1. */
function packageOf(apiVersion: string): string {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['core', apiVersion];
  if (group === 'meta.k8s.io') return meta;
  return `k8s.io.api.${(group ?? '').split('.')[0] ?? ''}.${version ?? ''}`;
}

/**
 * A Kubernetes protobuf request body ("k8s\0" + runtime.Unknown{typeMeta, raw}) as the JSON
 * object it stands for, apiVersion and kind included.
 */
export function decodeKubernetesProtobuf(body: Buffer): Record<string, unknown> {
  if (body.length < 4 || !body.subarray(0, 4).equals(magic)) throw unreadable('missing the "k8s\\0" prefix');
  const r = new Reader(body, 4);
  let apiVersion = '';
  let kind = '';
  let raw: Buffer = Buffer.alloc(0);
  while (r.pos < r.end) {
    const tag = Number(r.varint());
    if (tag >> 3 === 1 && (tag & 7) === 2) {
      const t = new Reader(r.bytes());
      while (t.pos < t.end) {
        const inner = Number(t.varint());
        if (inner >> 3 === 1) apiVersion = t.bytes().toString('utf8');
        else if (inner >> 3 === 2) kind = t.bytes().toString('utf8');
        else t.skip(inner & 7);
      }
    } else if (tag >> 3 === 2 && (tag & 7) === 2) raw = r.bytes();
    else r.skip(tag & 7);
  }
  if (!kind) throw unreadable('the envelope names no kind');
  return { apiVersion, kind, ...decodeMessage(raw, `${packageOf(apiVersion)}.${kind}`) };
}
