/**
 * A protobuf writer for the few messages the sandbox sends (the OpenAPI v2 document old
 * kubectl asks for): each field is [number, kind, value], a message is a list of fields.
 */
export type ProtoField = [number, 'string', string] | [number, 'bool', boolean] | [number, 'message', ProtoField[]];

function varint(n: number): number[] {
  const out: number[] = [];
  let v = n;
  while (v > 0x7f) {
    out.push((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return out;
}

function lengthDelimited(field: number, bytes: Buffer): Buffer {
  return Buffer.concat([Buffer.from([...varint((field << 3) | 2), ...varint(bytes.length)]), bytes]);
}

/** Encodes the fields in the order given (proto3: callers leave out empty values). */
export function encodeMessage(fields: ProtoField[]): Buffer {
  return Buffer.concat(
    fields.map(([field, kind, value]) => {
      if (kind === 'bool') return Buffer.from([...varint(field << 3), value ? 1 : 0]);
      if (kind === 'string') return lengthDelimited(field, Buffer.from(value, 'utf8'));
      return lengthDelimited(field, encodeMessage(value));
    }),
  );
}
